package dev.vigil.alert;

import dev.vigil.internal.Setting;
import java.time.Duration;
import java.util.List;

/**
 * How alerts are delivered: the queue, the attempts and their delays, the time limits, and how long
 * Alertmanager keeps an alert firing, with the settings that give them. Part of {@link
 * AlertSettings}; mutable while its builder fills it, copied when it is built.
 */
final class AlertDelivery {
  static final Setting<AlertDelivery, Integer> QUEUE_CAPACITY =
      Setting.<AlertDelivery>integer("ALERT_QUEUE_CAPACITY", 1, 100_000)
          .method("queueCapacity")
          .field(d -> d.queueCapacity, (d, v) -> d.queueCapacity = v);

  static final Setting<AlertDelivery, Integer> MAX_ATTEMPTS =
      Setting.<AlertDelivery>integer("ALERT_MAX_ATTEMPTS", 1, 20)
          .method("maxAttempts")
          .field(d -> d.maxAttempts, (d, v) -> d.maxAttempts = v);

  static final Setting<AlertDelivery, Duration> RETRY_DELAY =
      Setting.<AlertDelivery>duration(
              "ALERT_RETRY_DELAY", Duration.ofMillis(1), Duration.ofMinutes(10))
          .method("retryDelay firstDelay")
          .field(d -> d.retryDelay, (d, v) -> d.retryDelay = v);

  static final Setting<AlertDelivery, Duration> MAX_RETRY_DELAY =
      Setting.<AlertDelivery>duration(
              "ALERT_MAX_RETRY_DELAY", Duration.ofMillis(1), Duration.ofHours(1))
          .method("retryDelay maxDelay")
          .field(d -> d.maxRetryDelay, (d, v) -> d.maxRetryDelay = v);

  static final Setting<AlertDelivery, Duration> TIMEOUT =
      Setting.<AlertDelivery>duration(
              "ALERT_TIMEOUT", Duration.ofMillis(100), Duration.ofMinutes(5))
          .method("timeout")
          .field(d -> d.timeout, (d, v) -> d.timeout = v);

  static final Setting<AlertDelivery, Duration> CLOSE_TIMEOUT =
      Setting.<AlertDelivery>duration("ALERT_CLOSE_TIMEOUT", Duration.ZERO, Duration.ofMinutes(5))
          .method("closeTimeout")
          .field(d -> d.closeTimeout, (d, v) -> d.closeTimeout = v);

  static final Setting<AlertDelivery, Duration> RESOLVE_TIMEOUT =
      Setting.<AlertDelivery>duration(
              "ALERTMANAGER_RESOLVE_TIMEOUT", Duration.ofMinutes(1), Duration.ofDays(7))
          .method("alertmanagerResolveTimeout")
          .field(d -> d.resolveTimeout, (d, v) -> d.resolveTimeout = v);

  static final List<Setting<AlertDelivery, ?>> ALL =
      List.of(
          QUEUE_CAPACITY,
          MAX_ATTEMPTS,
          RETRY_DELAY,
          MAX_RETRY_DELAY,
          TIMEOUT,
          CLOSE_TIMEOUT,
          RESOLVE_TIMEOUT);

  int queueCapacity = 1000;
  int maxAttempts = 5;
  Duration retryDelay = Duration.ofSeconds(1);
  Duration maxRetryDelay = Duration.ofMinutes(1);
  Duration timeout = Duration.ofSeconds(10);
  Duration closeTimeout = Duration.ofSeconds(5);
  Duration resolveTimeout = Duration.ofMinutes(15);

  AlertDelivery copy() {
    AlertDelivery c = new AlertDelivery();
    c.queueCapacity = queueCapacity;
    c.maxAttempts = maxAttempts;
    c.retryDelay = retryDelay;
    c.maxRetryDelay = maxRetryDelay;
    c.timeout = timeout;
    c.closeTimeout = closeTimeout;
    c.resolveTimeout = resolveTimeout;
    return c;
  }

  /**
   * @throws IllegalStateException if the longest retry delay is shorter than the first
   */
  void checkConsistent() {
    if (maxRetryDelay.compareTo(retryDelay) < 0) {
      throw new IllegalStateException(
          "The longest retry delay ("
              + maxRetryDelay
              + ", ALERT_MAX_RETRY_DELAY) is shorter"
              + " than the first ("
              + retryDelay
              + ", ALERT_RETRY_DELAY); raise the former.");
    }
  }

  void describe(StringBuilder out) {
    out.append("queueCapacity=")
        .append(queueCapacity)
        .append(", maxAttempts=")
        .append(maxAttempts)
        .append(", retryDelay=")
        .append(retryDelay)
        .append(", maxRetryDelay=")
        .append(maxRetryDelay)
        .append(", timeout=")
        .append(timeout)
        .append(", closeTimeout=")
        .append(closeTimeout)
        .append(", resolveTimeout=")
        .append(resolveTimeout);
  }
}
