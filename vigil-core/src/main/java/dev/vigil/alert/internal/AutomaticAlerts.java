package dev.vigil.alert.internal;

import dev.vigil.Ticker;
import dev.vigil.alert.Alert;
import dev.vigil.alert.AlertSettings;
import dev.vigil.alert.Severity;
import dev.vigil.spi.SharedCounters;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The alerts nobody calls for: tracked payment failures and reported errors past their thresholds
 * within their windows, counted in this process or, once a shared store is installed, over every
 * replica. Each occurrence is one {@link EventWindow#record} on the caller's thread; what reaches a
 * threshold is handed to {@code raise}.
 */
final class AutomaticAlerts {
  private final AlertSettings settings;
  private final Ticker ticker;
  private final Consumer<Alert> raise;
  private final @Nullable EventWindow paymentFailures;
  private final @Nullable EventWindow errors;
  private final String paymentWindowText;
  private final String errorWindowText;
  private volatile @Nullable SharedWindow sharedPaymentFailures;
  private volatile @Nullable SharedWindow sharedErrors;
  private boolean shared; // guarded by this
  private volatile boolean closed;

  AutomaticAlerts(AlertSettings settings, Ticker ticker, Consumer<Alert> raise) {
    this.settings = settings;
    this.ticker = ticker;
    this.raise = raise;
    this.paymentFailures =
        settings.paymentFailureThreshold() == 0
            ? null
            : new EventWindow(
                settings.paymentFailureThreshold(), settings.paymentFailureWindow().toNanos());
    this.errors =
        settings.errorRateThreshold() == 0
            ? null
            : new EventWindow(settings.errorRateThreshold(), settings.errorRateWindow().toNanos());
    this.paymentWindowText = Text.duration(settings.paymentFailureWindow());
    this.errorWindowText = Text.duration(settings.errorRateWindow());
  }

  /** Whether payment failures are watched at all (a threshold of 0 turns them off). */
  boolean watchesPaymentFailures() {
    return paymentFailures != null;
  }

  /**
   * Counts the thresholds over every replica (see {@link SharedCounters}).
   *
   * @throws IllegalStateException if they are shared already
   */
  synchronized void share(SharedCounters counters) {
    if (shared) {
      throw new IllegalStateException(
          "Alert thresholds are already shared; install one shared-store extension only");
    }
    shared = true;
    if (paymentFailures != null) {
      sharedPaymentFailures =
          new SharedWindow(
              counters,
              "payment_failures",
              settings.paymentFailureWindow(),
              paymentFailures.threshold(),
              this::onSharedPaymentFailures);
    }
    if (errors != null) {
      sharedErrors =
          new SharedWindow(
              counters,
              "errors",
              settings.errorRateWindow(),
              errors.threshold(),
              this::onSharedErrors);
    }
  }

  void close() {
    closed = true;
  }

  void paymentFailure(
      @Nullable String paymentId, @Nullable String paymentMethod, @Nullable String errorType) {
    EventWindow window = paymentFailures;
    if (window == null) {
      return;
    }
    boolean reached = window.record(ticker.read());
    SharedWindow shared = sharedPaymentFailures;
    if (shared != null) {
      shared.increment();
      if (shared.available()) {
        return; // the total over every replica decides, when the store next reads it
      }
    }
    if (!reached) {
      return;
    }
    raise.accept(
        Alert.builder(
                AlertService.PAYMENT_FAILURE,
                Severity.ERROR,
                "Payment failures reached " + window.threshold() + " within " + paymentWindowText)
            .context("payment_id", paymentId == null ? "unknown" : paymentId)
            .context("payment_method", paymentMethod)
            .context("error_type", errorType)
            .context("threshold", window.threshold())
            .context("window", paymentWindowText)
            .build());
  }

  void error(String errorType) {
    EventWindow window = errors;
    if (window == null) {
      return;
    }
    boolean reached = window.record(ticker.read());
    SharedWindow shared = sharedErrors;
    if (shared != null) {
      shared.increment();
      if (shared.available()) {
        return; // the total over every replica decides, when the store next reads it
      }
    }
    if (reached) {
      raise.accept(
          Alert.builder(
                  AlertService.HIGH_ERROR_RATE,
                  Severity.ERROR,
                  "Errors reached " + window.threshold() + " within " + errorWindowText)
              .context("threshold", window.threshold())
              .context("window", errorWindowText)
              .context("latest_error_type", errorType)
              .build());
    }
  }

  /** On the store's thread: payment failures over every replica reached the threshold. */
  private void onSharedPaymentFailures(long total) {
    EventWindow window = paymentFailures;
    if (window == null || closed) {
      return;
    }
    raise.accept(
        overAllReplicas(
            AlertService.PAYMENT_FAILURE, "Payment failures", window, paymentWindowText, total));
  }

  /** On the store's thread: errors over every replica reached the threshold. */
  private void onSharedErrors(long total) {
    EventWindow window = errors;
    if (window == null || closed) {
      return;
    }
    raise.accept(
        overAllReplicas(AlertService.HIGH_ERROR_RATE, "Errors", window, errorWindowText, total));
  }

  private static Alert overAllReplicas(
      String type, String what, EventWindow window, String windowText, long total) {
    return Alert.builder(
            type,
            Severity.ERROR,
            what
                + " reached "
                + window.threshold()
                + " within "
                + windowText
                + " over all replicas ("
                + total
                + ")")
        .context("threshold", window.threshold())
        .context("window", windowText)
        .context("total", total)
        .context("counted_over", "all replicas")
        .build();
  }
}
