package dev.vigil;

import com.sun.net.httpserver.HttpHandler;
import dev.vigil.alert.AlertSettings;
import dev.vigil.alert.Alerts;
import dev.vigil.alert.Severity;
import dev.vigil.alert.internal.AlertService;
import dev.vigil.internal.Budgets;
import dev.vigil.internal.BusinessAnalytics;
import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.CounterCell;
import dev.vigil.internal.ErrorHandling;
import dev.vigil.internal.KpiListener;
import dev.vigil.internal.LogOutput;
import dev.vigil.internal.UsageCell;
import dev.vigil.internal.WarnLimiter;
import dev.vigil.spi.AlertAgreement;
import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.ErrorListener;
import dev.vigil.spi.ExtensionContext;
import dev.vigil.spi.KpiObserver;
import dev.vigil.spi.Settings;
import dev.vigil.spi.SharedCounters;
import dev.vigil.spi.SharedUserActivity;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;

/** The {@link ExtensionContext} of one {@link Monitoring}: a narrow view of its parts. */
final class MonitoringContext implements ExtensionContext {
  /** The paths Vigil serves itself; an extension cannot take them. */
  private static final Set<String> RESERVED_PATHS = Set.of("/", "/metrics", "/health", "/kpi");

  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]{1,200}");

  private final Monitoring monitoring;
  private final CoreMetrics core;
  private final ErrorHandling errors;
  private final LogOutput logOutput;
  private final AlertService alerts;
  private final BusinessAnalytics analytics;
  private final Budgets budgets;
  private final AlertSettings alertSettings;
  private final Settings settings;
  private final WarnLimiter warnings;

  MonitoringContext(
      Monitoring monitoring,
      CoreMetrics core,
      ErrorHandling errors,
      LogOutput logOutput,
      AlertService alerts,
      BusinessAnalytics analytics,
      Budgets budgets,
      AlertSettings alertSettings,
      Settings settings,
      WarnLimiter warnings) {
    this.monitoring = monitoring;
    this.core = core;
    this.errors = errors;
    this.logOutput = logOutput;
    this.alerts = alerts;
    this.analytics = analytics;
    this.budgets = budgets;
    this.alertSettings = alertSettings;
    this.settings = settings;
    this.warnings = warnings;
  }

  @Override
  public String service() {
    return monitoring.service();
  }

  @Override
  public String environment() {
    return monitoring.environment();
  }

  @Override
  public boolean strict() {
    return monitoring.strict();
  }

  @Override
  public Settings settings(String... prefixes) {
    return settings.only(prefixes);
  }

  @Override
  public Redactor redactor() {
    return logOutput.redactor();
  }

  @Override
  public Ticker ticker() {
    return monitoring.ticker();
  }

  @Override
  public Clock clock() {
    return monitoring.clock();
  }

  @Override
  public PrometheusRegistry registry() {
    return core.registry();
  }

  @Override
  public ILoggerFactory loggerFactory() {
    return logOutput.factory();
  }

  @Override
  public StructuredLogger logger(String name) {
    return monitoring.logger(name);
  }

  @Override
  public void warn(String key, String message) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(message, "message must not be null");
    warnings.warn("extension|" + key, redactor().redactText(message));
  }

  @Override
  public void addErrorListener(ErrorListener listener) {
    errors.addListener(Objects.requireNonNull(listener, "listener must not be null"));
  }

  @Override
  public void addKpiObserver(KpiObserver observer) {
    core.kpis().addListener(new ObservingListener(Objects.requireNonNull(observer, "observer")));
  }

  /**
   * Feeds a {@link KpiObserver} the label values stored in the series (normalised and capped), not
   * the caller's raw strings. {@code Labels.get} scans a handful of names: no allocation.
   */
  private static final class ObservingListener implements KpiListener {
    private final KpiObserver observer;

    ObservingListener(KpiObserver observer) {
      this.observer = observer;
    }

    @Override
    public void tokenSpend(
        long tokens,
        @Nullable String model,
        @Nullable String type,
        @Nullable String userId,
        CounterCell series) {
      Labels labels = series.labels();
      String seriesModel = labels.get("model");
      String seriesType = labels.get("type");
      if (seriesModel != null && seriesType != null) {
        observer.tokenSpend(tokens, seriesModel, seriesType);
      }
    }

    @Override
    public void tokenUsage(
        UsageCell usage,
        @Nullable String userId,
        long input,
        long cacheRead,
        long cacheWrite,
        long cacheWrite1h,
        long output,
        long reasoning,
        long requestInput) {
      observer.tokenUsage(
          usage.model(), input, cacheRead, cacheWrite, cacheWrite1h, output, reasoning);
    }
  }

  @Override
  public boolean alertsEnabled() {
    return alertSettings.enabled();
  }

  @Override
  public Severity alertMinSeverity(String channel) {
    return alertSettings.minSeverity(Objects.requireNonNull(channel, "channel must not be null"));
  }

  @Override
  public void addAlertChannel(AlertChannel channel) {
    alerts.addChannel(Objects.requireNonNull(channel, "channel must not be null"));
  }

  @Override
  public List<Duration> activeUserWindows() {
    return analytics.windows();
  }

  @Override
  public int topSpenders() {
    return analytics.topSpenders();
  }

  @Override
  public Runnable shareUserActivity(SharedUserActivity activity) {
    return analytics.share(Objects.requireNonNull(activity, "activity must not be null"));
  }

  @Override
  public void agreeOnAlerts(AlertAgreement agreement) {
    alerts.agreeOn(Objects.requireNonNull(agreement, "agreement must not be null"));
  }

  @Override
  public void shareAlertThresholds(SharedCounters counters) {
    alerts.shareThresholds(Objects.requireNonNull(counters, "counters must not be null"));
    if (budgets.configured()) {
      budgets.share(counters); // the AI budgets' thresholds hold for every replica too
    }
  }

  @Override
  public Alerts alerts() {
    return alerts;
  }

  @Override
  public void addEndpoint(String path, HttpHandler handler) {
    Objects.requireNonNull(path, "path must not be null");
    Objects.requireNonNull(handler, "handler must not be null");
    if (RESERVED_PATHS.contains(path) || path.startsWith("/kpi/") || path.startsWith("/ui/")) {
      throw new IllegalArgumentException(
          "Endpoint path " + path + " is Vigil's own; choose another");
    }
    if (!PATH.matcher(path).matches() || path.contains("//") || path.contains("/../")) {
      throw new IllegalArgumentException(
          "Endpoint path '"
              + path
              + "' is not valid: an absolute path of letters, digits and . _ ~ / -, such as"
              + " /audit");
    }
    if (RESERVED_PATHS.contains(path) || path.startsWith("/kpi/") || path.startsWith("/ui/")) {
      throw new IllegalArgumentException(
          "Endpoint path " + path + " is Vigil's own; choose another");
    }
    if (core.endpoints().containsKey(path)) {
      throw new IllegalArgumentException("Endpoint path " + path + " is already taken");
    }
    core.addEndpoint(path, handler);
  }

  @Override
  public KpiCounter counter(MetricCatalog.Definition definition) {
    return KpiCounter.of(core.counter(checked(definition, MetricCatalog.Type.COUNTER)), core);
  }

  @Override
  public KpiGauge gauge(MetricCatalog.Definition definition) {
    return KpiGauge.of(core.gauge(checked(definition, MetricCatalog.Type.GAUGE)), core);
  }

  @Override
  public KpiHistogram histogram(MetricCatalog.Definition definition) {
    return KpiHistogram.of(
        core.histogram(checked(definition, MetricCatalog.Type.HISTOGRAM)),
        core,
        monitoring.ticker());
  }

  @Override
  public void onClose(Runnable hook) {
    core.onClose(Objects.requireNonNull(hook, "hook must not be null"));
  }

  @Override
  public void backendRedactsThrowables(boolean redacts) {
    logOutput.backendRedactsThrowables(redacts);
  }

  private static MetricCatalog.Definition checked(
      MetricCatalog.Definition definition, MetricCatalog.Type type) {
    Objects.requireNonNull(definition, "definition must not be null");
    if (definition.type() != type) {
      throw new IllegalArgumentException(
          "Metric "
              + definition.name()
              + " is a "
              + definition.type()
              + " definition; declare it with the method for that type");
    }
    return definition;
  }
}
