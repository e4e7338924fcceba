package dev.vigil;

import dev.vigil.alert.AlertSettings;
import dev.vigil.alert.Alerts;
import dev.vigil.alert.Severity;
import dev.vigil.alert.internal.AlertService;
import dev.vigil.internal.Budgets;
import dev.vigil.internal.BusinessAnalytics;
import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.ErrorHandling;
import dev.vigil.internal.InputGuard;
import dev.vigil.internal.Internals;
import dev.vigil.internal.InvalidReason;
import dev.vigil.internal.Json;
import dev.vigil.internal.KpiDispatch;
import dev.vigil.internal.LabelPolicy;
import dev.vigil.internal.LogOutput;
import dev.vigil.internal.MetricsServer;
import dev.vigil.internal.UntypedKpi;
import dev.vigil.internal.UserActivity;
import dev.vigil.internal.WarnLimiter;
import dev.vigil.internal.page.KpiPage;
import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Extension;
import dev.vigil.spi.Settings;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * One service's business monitoring: KPI metrics in Prometheus, served on {@code /metrics};
 * structured, redacted logs; error reporting ({@code handleError}, to Sentry with {@code
 * vigil-sentry}); and alerts to people ({@link #alerts()}: Telegram, Slack, webhooks,
 * Alertmanager).
 *
 * <pre>{@code
 * Monitoring monitoring = Monitoring.fromEnv("bot").start();   // /metrics, /health, /kpi on :9091
 *
 * monitoring.trackKpi(Kpi.activeUser(userId));                 // also distinct users per window
 * monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
 * monitoring.trackKpi(Kpi.tokenSpend(900, "gpt-4", "input").forUser(userId)); // cost, top spenders
 * monitoring.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("19.99"), "USD"));
 * monitoring.trackKpi(Kpi.generationFailure("image", e));
 * monitoring.metrics().callJob("image-generation", "dalle-3", job.id(), () -> generate(job));
 *
 * try (LogContext ctx = LogContext.user(userId)) {             // userId on every log line inside
 *   monitoring.logger().info("Message received", Map.of("text", text));
 * } catch (Exception e) {
 *   monitoring.handleError(e, Map.of("userId", userId));       // log + errors_total + Sentry
 * }
 * monitoring.alerts().alertPaymentFailure(paymentId, e, Map.of("amount", amount)); // to people
 *
 * monitoring.close();                                          // at shutdown
 * }</pre>
 *
 * <p>Tracking never throws into the calling code: bad input is normalised or dropped, counted in
 * {@code vigil_invalid_inputs_total} and reported in a rate-limited warning that says how to fix
 * it. With {@link Builder#strict(boolean) strict mode} (for tests and development) the same message
 * is thrown as an {@link IllegalArgumentException} instead. Configuration mistakes fail fast, in
 * {@link Builder#build()} or {@link #start()}, naming the setting.
 *
 * <p>A {@code Monitoring} is thread-safe; create one per service and share it.
 */
public final class Monitoring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);
  private static final AtomicBoolean NO_BACKEND_NOTICE = new AtomicBoolean();
  static final String NO_BACKEND =
      "Vigil: no SLF4J logging backend is on the class path, so every log line (handleError,"
          + " alerts, warnings about bad input) is dropped. Add dev.vigil:vigil-logback for JSON"
          + " lines with no configuration, or any SLF4J 2 backend such as"
          + " ch.qos.logback:logback-classic.";

  private final String service;
  private final String environment;
  private final boolean metricsEnabled;
  private final String metricsHost;
  private final int metricsPort;
  private final @Nullable String metricsBearerToken;
  private final boolean strict;
  private final boolean disabled;
  private final CoreMetrics core;
  private final KpiDispatch kpis;
  private final UntypedKpi untyped;
  private final Metrics metrics;
  private final ErrorHandling errors;
  private final LogOutput logOutput;
  private final StructuredLogger logger;
  private final BusinessAnalytics analytics;
  private final AlertService alerts;
  private final Budgets budgets;
  private final @Nullable KpiPage page;
  private final Settings settings;
  private final Internals.Parts parts;
  private final Ticker ticker;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();
  private @Nullable MetricsServer server; // guarded by this

  private Monitoring(Builder b) {
    this.service = b.service;
    this.environment = b.environment;
    this.metricsEnabled = b.metricsEnabled;
    this.metricsHost = b.metricsHost;
    this.metricsPort = b.metricsPort;
    this.metricsBearerToken = b.metricsBearerToken;
    this.strict = b.strict;
    this.disabled = b.disabled;
    this.settings = Settings.of(b.variables);
    this.ticker = b.ticker;
    this.clock = b.clock;
    AlertSettings alertSettings = b.alerting.build();
    PrometheusRegistry registry = b.registry == null ? new PrometheusRegistry() : b.registry;
    WarnLimiter limiter =
        new WarnLimiter(
            b.disabled ? NOPLogger.NOP_LOGGER : LoggerFactory.getLogger("dev.vigil"),
            b.ticker,
            b.warnInterval.toNanos(),
            TimeUnit.NANOSECONDS,
            b.tagLogLines ? service : null,
            environment);
    InputGuard guard = new InputGuard(b.strict, limiter);
    LabelPolicy policy = new LabelPolicy(b.maxLabelValueLength, b.labelRules);
    this.core =
        new CoreMetrics(
            service, guard, policy, registry, b.maxLabelSets, b.maxLabelSetsByMetric, limiter);
    this.kpis = core.kpis();
    if (b.disabled) {
      // Dropped inside the dispatch, not by a check in every trackKpi overload: one field test
      // more would take trackKpi(Kpi.tokenSpend(..)) past MaxInlineSize (35 bytes), and C2 would
      // then inline it only at hot call sites (RecordEntryPointTest).
      kpis.turnOff();
    }
    this.untyped = new UntypedKpi(core, Kpi.TYPES.toString());
    this.metrics = new Metrics(core, b.ticker);
    ILoggerFactory loggerFactory =
        b.loggerFactory == null ? LoggerFactory.getILoggerFactory() : b.loggerFactory;
    if (loggerFactory instanceof NOPLoggerFactory && NO_BACKEND_NOTICE.compareAndSet(false, true)) {
      // SLF4J without a backend drops every line, handleError's too, after one cryptic warning.
      System.err.println(NO_BACKEND);
    }
    this.logOutput =
        new LogOutput(
            loggerFactory,
            service,
            environment,
            Redactor.builder().addKeys(b.redactKeys.toArray(new String[0])).build(),
            core);
    logOutput.tagLines(b.tagLogLines);
    this.logger = new StructuredLogger(loggerFactory.getLogger(service), logOutput);
    this.errors = new ErrorHandling(core, logOutput);
    this.analytics =
        new BusinessAnalytics(
            core,
            b.ticker,
            b.clock,
            b.pricing,
            b.activeUserWindows,
            b.topSpenders,
            b.topSpendersLogInterval);
    this.alerts =
        new AlertService(core, errors, alertSettings, environment, b.ticker, b.clock, limiter);
    this.budgets =
        new Budgets(
            core,
            analytics.aiCost(),
            analytics.userActivity(),
            alerts,
            b.clock,
            b.budgets(),
            b.budgetZone,
            b.budgetCheckInterval);
    if (alertSettings.enabled() && alertSettings.configuredChannels().size() > 1) {
      // Through the service's own logger, so the line carries the service; secrets are masked.
      logger("dev.vigil.alerts")
          .info("Vigil: alerts for service '" + service + "': " + alertSettings);
    }
    this.parts = new Internals.Parts(core, errors, logOutput, alerts);
    for (AlertChannel channel : b.alertChannels) {
      alerts.addChannel(channel);
    }
    this.page =
        b.metricsEnabled && b.uiEnabled
            ? new KpiPage(core, analytics, alerts, environment, b.ticker, b.clock)
            : null;
    if (b.jvmMetrics) {
      JvmMetrics.builder()
          .constLabels(Labels.of(MetricCatalog.SERVICE_LABEL, service))
          .register(registry);
    }
    installExtensions(b, limiter, alertSettings);
  }

  static {
    Internals.grant(monitoring -> monitoring.parts);
  }

  private void installExtensions(Builder b, WarnLimiter limiter, AlertSettings alertSettings) {
    List<Extension> extensions = new ArrayList<>(b.extensions);
    if (b.discoverExtensions) {
      Set<String> given = new HashSet<>();
      for (Extension e : b.extensions) {
        given.add(e.name());
      }
      try {
        for (Extension found :
            ServiceLoader.load(Extension.class, Monitoring.class.getClassLoader())) {
          if (given.add(found.name())) {
            extensions.add(found);
          }
        }
      } catch (ServiceConfigurationError e) {
        throw new IllegalStateException(
            "Cannot load a Vigil extension listed in META-INF/services/dev.vigil.spi.Extension ("
                + e.getMessage()
                + "). Remove the broken module from the class path, or build with"
                + " discoverExtensions(false) and pass extensions to extension(..).",
            e);
      }
    }
    MonitoringContext context =
        new MonitoringContext(
            this,
            core,
            errors,
            logOutput,
            alerts,
            analytics,
            budgets,
            alertSettings,
            settings,
            limiter);
    for (Extension extension : extensions) {
      try {
        extension.install(context);
      } catch (RuntimeException e) {
        core.runCloseHooks();
        throw e;
      }
    }
  }

  /**
   * Starts configuring monitoring for {@code service}, the value of the {@code service} label on
   * every series. Nothing is read from the environment unless you call {@link
   * Builder#readEnvironment()}.
   */
  public static Builder builder(String service) {
    return new Builder(service);
  }

  /**
   * Monitoring for {@code service}, configured from the environment variables documented in the
   * README ({@code ENABLE_METRICS}, {@code METRICS_PORT}, ...). Call {@link #start()} to serve
   * {@code /metrics}.
   *
   * @throws IllegalArgumentException naming the variable, if one is malformed
   */
  public static Monitoring fromEnv(String service) {
    return builder(service).readEnvironment().build();
  }

  /**
   * A {@code Monitoring} that accepts every call and does nothing with it, for code that injects
   * one where monitoring is turned off (Spring Boot's {@code vigil.enabled=false}, tests): {@code
   * trackKpi} returns at once, {@link #start()} serves nothing, no alert is sent, no extension
   * (Sentry) is installed, no JVM metrics are registered, and nothing reads the environment. Jobs
   * given to {@link #metrics()} still run, as they must. What the application writes through {@link
   * #logger()} and the log line of {@code handleError} still reach its logging backend, so turning
   * Vigil off loses none of the application's own log lines.
   *
   * <pre>{@code
   * Monitoring monitoring = enabled ? Monitoring.fromEnv("bot").start() : Monitoring.disabled("bot");
   * }</pre>
   */
  public static Monitoring disabled(String service) {
    Builder builder = builder(service);
    builder.disabled = true;
    return builder
        .metricsEnabled(false)
        .jvmMetrics(false)
        .discoverExtensions(false)
        .alerting(alerts -> alerts.enabled(false))
        .activeUserWindows()
        .topSpendersLogInterval(Duration.ZERO)
        .maxLabelSets(1)
        .build();
  }

  /**
   * Serves {@code /metrics} and {@code /health} on {@code METRICS_HOST:METRICS_PORT}, unless
   * metrics are disabled. Calling it again does nothing.
   *
   * @return this, for {@code Monitoring.fromEnv("bot").start()}
   * @throws IllegalStateException if the port is taken (the message names the port and {@code
   *     METRICS_PORT}) or this monitoring is closed
   */
  public synchronized Monitoring start() {
    if (closed.get()) {
      throw new IllegalStateException("Monitoring for service '" + service + "' is closed");
    }
    analytics.start();
    budgets.start();
    if (server != null) {
      return this;
    }
    if (disabled) {
      return this;
    }
    if (!metricsEnabled) {
      LOG.info("Vigil: metrics endpoint disabled for service '{}' (ENABLE_METRICS=false)", service);
      return this;
    }
    StringBuilder health = new StringBuilder("{\"status\":\"ok\",\"service\":");
    Json.quote(health, service).append(",\"environment\":");
    Json.quote(health, environment).append('}');
    server =
        MetricsServer.start(
            metricsHost,
            metricsPort,
            core,
            health.toString(),
            metricsBearerToken,
            core.endpoints(),
            page == null ? null : page.handler());
    if (page != null) {
      page.start();
    }
    LOG.info(
        "Vigil: serving metrics for service '{}' on http://{}:{}/metrics{}{}",
        service,
        metricsHost,
        server.address().getPort(),
        page == null ? "" : ", the KPI page on /",
        metricsBearerToken == null ? "" : " (bearer token required)");
    return this;
  }

  /**
   * Counts a KPI event. Never throws unless strict mode is on.
   *
   * <p>For each event type there is also an overload taking that type, which the compiler picks for
   * {@code trackKpi(Kpi.tokenSpend(..))} and friends. They do the same thing; they are small enough
   * for the JIT to inline into your code, so the event object is never allocated.
   *
   * @see Kpi for the six event types, the provider usage objects and their factories
   */
  public void trackKpi(@Nullable Kpi kpi) {
    if (kpi instanceof Kpi.TokenSpend) {
      trackKpi((Kpi.TokenSpend) kpi);
    } else if (kpi instanceof Kpi.ActiveUser) {
      trackKpi((Kpi.ActiveUser) kpi);
    } else if (kpi instanceof Kpi.GenerationSuccess) {
      trackKpi((Kpi.GenerationSuccess) kpi);
    } else if (kpi instanceof Kpi.GenerationFailure) {
      trackKpi((Kpi.GenerationFailure) kpi);
    } else if (kpi instanceof Kpi.PaymentConversion) {
      trackKpi((Kpi.PaymentConversion) kpi);
    } else if (kpi instanceof Kpi.PaymentFailure) {
      trackKpi((Kpi.PaymentFailure) kpi);
    } else if (kpi instanceof Kpi.OpenAiChatUsage) {
      trackKpi((Kpi.OpenAiChatUsage) kpi);
    } else if (kpi instanceof Kpi.OpenAiResponsesUsage) {
      trackKpi((Kpi.OpenAiResponsesUsage) kpi);
    } else if (kpi instanceof Kpi.AnthropicUsage) {
      trackKpi((Kpi.AnthropicUsage) kpi);
    } else if (kpi instanceof Kpi.GeminiUsage) {
      trackKpi((Kpi.GeminiUsage) kpi);
    } else if (kpi instanceof Kpi.TokenUsage) {
      trackKpi((Kpi.TokenUsage) kpi);
    } else {
      nullEvent();
    }
  }

  /** Counts the usage of an OpenAI Chat Completions call; see {@link Kpi#openAiChatUsage}. */
  public void trackKpi(Kpi.@Nullable OpenAiChatUsage kpi) {
    if (kpi == null) {
      nullEvent();
      return;
    }
    kpis.usage(
        KpiDispatch.OPENAI_CHAT,
        kpi.model(),
        kpi.promptTokens(),
        kpi.cachedTokens(),
        0,
        kpi.completionTokens(),
        kpi.reasoningTokens(),
        kpi.userId());
  }

  /** Counts the usage of an OpenAI Responses call; see {@link Kpi#openAiResponsesUsage}. */
  public void trackKpi(Kpi.@Nullable OpenAiResponsesUsage kpi) {
    if (kpi == null) {
      nullEvent();
      return;
    }
    kpis.usage(
        KpiDispatch.OPENAI_RESPONSES,
        kpi.model(),
        kpi.inputTokens(),
        kpi.cachedTokens(),
        0,
        kpi.outputTokens(),
        kpi.reasoningTokens(),
        kpi.userId());
  }

  /** Counts the usage of an Anthropic Messages call; see {@link Kpi#anthropicUsage}. */
  public void trackKpi(Kpi.@Nullable AnthropicUsage kpi) {
    if (kpi == null) {
      nullEvent();
      return;
    }
    kpis.usage(
        KpiDispatch.ANTHROPIC,
        kpi.model(),
        kpi.inputTokens(),
        kpi.cacheCreationInputTokens(),
        kpi.cacheReadInputTokens(),
        kpi.outputTokens(),
        kpi.ephemeral1hInputTokens(),
        kpi.userId());
  }

  /** Counts the usage of a Gemini call; see {@link Kpi#geminiUsage}. */
  public void trackKpi(Kpi.@Nullable GeminiUsage kpi) {
    if (kpi == null) {
      nullEvent();
      return;
    }
    kpis.usage(
        KpiDispatch.GEMINI,
        kpi.model(),
        kpi.promptTokenCount(),
        kpi.cachedContentTokenCount(),
        kpi.toolUsePromptTokenCount(),
        kpi.candidatesTokenCount(),
        kpi.thoughtsTokenCount(),
        kpi.userId());
  }

  /** Counts the tokens of a model call by kind; see {@link Kpi#tokenUsage}. */
  public void trackKpi(Kpi.@Nullable TokenUsage kpi) {
    if (kpi == null) {
      nullEvent();
      return;
    }
    kpis.usage(
        KpiDispatch.TOKEN_USAGE,
        kpi.model(),
        kpi.inputTokens(),
        kpi.cacheReadTokens(),
        kpi.cacheWriteTokens(),
        kpi.outputTokens(),
        kpi.reasoningTokens(),
        kpi.userId());
  }

  /** Counts tokens consumed; see {@link #trackKpi(Kpi)}. */
  public void trackKpi(Kpi.@Nullable TokenSpend kpi) {
    if (kpi == null) {
      nullEvent();
      return;
    }
    kpis.record(KpiDispatch.TOKEN_SPEND, kpi.tokens(), kpi.model(), kpi.type(), kpi.userId(), null);
  }

  /** Counts a user interaction; see {@link #trackKpi(Kpi)}. */
  public void trackKpi(Kpi.@Nullable ActiveUser kpi) {
    if (kpi == null) {
      nullEvent();
      return;
    }
    kpis.record(KpiDispatch.ACTIVE_USER, 0, kpi.userId(), null, null, null);
  }

  /** Counts a successful generation; see {@link #trackKpi(Kpi)}. */
  public void trackKpi(Kpi.@Nullable GenerationSuccess kpi) {
    if (kpi == null) {
      nullEvent();
      return;
    }
    kpis.record(KpiDispatch.GENERATION_SUCCESS, 0, kpi.type(), null, null, null);
  }

  /** Counts a failed generation; see {@link #trackKpi(Kpi)}. */
  public void trackKpi(Kpi.@Nullable GenerationFailure kpi) {
    if (kpi == null) {
      nullEvent();
      return;
    }
    kpis.record(KpiDispatch.GENERATION_FAILURE, 0, kpi.type(), kpi.errorType(), null, null);
  }

  /** Counts a successful payment; see {@link #trackKpi(Kpi)}. */
  public void trackKpi(Kpi.@Nullable PaymentConversion kpi) {
    if (kpi == null) {
      nullEvent();
      return;
    }
    kpis.record(
        KpiDispatch.PAYMENT_CONVERSION,
        0,
        kpi.paymentMethod(),
        kpi.plan(),
        kpi.currency(),
        kpi.amount());
  }

  /** Counts a failed payment; see {@link #trackKpi(Kpi)}. */
  public void trackKpi(Kpi.@Nullable PaymentFailure kpi) {
    if (kpi == null) {
      nullEvent();
      return;
    }
    kpis.record(
        KpiDispatch.PAYMENT_FAILURE,
        0,
        kpi.paymentId(),
        kpi.paymentMethod(),
        kpi.errorType(),
        null);
  }

  /**
   * Counts a KPI event given the specification's way: a type name and a map of fields, such as
   * {@code trackKpi("token_spend", Map.of("tokens", 1500, "model", "gpt-4", "type",
   * "completion"))}. Field names are the specification's: {@code userId}, {@code type}, {@code
   * errorType}, {@code tokens}, {@code model}, {@code paymentMethod}, {@code plan}, {@code
   * paymentId}, plus {@code amount} and {@code currency} for conversions. Prefer {@link
   * #trackKpi(Kpi)} in new code: the compiler checks it.
   */
  public void trackKpi(@Nullable String type, @Nullable Map<String, ?> data) {
    if (disabled) {
      return;
    }
    untyped.track(type, data);
  }

  private void nullEvent() {
    if (disabled) {
      return;
    }
    core.guard()
        .reject(
            "trackKpi",
            InvalidReason.NULL_EVENT,
            "trackKpi: the event is null; event dropped. Build it with a Kpi factory, such as"
                + " Kpi.activeUser(userId).");
  }

  /**
   * Reports an error: {@code errors_total{error_type,severity="error"}}, an ERROR log line on the
   * logger {@code dev.vigil.errors} with the stack trace and the redacted context (key-value pairs
   * {@code error_type}, {@code severity}, {@code context}), then the error listeners: Sentry when
   * {@code vigil-sentry} is configured. Never throws, whatever it is given: a null error, a null
   * context, a context whose values fail to print.
   *
   * <pre>{@code
   * } catch (Exception e) {
   *   monitoring.handleError(e, Map.of("userId", userId, "messageText", text));
   * }
   * }</pre>
   */
  public void handleError(@Nullable Throwable error, @Nullable Map<String, ?> context) {
    errors.handle(error, context, ErrorHandling.ERROR);
  }

  /** {@link #handleError(Throwable, Map)} without context. */
  public void handleError(@Nullable Throwable error) {
    errors.handle(error, null, ErrorHandling.ERROR);
  }

  /**
   * Reports an error that needs a person now: like {@link #handleError(Throwable, Map)} with {@code
   * severity="critical"} (Sentry level fatal), and the alerting listener raises a critical alert.
   */
  public void handleCriticalError(@Nullable Throwable error, @Nullable Map<String, ?> context) {
    errors.handle(error, context, ErrorHandling.CRITICAL);
  }

  /** The redactor applied to everything that leaves the process. */
  public Redactor redactor() {
    return logOutput.redactor();
  }

  /**
   * This service's structured logger: messages with named, redacted fields, tagged with the service
   * and the environment. Its SLF4J logger is named after the service.
   *
   * <pre>{@code
   * monitoring.logger().info("Message received", Map.of("userId", userId, "text", text));
   * }</pre>
   */
  public StructuredLogger logger() {
    return logger;
  }

  /** A structured logger with its own SLF4J logger name, such as a class name. */
  public StructuredLogger logger(String name) {
    Objects.requireNonNull(name, "logger name must not be null");
    return new StructuredLogger(logOutput.logger(name), logOutput);
  }

  /** A structured logger named after {@code type}, as {@code LoggerFactory.getLogger(type)}. */
  public StructuredLogger logger(Class<?> type) {
    Objects.requireNonNull(type, "logger type must not be null");
    return logger(type.getName());
  }

  /**
   * Alerts for people: payment, queue, critical-error, error-rate and degradation alerts, delivered
   * in the background to the log and the configured channels (Telegram, Slack, a webhook,
   * Alertmanager, and channels that modules add, such as Sentry).
   *
   * <pre>{@code
   * monitoring.alerts().alertQueueFailure("image-generation", e, Map.of("jobId", job.id()));
   * }</pre>
   */
  public Alerts alerts() {
    return alerts;
  }

  /** Queue and HTTP metrics, and custom KPI declarations. */
  public Metrics metrics() {
    return metrics;
  }

  /**
   * The business snapshot also served as {@code GET /kpi} on the metrics port: generation success
   * rates, payment conversion rate, revenue by plan, tokens and cost by model, distinct users and
   * top spenders per window, and queue p95, computed in-process from the same series as {@code
   * /metrics}. For services without Prometheus yet, and for tests.
   */
  public String kpiJson() {
    return analytics.kpiJson();
  }

  /** The registry behind {@code /metrics}, to add your own client_java collectors. */
  public PrometheusRegistry registry() {
    return core.registry();
  }

  /** The source of durations: what timers and the HTTP filters measure with. */
  public Ticker ticker() {
    return ticker;
  }

  /** The wall clock: alert times, Alertmanager's {@code startsAt} and {@code endsAt}. */
  public Clock clock() {
    return clock;
  }

  /** The {@code service} label value. */
  public String service() {
    return service;
  }

  /** The deployment environment ({@code APP_ENV} or {@code ENVIRONMENT}). */
  public String environment() {
    return environment;
  }

  /** Whether strict mode is on: bad input throws instead of being normalised. */
  public boolean strict() {
    return strict;
  }

  /**
   * Where {@code /metrics} is served (the real port if 0 was asked for), or null if not serving.
   */
  public synchronized @Nullable InetSocketAddress metricsAddress() {
    return server == null ? null : server.address();
  }

  /**
   * Stops the endpoint and flushes what is pending: alerts still queued or retrying are delivered
   * within {@code ALERT_CLOSE_TIMEOUT} (default 5 s). Calling it again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    core.runCloseHooks();
    synchronized (this) {
      if (server != null) {
        server.close();
        server = null;
      }
    }
  }

  /**
   * Configures a {@link Monitoring}. Each setter checks its argument at once, with the same bounds
   * as the environment variable and the Spring Boot property of the setting, and names itself in
   * the message; values read by {@link #readEnvironment()} are overridden by setters called after
   * it.
   */
  public static final class Builder {
    private static final List<Duration> DEFAULT_WINDOWS =
        List.of(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofHours(24));
    private static final int MAX_BUDGETS = 64;

    // Package-private: MonitoringSettings, which declares every setting once, fills them.
    final String service;
    String environment = "development";
    boolean metricsEnabled = true;
    boolean uiEnabled = true;
    String metricsHost = "0.0.0.0";
    int metricsPort = 9091;
    @Nullable String metricsBearerToken;
    boolean jvmMetrics = true;
    boolean strict;
    int maxLabelSets = 1000;
    final Map<String, Integer> maxLabelSetsByMetric = new HashMap<>();
    int maxLabelValueLength = 128;
    final List<String> redactKeys = new ArrayList<>();
    Pricing pricing = Pricing.defaults();
    List<Duration> activeUserWindows = DEFAULT_WINDOWS;
    int topSpenders = 10;
    Duration topSpendersLogInterval = Duration.ofMinutes(5);
    int @Nullable [] envBudgetAlertAt;
    ZoneId budgetZone = ZoneOffset.UTC;
    Duration budgetCheckInterval = Duration.ofSeconds(15);
    private final List<AiBudget> aiBudgets = new ArrayList<>();
    private final List<String> aiBudgetSources = new ArrayList<>();
    private final Map<String, LabelRule> labelRules = new HashMap<>();
    private Ticker ticker = Ticker.system();
    private Clock clock = Clock.systemUTC();
    private Duration warnInterval = Duration.ofMinutes(1);
    private @Nullable PrometheusRegistry registry;
    final AlertSettings.Builder alerting = AlertSettings.builder();
    private final Map<String, String> variables = new HashMap<>();
    private @Nullable ILoggerFactory loggerFactory;
    private final List<Extension> extensions = new ArrayList<>();
    private final List<AlertChannel> alertChannels = new ArrayList<>();
    private boolean discoverExtensions = true;
    private boolean disabled;
    private boolean tagLogLines = true;

    private Builder(String service) {
      Objects.requireNonNull(service, "service must not be null");
      if (service.isBlank() || service.length() > 128 || LabelPolicyAccess.hasControl(service)) {
        throw new IllegalArgumentException(
            "service must be a non-blank name of at most 128 characters without control"
                + " characters, such as \"bot\" or \"api\"; got '"
                + service
                + "'");
      }
      this.service = service.strip();
    }

    /** Reads the documented environment variables from the process environment. */
    public Builder readEnvironment() {
      return readEnvironment(System.getenv());
    }

    /**
     * Reads the documented environment variables from {@code variables}, for tests and for
     * configuration systems that are not the process environment. Modules (Sentry, Redis,
     * OpenTelemetry) read theirs from the same variables.
     *
     * @throws IllegalArgumentException naming the variable, if one is malformed
     */
    public Builder readEnvironment(Map<String, String> variables) {
      Settings settings = Settings.of(variables);
      this.variables.putAll(settings.asMap());
      MonitoringSettings.readEnvironment(this, settings);
      alerting.readEnvironment(variables);
      return this;
    }

    /**
     * Applies Vigil's properties, as Spring Boot's starter does with its {@code vigil.*}
     * properties: {@code vigil.environment}, {@code vigil.strict}, {@code vigil.redact-keys},
     * {@code vigil.metrics.enabled}, {@code .port}, {@code .host}, {@code .bearer-token}, {@code
     * .jvm}, {@code .max-label-sets}, {@code .max-label-sets-per-metric.<metric>} and {@code
     * vigil.ui.enabled}. A value is its text, as in a properties file, or a value of the setting's
     * type, as a configuration system binds it ({@code Integer}, {@code Boolean}, a {@code List} of
     * keys). They go through the same checks as the variables and the setters.
     *
     * <pre>{@code
     * Monitoring.builder("api").readEnvironment().readProperties(Map.of("vigil.metrics.port", "9092"));
     * }</pre>
     *
     * @throws IllegalArgumentException naming the property, if one is malformed or not Vigil's
     */
    public Builder readProperties(Map<String, ?> properties) {
      MonitoringSettings.readProperties(
          this, Objects.requireNonNull(properties, "properties must not be null"));
      return this;
    }

    void addBudget(AiBudget budget, String source) {
      for (int i = 0; i < aiBudgets.size(); i++) {
        AiBudget other = aiBudgets.get(i);
        if (other.scope() == budget.scope()
            && Objects.equals(other.model(), budget.model())
            && other.windowLabel().equals(budget.windowLabel())) {
          aiBudgets.set(i, budget); // the later setting of the same budget wins
          aiBudgetSources.set(i, source);
          return;
        }
      }
      if (aiBudgets.size() >= MAX_BUDGETS) {
        throw new IllegalArgumentException(
            source + ": at most " + MAX_BUDGETS + " AI budgets, got more");
      }
      aiBudgets.add(budget);
      aiBudgetSources.add(source);
    }

    List<AiBudget> budgetsOf(AiBudget.Scope scope) {
      List<AiBudget> of = new ArrayList<>();
      for (AiBudget budget : aiBudgets) {
        if (budget.scope() == scope) {
          of.add(budget);
        }
      }
      return of;
    }

    /**
     * Adds an AI budget: a limit on spend per window that raises an alert at each of its thresholds
     * once per window; see {@link AiBudget}. A budget for the same scope, model and window replaces
     * the earlier one.
     */
    public Builder aiBudget(AiBudget budget) {
      addBudget(Objects.requireNonNull(budget, "aiBudget must not be null"), "aiBudget(..)");
      return this;
    }

    /**
     * The time zone whose midnights start the calendar windows of the AI budgets ({@code
     * VIGIL_BUDGET_ZONE}); default UTC, as the providers' usage pages count days.
     */
    public Builder aiBudgetZone(ZoneId zone) {
      this.budgetZone = MonitoringSettings.BUDGET_ZONE.check(zone);
      return this;
    }

    /**
     * How often the AI budgets are checked between window boundaries ({@code
     * VIGIL_BUDGET_CHECK_INTERVAL}); default 15 seconds, from 1 second to 1 hour. Every scrape
     * checks too.
     */
    public Builder aiBudgetCheckInterval(Duration interval) {
      this.budgetCheckInterval = MonitoringSettings.BUDGET_CHECK_INTERVAL.check(interval);
      return this;
    }

    /** The budgets, checked against the windows of the top spenders. */
    List<AiBudget> budgets() {
      for (int i = 0; i < aiBudgets.size(); i++) {
        AiBudget budget = aiBudgets.get(i);
        if (budget.scope() == AiBudget.Scope.USER
            && !activeUserWindows.contains(budget.userWindow())) {
          List<String> labels = new ArrayList<>();
          for (Duration w : activeUserWindows) {
            labels.add(UserActivity.label(w));
          }
          throw new IllegalArgumentException(
              aiBudgetSources.get(i)
                  + ": a per-user AI budget counts a window of the top spenders, and "
                  + budget.windowLabel()
                  + " is not one ("
                  + (labels.isEmpty() ? "they are off" : "they are " + String.join(", ", labels))
                  + "). Add "
                  + budget.windowLabel()
                  + " to VIGIL_ACTIVE_USER_WINDOWS (activeUserWindows(..)) or use one of those.");
        }
      }
      return List.copyOf(aiBudgets);
    }

    /** The deployment environment, such as {@code production}; default {@code development}. */
    public Builder environment(String environment) {
      this.environment = MonitoringSettings.APP_ENV.check(environment);
      return this;
    }

    /** Whether {@link Monitoring#start()} serves {@code /metrics}; default true. */
    public Builder metricsEnabled(boolean enabled) {
      this.metricsEnabled = enabled;
      return this;
    }

    /**
     * Whether {@link Monitoring#start()} also serves the live KPI page on {@code /} of the metrics
     * port (and its history at {@code /kpi/history}); default true. It needs the metrics endpoint.
     */
    public Builder uiEnabled(boolean enabled) {
      this.uiEnabled = enabled;
      return this;
    }

    /** The port of {@code /metrics}; default 9091, 0 picks a free port. */
    public Builder metricsPort(int port) {
      this.metricsPort = MonitoringSettings.METRICS_PORT.check(port);
      return this;
    }

    /** The interface {@code /metrics} listens on; default {@code 0.0.0.0} (all). */
    public Builder metricsHost(String host) {
      this.metricsHost = MonitoringSettings.METRICS_HOST.check(host);
      return this;
    }

    /** Requires {@code Authorization: Bearer <token>} on {@code /metrics}; default none. */
    public Builder metricsBearerToken(@Nullable String token) {
      this.metricsBearerToken =
          token == null ? null : MonitoringSettings.METRICS_BEARER_TOKEN.check(token);
      return this;
    }

    /** Whether JVM and process metrics (from client_java) are exposed; default true. */
    public Builder jvmMetrics(boolean enabled) {
      this.jvmMetrics = enabled;
      return this;
    }

    /**
     * Strict mode throws {@link IllegalArgumentException} on bad input instead of normalising it.
     * For tests and development; default false.
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * The most label sets any one metric may hold, from 1 to 1,000,000 (default 1000). Further
     * label sets are folded into one overflow series whose labels are all {@code __overflow__}.
     */
    public Builder maxLabelSets(int max) {
      this.maxLabelSets = MonitoringSettings.MAX_LABEL_SETS.check(max);
      return this;
    }

    /**
     * The label-set limit of one metric, by its exposed name; overrides {@link #maxLabelSets(int)}.
     */
    public Builder maxLabelSets(String metricName, int max) {
      Objects.requireNonNull(metricName, "metricName must not be null");
      if (metricName.isBlank()) {
        // A limit for the metric '' would never apply: the property path rejects it too.
        throw new IllegalArgumentException(
            "maxLabelSets: metricName must name a metric, such as http_requests_total; got '"
                + metricName
                + "'");
      }
      maxLabelSetsByMetric.put(
          metricName,
          MonitoringSettings.MAX_LABEL_SETS.check("maxLabelSets for " + metricName, max));
      return this;
    }

    /** The longest label value kept, from 16 to 4096; longer ones are truncated. Default 128. */
    public Builder maxLabelValueLength(int max) {
      this.maxLabelValueLength = MonitoringSettings.MAX_LABEL_LENGTH.check(max);
      return this;
    }

    /** Normalises the values of {@code labelName} (in every metric) with {@code rule}. */
    public Builder labelRule(String labelName, LabelRule rule) {
      Objects.requireNonNull(labelName, "labelName must not be null");
      Objects.requireNonNull(rule, "rule must not be null");
      labelRules.put(labelName, rule);
      return this;
    }

    /**
     * Also redacts values under keys containing any of these (the defaults stay: password, secret,
     * token, api key, authorization, cookie, card number, cvv, ...).
     */
    public Builder redactKeys(String... keys) {
      Objects.requireNonNull(keys, "redactKeys must not be null");
      redactKeys.addAll(MonitoringSettings.REDACT_KEYS.check(Arrays.asList(keys)));
      return this;
    }

    /** The source of durations and rate-limit windows; tests pass a fake. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /** The wall clock for timestamps; tests pass a fixed one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** The shortest interval between two warnings about the same problem; default 1 minute. */
    public Builder warnInterval(Duration interval) {
      Objects.requireNonNull(interval, "warnInterval must not be null");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("warnInterval must not be negative, got " + interval);
      }
      this.warnInterval = interval;
      return this;
    }

    /**
     * The prices behind {@code ai_cost_usd_total}; default {@link Pricing#defaults()}, or the file
     * named by {@code VIGIL_PRICING_FILE} merged over it.
     */
    public Builder pricing(Pricing pricing) {
      this.pricing = MonitoringSettings.PRICING_FILE.check(pricing);
      return this;
    }

    /**
     * The sliding windows of {@code active_users_distinct{window}} and of the top spenders; default
     * 5m, 1h and 24h. Each is between 1 minute and 31 days in whole seconds; at most 8. No windows
     * turns distinct users and top spenders off (and saves their memory).
     */
    public Builder activeUserWindows(Duration... windows) {
      Objects.requireNonNull(windows, "activeUserWindows must not be null");
      this.activeUserWindows = MonitoringSettings.ACTIVE_USER_WINDOWS.check(Arrays.asList(windows));
      return this;
    }

    /** How many users the top-spender lists show per window, 1 to 100; default 10. */
    public Builder topSpenders(int count) {
      this.topSpenders = MonitoringSettings.TOP_SPENDERS.check(count);
      return this;
    }

    /**
     * How often the top spenders are logged at INFO (one line per window with spend, from {@link
     * Monitoring#start()}); default 5 minutes, {@link Duration#ZERO} for never, at most a day.
     */
    public Builder topSpendersLogInterval(Duration interval) {
      this.topSpendersLogInterval = MonitoringSettings.TOP_SPENDERS_LOG_INTERVAL.check(interval);
      return this;
    }

    /**
     * Where log lines go: the SLF4J logger factory of {@link Monitoring#logger()} and {@code
     * handleError}. Default {@code LoggerFactory.getILoggerFactory()}; tests and benchmarks pass a
     * logging context of their own.
     */
    public Builder loggerFactory(ILoggerFactory factory) {
      this.loggerFactory = Objects.requireNonNull(factory, "loggerFactory must not be null");
      return this;
    }

    /**
     * Installs {@code extension}, such as a {@code SentryReporter} configured in code. A discovered
     * extension with the same {@link Extension#name()} is skipped.
     */
    public Builder extension(Extension extension) {
      extensions.add(Objects.requireNonNull(extension, "extension must not be null"));
      return this;
    }

    /**
     * Sends alerts to a channel of your own too, such as a pager or a chat system Vigil does not
     * know. It receives the alerts whose severity reaches {@code ALERT_<NAME>_MIN_SEVERITY} or
     * {@link #alertRouting}'s for its name ({@code info} and above by default), with the same
     * queue, retries, rate limit and self-metrics as the built-in channels.
     *
     * <pre>{@code
     * Monitoring monitoring = Monitoring.builder("api")
     *     .alertChannel(new PagerChannel(pagerUrl))
     *     .alertRouting("pager", Severity.CRITICAL)
     *     .build();
     * }</pre>
     *
     * @throws IllegalArgumentException in {@link #build()}, if its name is malformed or taken
     */
    public Builder alertChannel(AlertChannel channel) {
      alertChannels.add(Objects.requireNonNull(channel, "alertChannel must not be null"));
      return this;
    }

    /**
     * Whether Vigil's own log lines (request lines, {@code handleError}, warnings, alerts, {@link
     * Monitoring#logger()}) carry the key-value pairs {@code service} and {@code environment}, so
     * that a JVM running several services tags each line with its own; default true. Turn it off
     * where the log format writes the service itself and a second one would collide: Spring Boot's
     * ECS structured logging writes a {@code service} object (the Spring Boot starter turns it off
     * there for you).
     */
    public Builder tagLogLines(boolean tag) {
      this.tagLogLines = tag;
      return this;
    }

    /**
     * Whether the extensions on the class path ({@code META-INF/services/dev.vigil.spi.Extension},
     * such as {@code vigil-sentry} and {@code vigil-logback}) are installed; default true.
     */
    public Builder discoverExtensions(boolean discover) {
      this.discoverExtensions = discover;
      return this;
    }

    /**
     * Sends alerts to a Telegram chat with the Bot API ({@code TELEGRAM_BOT_TOKEN}, {@code
     * TELEGRAM_CHAT_ID}); see {@link AlertSettings.Builder#telegram(String, String)}.
     */
    public Builder telegram(String botToken, String chatId) {
      alerting.telegram(botToken, chatId);
      return this;
    }

    /** Sends alerts to a forum topic of a Telegram chat ({@code TELEGRAM_TOPIC_ID}). */
    public Builder telegram(String botToken, String chatId, long topicId) {
      alerting.telegram(botToken, chatId, topicId);
      return this;
    }

    /** Sends alerts to a Slack incoming webhook ({@code SLACK_WEBHOOK_URL}). */
    public Builder slackWebhook(String url) {
      alerting.slackWebhook(url);
      return this;
    }

    /** Posts alerts as JSON to a URL ({@code ALERT_WEBHOOK_URL}). */
    public Builder alertWebhook(String url) {
      alerting.webhook(url);
      return this;
    }

    /**
     * Posts alerts to Alertmanager, such as {@code http://alertmanager:9093} ({@code
     * ALERTMANAGER_URL}).
     */
    public Builder alertmanager(String url) {
      alerting.alertmanager(url);
      return this;
    }

    /**
     * The least severe alert a channel receives ({@code ALERT_<CHANNEL>_MIN_SEVERITY}), such as
     * {@code alertRouting(AlertSettings.TELEGRAM, Severity.ERROR)}.
     */
    public Builder alertRouting(String channel, Severity minSeverity) {
      alerting.minSeverity(channel, minSeverity);
      return this;
    }

    /**
     * Everything else about alerts: thresholds and windows of the automatic alerts, the cool-down,
     * the queue, retries and timeouts.
     *
     * <pre>{@code
     * Monitoring.builder("api")
     *     .alerting(a -> a.cooldown(Duration.ofMinutes(10)).paymentFailureThreshold(5, Duration.ofMinutes(5)))
     *     .build();
     * }</pre>
     */
    public Builder alerting(Consumer<AlertSettings.Builder> configure) {
      Objects.requireNonNull(configure, "alerting must not be null");
      configure.accept(alerting);
      return this;
    }

    /** Registers into this registry instead of a new one (to share one {@code /metrics}). */
    public Builder registry(PrometheusRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry must not be null");
      return this;
    }

    Clock clock() {
      return clock;
    }

    public Monitoring build() {
      return new Monitoring(this);
    }
  }

  /** Keeps the builder's service check and the label policy in agreement. */
  private static final class LabelPolicyAccess {
    static boolean hasControl(String value) {
      for (int i = 0; i < value.length(); i++) {
        if (Character.isISOControl(value.charAt(i))) {
          return true;
        }
      }
      return false;
    }
  }
}
