package dev.vigil.alert.internal;

import dev.vigil.Kpi;
import dev.vigil.Redactor;
import dev.vigil.Ticker;
import dev.vigil.alert.Alert;
import dev.vigil.alert.AlertSettings;
import dev.vigil.alert.Alerts;
import dev.vigil.alert.Severity;
import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.ErrorHandling;
import dev.vigil.internal.InvalidReason;
import dev.vigil.internal.KpiListener;
import dev.vigil.internal.Throwables;
import dev.vigil.internal.WarnLimiter;
import dev.vigil.spi.AlertAgreement;
import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Notification;
import dev.vigil.spi.SharedCounters;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Alerts} behind {@code monitoring.alerts()}: the caller's side of alerting. A call
 * builds the alert, looks its key up in the cool-down table (a repeat is only counted there) and
 * offers a new notification to the bounded queue of the {@link Dispatcher}; it never blocks, never
 * does I/O and never throws (but for bad input in strict mode).
 *
 * <p>It wires the parts of alerting together: the {@link BuiltInChannels} the settings configure,
 * the {@link AutomaticAlerts} that payment failures from {@code trackKpi} and errors from {@code
 * handleError} feed (a critical error raises a critical alert here), and the {@link Notifications}
 * the delivery thread builds from each raised alert.
 *
 * <p>Vigil's modules add channels with {@link #addChannel(AlertChannel)} (see {@link
 * AlertChannel}).
 */
public final class AlertService implements Alerts {
  public static final String PAYMENT_FAILURE = "payment_failure";
  public static final String QUEUE_FAILURE = "queue_failure";
  public static final String CRITICAL_ERROR = "critical_error";
  public static final String HIGH_ERROR_RATE = "high_error_rate";
  public static final String SERVICE_DEGRADATION = "service_degradation";

  /** The most alert keys whose cool-downs are tracked at once. */
  static final int MAX_KEYS = 1000;

  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.alerts");
  private static final String INPUT = "alerts";

  private final AlertSettings settings;
  private final String service;
  private final Ticker ticker;
  private final Clock clock;
  private final Secrets secrets;
  private final CoreMetrics core;
  private final WarnLimiter warnings;
  private final AlertMetrics metrics;
  private final Episodes episodes;
  private final Dispatcher dispatcher;
  private final AutomaticAlerts automatic;
  private volatile boolean closed;

  public AlertService(
      CoreMetrics core,
      ErrorHandling errorHandling,
      AlertSettings settings,
      String environment,
      Ticker ticker,
      Clock clock,
      WarnLimiter warnings) {
    this.settings = settings;
    this.core = core;
    this.service = core.service();
    this.ticker = ticker;
    this.clock = clock;
    Redactor redactor = errorHandling.redactor();
    this.secrets = BuiltInChannels.secrets(settings, redactor);
    Notifications notifications = new Notifications(service, environment, redactor, secrets);
    this.warnings = warnings;
    this.metrics = new AlertMetrics(core);
    this.episodes = new Episodes(settings.cooldown().toNanos(), MAX_KEYS);
    this.dispatcher =
        new Dispatcher(
            service,
            ticker,
            settings.queueCapacity(),
            episodes,
            notifications::prepare,
            metrics,
            new RetryPolicy(
                settings.maxAttempts(),
                settings.retryDelay().toNanos(),
                settings.maxRetryDelay().toNanos(),
                () -> ThreadLocalRandom.current().nextDouble()),
            settings.timeout().toNanos(),
            warnings,
            secrets,
            core);
    this.automatic = new AutomaticAlerts(settings, ticker, this::raise);
    if (!settings.enabled()) {
      LOG.debug("Vigil: alerts are off for service '{}' (ENABLE_ALERTS=false)", service);
      return;
    }
    for (AlertChannel channel :
        BuiltInChannels.create(settings, secrets, clock, errorHandling.tagsLines())) {
      dispatcher.addChannel(channel, settings.minSeverity(channel.name()));
    }
    if (automatic.watchesPaymentFailures()) {
      core.kpis()
          .addListener(
              new KpiListener() {
                @Override
                public void paymentFailure(
                    @Nullable String paymentId,
                    @Nullable String paymentMethod,
                    @Nullable String errorType) {
                  automatic.paymentFailure(paymentId, paymentMethod, errorType);
                }
              });
    }
    errorHandling.addListener(this::onError);
    core.watch(dispatcher::restartIfDead);
    core.onClose(this::close);
  }

  @Override
  public void alertPaymentFailure(
      @Nullable String paymentId, @Nullable Throwable error, @Nullable Map<String, ?> context) {
    if (!settings.enabled()) {
      return;
    }
    try {
      String id =
          required(
              "alertPaymentFailure",
              "paymentId",
              paymentId,
              "Pass the payment's id, or \"unknown\" when there is none yet.");
      raise(
          Alert.builder(PAYMENT_FAILURE, Severity.ERROR, "Payment failed")
              .context("payment_id", id)
              .context(context)
              .context("payment_id", id)
              .error(error)
              .build());
    } catch (Throwable e) {
      failed("alertPaymentFailure", e);
    }
  }

