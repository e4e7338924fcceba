package dev.vigil.internal;

import dev.vigil.Monitoring;
import dev.vigil.alert.Alerts;
import java.util.Objects;
import java.util.function.Function;

/**
 * The parts of a {@link Monitoring}, for Vigil's own code in other packages of this module (the
 * HTTP instrumentation) and for Vigil's tests. {@code Monitoring} has no accessor for them, so that
 * no internal type shows in its API; it hands this class a way in when it is loaded, the way the
 * JDK's {@code SharedSecrets} do. Not an API: the package is not exported.
 */
public final class Internals {
  /** One Monitoring's parts. {@code alerts} is the {@code AlertService}. */
  public record Parts(CoreMetrics core, ErrorHandling errors, LogOutput logOutput, Alerts alerts) {}

  private static volatile Function<Monitoring, Parts> access;

  private Internals() {}

  /** Called once, by {@code Monitoring}'s static initialiser. */
  public static void grant(Function<Monitoring, Parts> access) {
    if (Internals.access != null) {
      throw new IllegalStateException("Internals access is already granted");
    }
    Internals.access = Objects.requireNonNull(access, "access");
  }

  /** The parts of {@code monitoring}. */
  public static Parts of(Monitoring monitoring) {
    Objects.requireNonNull(monitoring, "monitoring must not be null");
    return access.apply(monitoring);
  }
}
