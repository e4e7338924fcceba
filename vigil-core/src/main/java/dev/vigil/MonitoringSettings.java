package dev.vigil;

import dev.vigil.Monitoring.Builder;
import dev.vigil.internal.BudgetSettings;
import dev.vigil.internal.Setting;
import dev.vigil.internal.UserActivity;
import dev.vigil.internal.Values;
import dev.vigil.spi.Settings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of {@link Monitoring.Builder}, each declared once: its environment variable, its
 * Spring Boot property, the builder method, and the bounds all three go through. The README's
 * configuration table lists the same variables ({@code ConfigurationTableTest} checks it). The
 * alerting variables are {@code AlertSettings}'s own.
 */
final class MonitoringSettings {
  /** The property prefix of the per-metric label-set limits, followed by the metric name. */
  static final String MAX_LABEL_SETS_PER_METRIC = "vigil.metrics.max-label-sets-per-metric.";

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Class<List<String>> STRINGS = (Class) List.class;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Class<List<Duration>> DURATIONS = (Class) List.class;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Class<List<AiBudget>> BUDGETS = (Class) List.class;

  static final Setting<Builder, String> ENVIRONMENT =
      Setting.<Builder>text("ENVIRONMENT")
          .method("environment")
          .field(b -> b.environment, (b, v) -> b.environment = v);

  /** After {@link #ENVIRONMENT}, so that it wins when both are set. */
  static final Setting<Builder, String> APP_ENV =
      Setting.<Builder>text("APP_ENV")
          .method("environment")
          .property("vigil.environment")
          .field(b -> b.environment, (b, v) -> b.environment = v);

  static final Setting<Builder, Boolean> ENABLE_METRICS =
      Setting.<Builder>bool("ENABLE_METRICS")
          .method("metricsEnabled")
          .property("vigil.metrics.enabled")
          .field(b -> b.metricsEnabled, (b, v) -> b.metricsEnabled = v);

  static final Setting<Builder, Boolean> UI_ENABLED =
      Setting.<Builder>bool("VIGIL_UI_ENABLED")
          .method("uiEnabled")
          .property("vigil.ui.enabled")
          .field(b -> b.uiEnabled, (b, v) -> b.uiEnabled = v);

  static final Setting<Builder, Integer> METRICS_PORT =
      Setting.<Builder>integer("METRICS_PORT", 0, 65535)
          .method("metricsPort")
          .property("vigil.metrics.port")
          .field(b -> b.metricsPort, (b, v) -> b.metricsPort = v);

  static final Setting<Builder, String> METRICS_HOST =
      Setting.<Builder>text("METRICS_HOST")
          .method("metricsHost")
          .property("vigil.metrics.host")
          .field(b -> b.metricsHost, (b, v) -> b.metricsHost = v);

  static final Setting<Builder, String> METRICS_BEARER_TOKEN =
      Setting.<Builder>text("METRICS_BEARER_TOKEN")
          .secret()
          .method("metricsBearerToken")
          .property("vigil.metrics.bearer-token")
          .field(b -> b.metricsBearerToken, (b, v) -> b.metricsBearerToken = v);

  static final Setting<Builder, Boolean> JVM_METRICS =
      Setting.<Builder>bool("ENABLE_JVM_METRICS")
          .method("jvmMetrics")
          .property("vigil.metrics.jvm")
          .field(b -> b.jvmMetrics, (b, v) -> b.jvmMetrics = v);

  static final Setting<Builder, Boolean> STRICT =
      Setting.<Builder>bool("VIGIL_STRICT")
          .method("strict")
          .property("vigil.strict")
          .field(b -> b.strict, (b, v) -> b.strict = v);

  /** Also the bound of each per-metric limit. */
  static final Setting<Builder, Integer> MAX_LABEL_SETS =
      Setting.<Builder>integer("VIGIL_MAX_LABEL_SETS", 1, 1_000_000)
          .method("maxLabelSets")
          .property("vigil.metrics.max-label-sets")
          .field(b -> b.maxLabelSets, (b, v) -> b.maxLabelSets = v);

  static final Setting<Builder, Integer> MAX_LABEL_LENGTH =
      Setting.<Builder>integer("VIGIL_MAX_LABEL_LENGTH", 16, 4096)
          .method("maxLabelValueLength")
          .field(b -> b.maxLabelValueLength, (b, v) -> b.maxLabelValueLength = v);