  @Override
  public void alertQueueFailure(
      @Nullable String queueName, @Nullable Throwable error, @Nullable Map<String, ?> context) {
    if (!settings.enabled()) {
      return;
    }
    try {
      String queue =
          required(
              "alertQueueFailure",
              "queueName",
              queueName,
              "Pass the queue's name, such as \"image-generation\".");
      raise(
          Alert.builder(QUEUE_FAILURE, Severity.ERROR, "Job failed in queue " + queue)
              .groupBy("queue_name", queue)
              .context(context)
              .error(error)
              .build());
    } catch (Throwable e) {
      failed("alertQueueFailure", e);
    }
  }

  @Override
  public void alertCriticalError(@Nullable Throwable error, @Nullable Map<String, ?> context) {
    criticalError(error, context, false);
  }

  /**
   * @param handled whether {@code handleCriticalError} raised it: the error listeners (Sentry)
   *     already have the error, so channels that receive them are not sent the alert too
   */
  private void criticalError(
      @Nullable Throwable error, @Nullable Map<String, ?> context, boolean handled) {
    if (!settings.enabled()) {
      return;
    }
    try {
      raise(
          Alert.builder(CRITICAL_ERROR, Severity.CRITICAL, "Critical error")
              .groupBy("error_type", Kpi.errorType(error))
              .context(context)
              .error(error)
              .build(),
          handled);
    } catch (Throwable e) {
      failed("alertCriticalError", e);
    }
  }

  @Override
  public void alertHighErrorRate(
      double errorRate, double threshold, @Nullable Map<String, ?> context) {
    if (!settings.enabled()) {
      return;
    }
    try {
      if (!Double.isFinite(errorRate) || !Double.isFinite(threshold)) {
        core.guard()
            .reject(
                INPUT,
                InvalidReason.NON_FINITE_VALUE,
                "alertHighErrorRate: the error rate and threshold must be finite numbers, got "
                    + errorRate
                    + " and "
                    + threshold
                    + "; the alert is sent with them as they"
                    + " are.");
      }
      raise(
          Alert.builder(
                  HIGH_ERROR_RATE,
                  Severity.ERROR,
                  "High error rate: "
                      + number(errorRate)
                      + " (threshold "
                      + number(threshold)
                      + ")")
              .context("error_rate", errorRate)
              .context("threshold", threshold)
              .context(context)
              .build());
    } catch (Throwable e) {
      failed("alertHighErrorRate", e);
    }
  }

  @Override
  public void alertServiceDegradation(
      @Nullable String component, @Nullable String reason, @Nullable Map<String, ?> context) {
    if (!settings.enabled()) {
      return;
    }
    try {
      String name =
          required(
              "alertServiceDegradation",
              "component",
              component,
              "Pass what is degraded, from a small fixed set, such as \"openai\".");
      String why = reason == null || reason.isBlank() ? "no reason given" : reason;
      raise(
          Alert.builder(
                  SERVICE_DEGRADATION, Severity.WARNING, "Service degraded: " + name + ": " + why)
              .groupBy("component", name)
              .context(context)
              .build());
    } catch (Throwable e) {
      failed("alertServiceDegradation", e);
    }
  }

  @Override
  public void send(@Nullable Alert alert) {
    if (!settings.enabled()) {
      return;
    }
    try {
      if (alert == null) {
        core.guard()
            .reject(
                INPUT,
                InvalidReason.NULL_EVENT,
                "alerts().send: the alert is null; nothing was sent. Build one with"
                    + " Alert.builder(type, severity, message).");
        return;
      }
      raise(alert);
    } catch (Throwable e) {
      failed("send", e);
    }
  }

