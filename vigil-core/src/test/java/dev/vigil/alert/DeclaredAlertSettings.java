package dev.vigil.alert;

import dev.vigil.internal.Setting;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The alerting settings as {@link AlertSettings} declares them, for the configuration-table test of
 * another package: the declarations and the value an {@link AlertSettings.Builder} holds for each.
 */
public final class DeclaredAlertSettings {
  private DeclaredAlertSettings() {}

  public static List<Setting<?, ?>> all() {
    List<Setting<?, ?>> all = new ArrayList<>();
    all.addAll(AlertRules.ALL);
    all.addAll(AlertDestinations.ALL);
    all.addAll(AlertDelivery.ALL);
    return all;
  }

  /** The value {@code builder} holds for {@code variable}: its default on a new builder. */
  public static @Nullable Object value(AlertSettings.Builder builder, String variable) {
    for (Setting<AlertRules, ?> s : AlertRules.ALL) {
      if (s.variable().equals(variable)) {
        return s.get(builder.rules);
      }
    }
    for (Setting<AlertDestinations, ?> s : AlertDestinations.ALL) {
      if (s.variable().equals(variable)) {
        return s.get(builder.destinations);
      }
    }
    for (Setting<AlertDelivery, ?> s : AlertDelivery.ALL) {
      if (s.variable().equals(variable)) {
        return s.get(builder.delivery);
      }
    }
    throw new IllegalArgumentException(variable + " is not an alerting setting");
  }
}
