package dev.vigil.alert;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Raises alerts for people, from {@code monitoring.alerts()}.
 *
 * <pre>{@code
 * } catch (PaymentException e) {
 *   monitoring.alerts().alertPaymentFailure(payment.id(), e, Map.of("amount", amount, "plan", plan));
 * }
 *
 * } catch (Exception e) {
 *   monitoring.alerts().alertQueueFailure("image-generation", e, Map.of("jobId", job.id()));
 * }
 * }</pre>
 *
 * <p>Every call returns at once: the alert is queued and delivered by a background thread to each
 * configured channel whose minimum severity it reaches (the log always; a webhook, Slack, Telegram
 * and Alertmanager when configured; channels that modules add, such as Sentry with {@code
 * vigil-sentry}). Nothing here ever throws into the caller, except {@link IllegalArgumentException}
 * for bad input in strict mode; a full queue drops the alert and counts it in {@code
 * vigil_alerts_dropped_total}.
 *
 * <p>The same alert repeated inside the cool-down (default 5 minutes) notifies once at once, and
 * once more at the end of the cool-down with the number of repeats. Contexts and error messages are
 * redacted before they leave the process.
 *
 * <p>Some alerts are also raised automatically: a payment alert when tracked payment failures
 * ({@code Kpi.paymentFailure}) reach a threshold inside a sliding window, a critical-error alert
 * from {@code monitoring.handleCriticalError}, and an error-rate alert when errors reported with
 * {@code handleError} reach a threshold inside a sliding window.
 */
public interface Alerts {

  /**
   * A payment failed ({@link Severity#ERROR}, type {@code payment_failure}). The payment id goes to
   * the context (and Alertmanager annotations), never to the alert's key: failures of different
   * payments merge into one notification that counts them.
   */
  void alertPaymentFailure(
      @Nullable String paymentId, @Nullable Throwable error, @Nullable Map<String, ?> context);

  /**
   * A job failed in {@code queueName} ({@link Severity#ERROR}, type {@code queue_failure}, grouped
   * by {@code queue_name}).
   */
  void alertQueueFailure(
      @Nullable String queueName, @Nullable Throwable error, @Nullable Map<String, ?> context);

  /**
   * An error that needs a person now ({@link Severity#CRITICAL}, type {@code critical_error},
   * grouped by {@code error_type}, the exception's simple class name). {@code
   * monitoring.handleCriticalError} raises it for you; that one is not sent to Sentry, which
   * receives the exception itself from {@code handleCriticalError}.
   */
  void alertCriticalError(@Nullable Throwable error, @Nullable Map<String, ?> context);

  /**
   * The error rate crossed a threshold ({@link Severity#ERROR}, type {@code high_error_rate}). Use
   * whatever unit you alert on (errors per minute, a fraction of requests); both numbers are
   * reported as given.
   */
  void alertHighErrorRate(double errorRate, double threshold, @Nullable Map<String, ?> context);

  /**
   * A part of the service works badly: slow, partly down, falling back ({@link Severity#WARNING},
   * type {@code service_degradation}, grouped by {@code component}).
   *
   * @param component what is degraded, from a small fixed set, such as {@code "openai"}
   * @param reason what is wrong, such as "p95 latency 12 s"
   */
  void alertServiceDegradation(
      @Nullable String component, @Nullable String reason, @Nullable Map<String, ?> context);

  /** Raises any alert; see {@link Alert#builder}. */
  void send(@Nullable Alert alert);
}