  /**
   * Adds a channel (for Vigil's modules, such as {@code vigil-sentry}). It receives the alerts
   * whose severity reaches {@code ALERT_<NAME>_MIN_SEVERITY} for its name.
   *
   * @throws IllegalArgumentException if the name is malformed or taken
   */
  public void addChannel(AlertChannel channel) {
    String name = channel.name();
    if (name == null || !AlertSettings.CHANNEL_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Alert channel name '"
              + name
              + "' is not valid: lower-case letters, digits and"
              + " underscores, starting with a letter, at most 32 characters.");
    }
    if (!settings.enabled()) {
      return;
    }
    dispatcher.addChannel(channel, settings.minSeverity(name));
  }

  /**
   * Lets the replicas agree which of them sends each notification (see {@link AlertAgreement}).
   * With no cool-down every occurrence notifies, so there is nothing to agree on.
   */
  public void agreeOn(AlertAgreement agreement) {
    if (!settings.enabled() || settings.cooldown().isZero()) {
      return;
    }
    dispatcher.agreeOn(agreement, settings.cooldown());
  }

  /** Counts the automatic alerts' thresholds over every replica (see {@link SharedCounters}). */
  public void shareThresholds(SharedCounters counters) {
    if (!settings.enabled()) {
      return;
    }
    automatic.share(counters);
  }

  /** The last notifications and what became of them on each channel, for the KPI page. */
  public RecentAlerts.Snapshot recentAlerts() {
    return dispatcher.recent().snapshot();
  }

  /** The names of the channels alerts are delivered to, in registration order. */
  public List<String> channelNames() {
    List<String> names = new ArrayList<>();
    for (Dispatcher.ChannelState channel : dispatcher.channels()) {
      names.add(channel.name);
    }
    return names;
  }

  /** The settings alerts were configured with. */
  public AlertSettings settings() {
    return settings;
  }

  /**
   * Notifications waiting for (or in delivery to) {@code channel}, for the KPI page; -1 if there is
   * no channel by that name.
   */
  public int backlog(String channel) {
    return dispatcher.backlog(channel);
  }

  // Read by DeliveryProbe, in the tests of this package: what a test with a fake ticker needs to
  // make the delivery thread look at the new time, instead of sleeping.

  void wake() {
    dispatcher.wake();
  }

  long deliveryLoops() {
    return dispatcher.loops();
  }

  int queued() {
    return dispatcher.queued();
  }

  long attempts(String channel) {
    return dispatcher.attempts(channel);
  }

  int trackedKeys() {
    return episodes.size();
  }

  /**
   * Stops raising, delivers what is pending within the close timeout, and counts the rest as
   * dropped. Run by {@code Monitoring.close()}.
   */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    automatic.close();
    dispatcher.close(settings.closeTimeout().toNanos());
  }

  private void onError(
      @Nullable Throwable error, String errorType, String severity, Map<String, Object> context) {
    if (ErrorHandling.CRITICAL.equals(severity)) {
      criticalError(error, context, true);
    }
    automatic.error(errorType);
  }

  private void raise(Alert alert) {
    raise(alert, false);
  }

  private void raise(Alert alert, boolean handledError) {
    Instant given = alert.time();
    Instant time = given != null ? given : clock.instant();
    if (closed) {
      count(alert.severity(), handledError, AlertMetrics.CLOSED, false);
      return;
    }
    String key = key(alert);
    Episodes.Outcome outcome = episodes.raise(key, alert, handledError, time, ticker.read());
    if (outcome.decision == Episodes.Decision.MERGED) {
      count(alert.severity(), handledError, AlertMetrics.COOLDOWN, true);
      return;
    }
    if (outcome.decision == Episodes.Decision.UNTRACKED) {
      warnings.warn(
          "alerts|keys",
          "Vigil is tracking "
              + MAX_KEYS
              + " distinct alert keys in their cool-down; alert "
              + secrets.scrub(key)
              + " and other new keys notify every time instead of being merged. Grouping"
              + " values (queue names, components) must come from a small fixed set: put ids in"
              + " the context.");
    }
    Raised raised = outcome.raised;
    if (raised != null && !dispatcher.offer(raised)) {
      count(alert.severity(), handledError, AlertMetrics.QUEUE_FULL, false);
      warnings.warn(
          "alerts|queue_full",
          "Vigil dropped an alert: the alert queue is full ("
              + dispatcher.capacity()
              + " waiting). Channels are slow or failing, or alerts are raised in a loop; see"
              + " vigil_alerts_dropped_total and vigil_alerts_retried_total.");
    }
  }

  /** Counts a suppressed or dropped occurrence once for each channel it was routed to. */
  private void count(Severity severity, boolean handledError, String reason, boolean suppressed) {
    for (Dispatcher.ChannelState channel : dispatcher.channels()) {
      if (channel.routes(severity, handledError)) {
        if (suppressed) {
          metrics.suppressed(channel.name, reason);
        } else {
          metrics.dropped(channel.name, reason);
        }
      }
    }
  }

  static String key(Alert alert) {
    return Notification.keyOf(alert.type(), alert.severity(), alert.grouping());
  }

  private String required(String call, String name, @Nullable String value, String fix) {
    if (value != null && !value.isBlank()) {
      return value;
    }
    core.guard()
        .reject(
            INPUT,
            value == null ? InvalidReason.NULL_VALUE : InvalidReason.BLANK_VALUE,
            call
                + ": "
                + name
                + " is "
                + (value == null ? "null" : "blank")
                + "; the alert is sent with \"unknown\". "
                + fix);
    return "unknown";
  }

  private void failed(String call, Throwable e) {
    Throwables.rethrowIfFatal(e);
    if (core.guard().strict() && e instanceof IllegalArgumentException) {
      throw (IllegalArgumentException) e;
    }
    core.internalError("alerts()." + call, e);
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
