package dev.vigil.alert;

import dev.vigil.internal.Setting;
import java.time.Duration;
import java.util.List;

/**
 * When alerts are raised: whether at all, the cool-down that merges repeats, and the thresholds and
 * windows of the automatic payment-failure and error-rate alerts, with the settings that give them.
 * Part of {@link AlertSettings}; mutable while its builder fills it, copied when it is built.
 */
final class AlertRules {
  static final Setting<AlertRules, Boolean> ENABLED =
      Setting.<AlertRules>bool("ENABLE_ALERTS")
          .method("enabled")
          .field(r -> r.enabled, (r, v) -> r.enabled = v);

  static final Setting<AlertRules, Duration> COOLDOWN =
      Setting.<AlertRules>duration("ALERT_COOLDOWN", Duration.ZERO, Duration.ofDays(1))
          .method("cooldown")
          .field(r -> r.cooldown, (r, v) -> r.cooldown = v);

  static final Setting<AlertRules, Integer> PAYMENT_FAILURE_THRESHOLD =
      Setting.<AlertRules>integer("ALERT_PAYMENT_FAILURE_THRESHOLD", 0, 10_000)
          .method("paymentFailureThreshold count")
          .field(r -> r.paymentFailureThreshold, (r, v) -> r.paymentFailureThreshold = v);

  static final Setting<AlertRules, Duration> PAYMENT_FAILURE_WINDOW =
      window("ALERT_PAYMENT_FAILURE_WINDOW", "paymentFailureThreshold window")
          .field(r -> r.paymentFailureWindow, (r, v) -> r.paymentFailureWindow = v);

  static final Setting<AlertRules, Integer> ERROR_RATE_THRESHOLD =
      Setting.<AlertRules>integer("ALERT_ERROR_RATE_THRESHOLD", 0, 10_000)
          .method("errorRateThreshold count")
          .field(r -> r.errorRateThreshold, (r, v) -> r.errorRateThreshold = v);

  static final Setting<AlertRules, Duration> ERROR_RATE_WINDOW =
      window("ALERT_ERROR_RATE_WINDOW", "errorRateThreshold window")
          .field(r -> r.errorRateWindow, (r, v) -> r.errorRateWindow = v);

  static final List<Setting<AlertRules, ?>> ALL =
      List.of(
          ENABLED,
          COOLDOWN,
          PAYMENT_FAILURE_THRESHOLD,
          PAYMENT_FAILURE_WINDOW,
          ERROR_RATE_THRESHOLD,
          ERROR_RATE_WINDOW);

  boolean enabled = true;
  Duration cooldown = Duration.ofMinutes(5);
  int paymentFailureThreshold = 3;
  Duration paymentFailureWindow = Duration.ofMinutes(5);
  int errorRateThreshold = 50;
  Duration errorRateWindow = Duration.ofMinutes(5);

  AlertRules copy() {
    AlertRules c = new AlertRules();
    c.enabled = enabled;
    c.cooldown = cooldown;
    c.paymentFailureThreshold = paymentFailureThreshold;
    c.paymentFailureWindow = paymentFailureWindow;
    c.errorRateThreshold = errorRateThreshold;
    c.errorRateWindow = errorRateWindow;
    return c;
  }

  void describe(StringBuilder out) {
    out.append("cooldown=")
        .append(cooldown)
        .append(", paymentFailures=")
        .append(paymentFailureThreshold)
        .append(" in ")
        .append(paymentFailureWindow)
        .append(", errors=")
        .append(errorRateThreshold)
        .append(" in ")
        .append(errorRateWindow);
  }

  private static Setting.Draft<AlertRules, Duration> window(String variable, String method) {
    return Setting.<AlertRules>duration(variable, Duration.ofSeconds(1), Duration.ofDays(1))
        .method(method);
  }
}