  static final Setting<Builder, List<String>> REDACT_KEYS =
      Setting.<Builder, List<String>>of("VIGIL_REDACT_KEYS", STRINGS, (name, text) -> items(text))
          .method("redactKeys")
          .property("vigil.redact-keys")
          .check(
              (name, keys) -> {
                for (String key : keys) {
                  Redactor.checkKey(name, key);
                }
                return List.copyOf(keys);
              })
          .field(b -> List.copyOf(b.redactKeys), (b, keys) -> b.redactKeys.addAll(keys));

  static final Setting<Builder, Pricing> PRICING_FILE =
      Setting.<Builder, Pricing>of("VIGIL_PRICING_FILE", Pricing.class, MonitoringSettings::pricing)
          .method("pricing")
          .field(b -> b.pricing, (b, v) -> b.pricing = v);

  static final Setting<Builder, List<Duration>> ACTIVE_USER_WINDOWS =
      Setting.<Builder, List<Duration>>of(
              "VIGIL_ACTIVE_USER_WINDOWS", DURATIONS, MonitoringSettings::windows)
          .method("activeUserWindows")
          .check(MonitoringSettings::checkWindows)
          .field(b -> b.activeUserWindows, (b, v) -> b.activeUserWindows = v);

  static final Setting<Builder, Integer> TOP_SPENDERS =
      Setting.<Builder>integer("VIGIL_TOP_SPENDERS", 1, 100)
          .method("topSpenders")
          .field(b -> b.topSpenders, (b, v) -> b.topSpenders = v);

  static final Setting<Builder, Duration> TOP_SPENDERS_LOG_INTERVAL =
      Setting.<Builder>duration(
              "VIGIL_TOP_SPENDERS_LOG_INTERVAL", Duration.ZERO, Duration.ofDays(1))
          .method("topSpendersLogInterval")
          .check(
              (name, interval) -> {
                if (!interval.isZero() && interval.compareTo(Duration.ofSeconds(1)) < 0) {
                  throw new IllegalArgumentException(
                      name
                          + " must be zero (off) or at least 1 second, got "
                          + Values.text(interval));
                }
                return interval;
              })
          .field(b -> b.topSpendersLogInterval, (b, v) -> b.topSpendersLogInterval = v);

  /** Before the budgets: it sets the thresholds of those the environment gives. */
  static final Setting<Builder, int[]> BUDGET_ALERT_AT =
      Setting.<Builder, int[]>of("VIGIL_BUDGET_ALERT_AT", int[].class, BudgetSettings::percents)
          .field(b -> b.envBudgetAlertAt, (b, v) -> b.envBudgetAlertAt = v);

  static final Setting<Builder, List<AiBudget>> BUDGET_SERVICE =
      budgets("VIGIL_BUDGET_SERVICE", AiBudget.Scope.SERVICE, BudgetSettings::service);

  static final Setting<Builder, List<AiBudget>> BUDGET_MODEL =
      budgets("VIGIL_BUDGET_MODEL", AiBudget.Scope.MODEL, BudgetSettings::model);

  static final Setting<Builder, List<AiBudget>> BUDGET_USER =
      budgets("VIGIL_BUDGET_USER", AiBudget.Scope.USER, BudgetSettings::user);

  static final Setting<Builder, ZoneId> BUDGET_ZONE =
      Setting.<Builder, ZoneId>of("VIGIL_BUDGET_ZONE", ZoneId.class, BudgetSettings::zone)
          .method("aiBudgetZone")
          .field(b -> b.budgetZone, (b, v) -> b.budgetZone = v);

  static final Setting<Builder, Duration> BUDGET_CHECK_INTERVAL =
      Setting.<Builder>duration(
              "VIGIL_BUDGET_CHECK_INTERVAL", Duration.ofSeconds(1), Duration.ofHours(1))
          .method("aiBudgetCheckInterval")
          .field(b -> b.budgetCheckInterval, (b, v) -> b.budgetCheckInterval = v);

  /** In the order they are read: a later one wins over an earlier one for the same field. */
  static final List<Setting<Builder, ?>> ALL =
      List.of(
          ENVIRONMENT,
          APP_ENV,
          ENABLE_METRICS,
          UI_ENABLED,
          METRICS_PORT,
          METRICS_HOST,
          METRICS_BEARER_TOKEN,
          JVM_METRICS,
          STRICT,
          MAX_LABEL_SETS,
          MAX_LABEL_LENGTH,
          REDACT_KEYS,
          PRICING_FILE,
          ACTIVE_USER_WINDOWS,
          TOP_SPENDERS,
          TOP_SPENDERS_LOG_INTERVAL,
          BUDGET_ALERT_AT,
          BUDGET_SERVICE,
          BUDGET_MODEL,
          BUDGET_USER,
          BUDGET_ZONE,
          BUDGET_CHECK_INTERVAL);

