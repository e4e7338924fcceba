package dev.vigil.spi;

import com.sun.net.httpserver.HttpHandler;
import dev.vigil.KpiCounter;
import dev.vigil.KpiGauge;
import dev.vigil.KpiHistogram;
import dev.vigil.MetricCatalog;
import dev.vigil.Redactor;
import dev.vigil.StructuredLogger;
import dev.vigil.Ticker;
import dev.vigil.alert.Alerts;
import dev.vigil.alert.Severity;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.ILoggerFactory;

/**
 * What an {@link Extension} is given while the {@code Monitoring} is built: who the service is, the
 * extension's own settings, and the places to plug in. Valid during {@link Extension#install} and,
 * for the objects it hands out, for the life of the Monitoring.
 *
 * <pre>{@code
 * public void install(ExtensionContext context) {
 *   Settings settings = context.settings("AUDIT_");
 *   KpiCounter sent = context.counter(new MetricCatalog.Definition("vigil_audit_sent_total",
 *       MetricCatalog.Type.COUNTER, "Audit records sent.", List.of(), List.of()));
 *   context.addErrorListener((error, type, severity, redacted) -> { queue(type); sent.inc(); });
 *   context.addEndpoint("/audit", exchange -> { ... });      // on the metrics port, token-guarded
 *   context.onClose(this::flush);
 * }
 * }</pre>
 */
public interface ExtensionContext {

  /** The {@code service} label value of every series. */
  String service();

  /** The deployment environment ({@code APP_ENV} or {@code ENVIRONMENT}). */
  String environment();

  /** Whether strict mode is on: bad input throws {@link IllegalArgumentException}. */
  boolean strict();

  /**
   * The configuration variables this Monitoring was built from ({@code Monitoring.fromEnv} or
   * {@code Builder.readEnvironment}) whose names start with one of {@code prefixes}, such as {@code
   * "SENTRY_"}; empty when no environment was read. Only these are visible: a module never sees
   * another module's secrets.
   *
   * @throws IllegalArgumentException if no prefix is given, or one is shorter than 3 characters
   */
  Settings settings(String... prefixes);

  /** The redactor applied to everything that leaves the process; apply it to what you send. */
  Redactor redactor();

  /** The source of durations and rate-limit windows (a fake one in tests). */
  Ticker ticker();

  /** The wall clock for timestamps (a fixed one in tests). */
  Clock clock();

  /** The client_java registry behind {@code /metrics}, to read or to add collectors to. */
  PrometheusRegistry registry();

  /** Where this Monitoring's log lines go; Logback's {@code LoggerContext} with Logback. */
  ILoggerFactory loggerFactory();

  /** A structured, redacted logger tagged with the service, named {@code name}. */
  StructuredLogger logger(String name);

  /**
   * Logs {@code message} at WARN on logger {@code dev.vigil}, at most once per warn interval for
   * each {@code key} (with the number suppressed in between): for faults that may repeat on every
   * call, such as a store being down.
   */
  void warn(String key, String message);

  /**
   * Adds a listener for every error passed to {@code handleError} and {@code handleCriticalError}.
   */
  void addErrorListener(ErrorListener listener);

  /**
   * Adds an observer of the KPI events counted from now on, on the tracking thread; see {@link
   * KpiObserver} for what it is given and what it must not do.
   */
  void addKpiObserver(KpiObserver observer);

  /**
   * Whether alerts are on ({@code ENABLE_ALERTS}); channels added when they are off receive none.
   */
  boolean alertsEnabled();

  /** The least severe alert {@code channel} receives ({@code ALERT_<CHANNEL>_MIN_SEVERITY}). */
  Severity alertMinSeverity(String channel);

  /**
   * Adds a channel; it receives the alerts whose severity reaches {@link #alertMinSeverity} of its
   * name. Does nothing when alerts are off.
   *
   * @throws IllegalArgumentException if the name is malformed or already taken
   */
  void addAlertChannel(AlertChannel channel);

  /**
   * The sliding windows of distinct users and top spenders ({@code VIGIL_ACTIVE_USER_WINDOWS}), in
   * configuration order; empty when they are off.
   */
  List<Duration> activeUserWindows();

  /** How many users the top-spender lists show per window ({@code VIGIL_TOP_SPENDERS}). */
  int topSpenders();

  /**
   * Shares distinct users and top spenders through a store all replicas reach: from now on {@code
   * activity} receives the user ids and spends the analytics take in, {@code active_users_distinct}
   * and the top spenders come from it whenever it has them, and {@code
   * active_users_system_distinct} is exposed. Call the returned collector from the store's
   * background thread before each flush: it hands over what the analytics hold but have not passed
   * on yet (with little traffic, that is everything). Does nothing, and returns a collector that
   * does nothing, when the windows are off.
   *
   * @throws IllegalStateException if another extension already shares user activity
   */
  Runnable shareUserActivity(SharedUserActivity activity);

  /**
   * Makes the replicas agree, before each channel sends, which one sends a notification; see {@link
   * AlertAgreement}. Does nothing when alerts are off.
   *
   * @throws IllegalStateException if another extension already agrees on alerts
   */
  void agreeOnAlerts(AlertAgreement agreement);

  /**
   * Counts the automatic alerts' thresholds (payment failures, error rate) over every replica
   * through {@code counters}, falling back to this replica's own count while they are unavailable.
   * Does nothing when alerts are off.
   *
   * @throws IllegalStateException if another extension already shares the thresholds
   */
  void shareAlertThresholds(SharedCounters counters);

  /** This service's alerts, to raise alerts of the extension's own. */
  Alerts alerts();

  /**
   * Serves {@code handler} at {@code path} (exact, starting with {@code /}) on the metrics port,
   * behind the metrics bearer token when one is set. The handler runs on the server's threads and
   * must answer quickly; it must never expose a secret.
   *
   * @throws IllegalArgumentException if the path is malformed or taken by Vigil ({@code /metrics},
   *     {@code /health}, {@code /kpi}, ...)
   */
  void addEndpoint(String path, HttpHandler handler);

  /**
   * A counter for the extension's own self-metrics, such as {@code
   * vigil_redis_commands_failed_total}, with the {@code service} label and Vigil's guards; names
   * may start with {@code vigil_}. Declaring the same definition twice returns the same counter.
   */
  KpiCounter counter(MetricCatalog.Definition definition);

  /** A gauge for the extension's self-metrics, as {@link #counter}. */
  KpiGauge gauge(MetricCatalog.Definition definition);

  /** A histogram for the extension's self-metrics, as {@link #counter}. */
  KpiHistogram histogram(MetricCatalog.Definition definition);

  /**
   * Runs {@code hook} in {@code Monitoring.close()}, after the hooks registered before it (alerts
   * drain first, so a module's flush sees their last notifications). A hook that throws is logged
   * and the others still run.
   */
  void onClose(Runnable hook);

  /**
   * Declares that the logging backend redacts exception messages and stack traces itself (as {@code
   * vigil-logback}'s encoder does), so exceptions are handed to it unchanged instead of as redacted
   * copies.
   */
  void backendRedactsThrowables(boolean redacts);
}
