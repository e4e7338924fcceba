package dev.vigil.sentry;

import dev.vigil.alert.AlertSettings;
import dev.vigil.sentry.internal.EventRedaction;
import dev.vigil.sentry.internal.SentryAlertChannel;
import dev.vigil.sentry.internal.SentryListener;
import dev.vigil.sentry.internal.SentrySettings;
import dev.vigil.spi.Extension;
import dev.vigil.spi.ExtensionContext;
import dev.vigil.spi.Settings;
import io.sentry.Sentry;
import io.sentry.SentryExceptionFactory;
import io.sentry.SentryOptions;
import io.sentry.SentryStackTraceFactory;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sends the errors of {@code handleError} and {@code handleCriticalError} to Sentry, and alerts
 * too, as the {@code sentry} alert channel.
 *
 * <p>With {@code vigil-sentry} on the class path, {@code Monitoring.fromEnv(..)} installs it from
 * the environment; nothing else is needed:
 *
 * <table>
 *   <caption>Environment</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code SENTRY_DSN} (or {@code SENTRY_DSN_FILE})</td><td>none: Sentry off</td>
 *       <td>where to send events</td></tr>
 *   <tr><td>{@code SENTRY_ENABLED}</td><td>{@code true}</td><td>{@code false} turns Sentry off
 *       even with a DSN</td></tr>
 *   <tr><td>{@code SENTRY_ENVIRONMENT}</td><td>the Monitoring's environment</td>
 *       <td>Sentry's environment</td></tr>
 *   <tr><td>{@code SENTRY_RELEASE}</td><td>none</td><td>the release events belong to</td></tr>
 *   <tr><td>{@code SENTRY_TRACES_SAMPLE_RATE}</td><td>none: no tracing</td><td>0 to 1</td></tr>
 *   <tr><td>{@code ALERT_SENTRY_ENABLED}</td><td>{@code true}</td><td>{@code false} sends no
 *       alerts to Sentry, only errors</td></tr>
 *   <tr><td>{@code ALERT_SENTRY_MIN_SEVERITY}</td><td>{@code error}</td><td>the least severe
 *       alert sent to Sentry (read by {@code AlertSettings})</td></tr>
 * </table>
 *
 * <p>Or configure it in code:
 *
 * <pre>{@code
 * Monitoring monitoring = Monitoring.builder("api")
 *     .extension(SentryReporter.builder().dsn(dsn).release("1.4.2").build())
 *     .build();
 * }</pre>
 *
 * <p>Each event carries the exception chain with redacted messages, level {@code error} (or {@code
 * fatal} for critical errors), the tags {@code service}, {@code environment}, {@code error_type}
 * and {@code severity}, and the redacted context as the {@code context} context.
 *
 * <p>Alerts of {@code ALERT_SENTRY_MIN_SEVERITY} and above also become Sentry events: message
 * events with the alert's level ({@code fatal} for critical), message and redacted context, the
 * tags {@code service}, {@code environment}, {@code alert_type} and {@code severity}, and a
 * fingerprint per alert key, so that the repeats of one alert form one Sentry issue. The {@code
 * critical_error} alert raised by {@code handleCriticalError} is not sent, since its exception
 * already is; see {@link dev.vigil.sentry.internal.SentryAlertChannel}. They count in {@code
 * vigil_alerts_*{channel="sentry"}}.
 *
 * <p>Without a DSN (and with {@code SENTRY_ENABLED=false}) it does nothing and says nothing. If the
 * application has already called {@code Sentry.init} itself, that Sentry is used as it is: Vigil's
 * events go through it, tagged and redacted as above, and its options (DSN, hooks, sampling) are
 * left untouched; {@code close()} then only flushes. Otherwise Vigil initialises Sentry and redacts
 * every event in {@code beforeSend}, including those the SDK or the application capture: exception
 * messages, messages, request URL, query string, headers, cookies and body, breadcrumbs, extras,
 * contexts and tags.
 *
 * <p>{@code handleError} only queues the event (the SDK holds at most 30 and drops the rest); the
 * SDK's own thread sends it, so a slow or unreachable Sentry never holds up the caller. {@code
 * Monitoring.close()} waits at most the {@link Builder#flushTimeout(Duration) flush timeout}
 * (default 2 s) for queued events.
 */
public final class SentryReporter implements Extension {
  /** How long {@code close()} waits for queued events by default. */
  public static final Duration DEFAULT_FLUSH_TIMEOUT = SentrySettings.DEFAULT_FLUSH_TIMEOUT;

  private static final String LOGGER = "dev.vigil.sentry";

  private final SentrySettings settings;

  private SentryReporter(SentrySettings settings) {
    this.settings = settings;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "sentry";
  }

  /**
   * Connects Sentry to the Monitoring being built; called by {@code Monitoring.Builder.build()}.
   */
  @Override
  public void install(ExtensionContext monitoring) {
    if (!settings.enabled()) {
      return;
    }
    String serverName = settings.serverName();
    boolean withAlerts = settings.alerts() && monitoring.alertsEnabled();
    String what =
        withAlerts
            ? "errors and alerts ("
                + monitoring.alertMinSeverity(AlertSettings.SENTRY).label()
                + " and above)"
            : "errors";
    boolean owned;
    if (Sentry.isEnabled()) {
      owned = false;
      monitoring
          .logger(LOGGER)
          .info(
              "Vigil: Sentry was initialised by the application; sending " + what + " through it");
    } else if (settings.dsn() == null) {
      return;
    } else {
      String dsnValue = settings.dsn();
      Sentry.init(options -> configure(options, dsnValue, monitoring));
      if (!Sentry.isEnabled()) {
        throw new IllegalStateException(
            "Sentry did not start with the configured DSN; check SENTRY_DSN (or dsn(..))");
      }
      owned = true;
      monitoring.logger(LOGGER).info("Vigil: sending " + what + " to Sentry");
    }
    SentryOptions options = Sentry.getCurrentScopes().getOptions();
    EventRedaction redaction = new EventRedaction(monitoring.redactor());
    monitoring.addErrorListener(
        new SentryListener(
            monitoring.service(),
            monitoring.environment(),
            serverName,
            new SentryExceptionFactory(new SentryStackTraceFactory(options)),
            redaction));
    if (withAlerts) {
      monitoring.addAlertChannel(new SentryAlertChannel(serverName));
    }
    // Registered after the alerts' own close hook: pending alerts are captured before the flush.
    monitoring.onClose(() -> close(owned));
  }

  private void configure(SentryOptions options, String dsnValue, ExtensionContext monitoring) {
    options.setDsn(dsnValue);
    options.setEnvironment(
        settings.environment() == null ? monitoring.environment() : settings.environment());
    options.setRelease(settings.release());
    options.setTracesSampleRate(settings.tracesSampleRate());
    EventRedaction redaction = new EventRedaction(monitoring.redactor());
    options.setBeforeSend(redaction);
    options.setBeforeBreadcrumb(redaction);
    options.setTag("service", monitoring.service());
    // The SDK looks the host name up on the capturing thread, waiting up to 1 s when DNS is slow.
    options.setAttachServerName(false);
    options.setServerName(settings.serverName());
    long millis = settings.flushTimeout().toMillis();
    options.setShutdownTimeoutMillis(millis);
    options.setFlushTimeoutMillis(Math.max(1, millis / 4));
  }

  /**
   * Flushes at most the flush timeout. A Sentry of Vigil's own is also closed; the SDK's close runs
   * on a daemon thread, so a Sentry that does not answer cannot hold up the shutdown.
   */
  private void close(boolean owned) {
    if (!owned) {
      Sentry.flush(settings.flushTimeout().toMillis());
      return;
    }
    Thread closer = new Thread(Sentry::close, "vigil-sentry-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(settings.flushTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link SentryReporter}. Each setter checks its argument at once. */
  public static final class Builder {
    private SentrySettings settings = SentrySettings.DEFAULTS;

    private Builder() {}

    /** Reads the {@code SENTRY_*} variables (and {@code HOSTNAME}) of the process environment. */
    public Builder readEnvironment() {
      return readEnvironment(System.getenv());
    }

    /**
     * Reads {@code SENTRY_DSN} (or {@code SENTRY_DSN_FILE}), {@code SENTRY_ENABLED}, {@code
     * SENTRY_ENVIRONMENT}, {@code SENTRY_RELEASE}, {@code SENTRY_TRACES_SAMPLE_RATE}, {@code
     * ALERT_SENTRY_ENABLED} and {@code HOSTNAME} (else {@code COMPUTERNAME}: the server name on
     * events) from {@code variables}.
     *
     * @throws IllegalArgumentException naming the variable, if one is malformed
     */
    public Builder readEnvironment(Map<String, String> variables) {
      settings = settings.read(Settings.of(variables));
      return this;
    }

    /**
     * Where to send events, {@code https://<public key>@<host>/<project id>}; null for none (then
     * nothing is sent unless the application initialised Sentry itself).
     */
    public Builder dsn(@Nullable String dsn) {
      settings = settings.withDsn(dsn == null ? null : SentrySettings.checkDsn("dsn", dsn));
      return this;
    }

    /** Whether errors go to Sentry at all; default true. */
    public Builder enabled(boolean enabled) {
      settings = settings.withEnabled(enabled);
      return this;
    }

    /**
     * Whether alerts go to Sentry too, as the {@code sentry} alert channel; default true. Which
     * alerts is set with {@code ALERT_SENTRY_MIN_SEVERITY} (default {@code error}) or {@code
     * alerting(a -> a.minSeverity(AlertSettings.SENTRY, ..))} on the Monitoring's builder.
     */
    public Builder alerts(boolean alerts) {
      settings = settings.withAlerts(alerts);
      return this;
    }

    /** Sentry's environment; default the Monitoring's environment. */
    public Builder environment(String environment) {
      settings = settings.withEnvironment(SentrySettings.nonBlank("environment", environment));
      return this;
    }

    /** The release events belong to, such as {@code 1.4.2} or a commit; default none. */
    public Builder release(String release) {
      settings = settings.withRelease(SentrySettings.nonBlank("release", release));
      return this;
    }

    /** The share of transactions traced, from 0 to 1; default none (no tracing). */
    public Builder tracesSampleRate(double rate) {
      settings = settings.withTracesSampleRate(SentrySettings.checkRate("tracesSampleRate", rate));
      return this;
    }

    /**
     * The longest {@code Monitoring.close()} waits for queued events to reach Sentry; default 2 s,
     * at most 1 minute.
     */
    public Builder flushTimeout(Duration timeout) {
      settings =
          settings.withFlushTimeout(SentrySettings.checkFlushTimeout("flushTimeout", timeout));
      return this;
    }

    /** The server name on events; default {@code HOSTNAME} when read from the environment. */
    public Builder serverName(String serverName) {
      settings = settings.withServerName(SentrySettings.nonBlank("serverName", serverName));
      return this;
    }

    public SentryReporter build() {
      return new SentryReporter(settings);
    }
  }
}