  private static final Map<String, Setting<Builder, ?>> BY_PROPERTY = byProperty();

  private MonitoringSettings() {}

  static void readEnvironment(Builder builder, Settings variables) {
    for (Setting<Builder, ?> setting : ALL) {
      setting.read(variables, builder);
    }
  }

  /**
   * Applies {@code vigil.*} properties, each through its setting's check, so a message names the
   * property. Fails on a key that is not one of them: a typo should not pass unnoticed.
   */
  static void readProperties(Builder builder, Map<String, ?> properties) {
    for (Map.Entry<String, ?> entry : properties.entrySet()) {
      String key = Objects.requireNonNull(entry.getKey(), "a property name must not be null");
      Object value = entry.getValue();
      if (value == null) {
        continue;
      }
      if (key.startsWith(MAX_LABEL_SETS_PER_METRIC)) {
        String metric = key.substring(MAX_LABEL_SETS_PER_METRIC.length());
        if (metric.isBlank()) {
          throw new IllegalArgumentException(
              key + " names no metric; write " + MAX_LABEL_SETS_PER_METRIC + "<metric>=<limit>");
        }
        int max =
            value instanceof Integer
                ? (Integer) value
                : Values.integer(key, value.toString(), 1, 1_000_000);
        builder.maxLabelSetsByMetric.put(metric, MAX_LABEL_SETS.check(key, max));
        continue;
      }
      Setting<Builder, ?> setting = BY_PROPERTY.get(key);
      if (setting == null) {
        throw new IllegalArgumentException(
            key
                + " is not a Vigil property; they are "
                + String.join(", ", BY_PROPERTY.keySet())
                + " and "
                + MAX_LABEL_SETS_PER_METRIC
                + "<metric>");
      }
      setting.applyProperty(builder, value);
    }
  }

  private static Map<String, Setting<Builder, ?>> byProperty() {
    Map<String, Setting<Builder, ?>> map = new LinkedHashMap<>();
    for (Setting<Builder, ?> setting : ALL) {
      if (setting.property() != null) {
        map.put(setting.property(), setting);
      }
    }
    return map;
  }

  private static Setting<Builder, List<AiBudget>> budgets(
      String variable, AiBudget.Scope scope, Setting.Parser<List<AiBudget>> parser) {
    return Setting.<Builder, List<AiBudget>>of(variable, BUDGETS, parser)
        .field(
            b -> b.budgetsOf(scope),
            (b, budgets) -> {
              for (AiBudget budget : budgets) {
                int[] alertAt = b.envBudgetAlertAt;
                b.addBudget(alertAt == null ? budget : budget.alertAt(alertAt), variable);
              }
            });
  }

  private static List<String> items(String text) {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items;
  }

  private static Pricing pricing(String name, String text) {
    try {
      return Pricing.fromFile(Path.of(text.strip()));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(name + ": '" + text + "' is not a file path", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  private static List<Duration> windows(String name, String text) {
    List<Duration> windows = new ArrayList<>();
    if (!text.strip().equalsIgnoreCase("none")) {
      for (String w : text.split(",")) {
        windows.add(Values.duration(name, w.strip()));
      }
    }
    return windows;
  }

  /** At most 8 distinct windows, each from 1 minute to 31 days in whole seconds. */
  static List<Duration> checkWindows(String name, List<Duration> windows) {
    if (windows.size() > 8) {
      throw new IllegalArgumentException(name + ": at most 8 windows, got " + windows.size());
    }
    Set<String> labels = new HashSet<>();
    for (Duration w : windows) {
      Objects.requireNonNull(w, name + ": a window must not be null");
      if (w.compareTo(Duration.ofMinutes(1)) < 0
          || w.compareTo(Duration.ofDays(31)) > 0
          || w.getNano() != 0) {
        throw new IllegalArgumentException(
            name
                + ": each window must be between 1 minute and 31 days in whole seconds,"
                + " such as 5m, 1h or 24h; got "
                + Values.text(w));
      }
      if (!labels.add(UserActivity.label(w))) {
        throw new IllegalArgumentException(
            name + ": window " + UserActivity.label(w) + " is given twice");
      }
    }
    return List.copyOf(windows);
  }
}
