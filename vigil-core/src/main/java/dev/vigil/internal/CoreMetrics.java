package dev.vigil.internal;

import com.sun.net.httpserver.HttpHandler;
import dev.vigil.MetricCatalog;
import dev.vigil.MetricCatalog.Definition;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics side of one {@code Monitoring} instance, in three parts: its {@link Families} (the
 * registry of metric families), its {@link KpiDispatch} (where every KPI event is checked, counted
 * and handed to listeners) and its {@link ExtensionHub} (endpoints, close hooks, watchdog); and the
 * recordings of the fixed families behind the public API: queues, HTTP requests, errors. Validation
 * of labels happens in {@link Family}.
 */
public final class CoreMetrics {
  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil");
  private static final String[] STATUS_CODES = new String[600];

  static {
    for (int i = 0; i < STATUS_CODES.length; i++) {
      STATUS_CODES[i] = Integer.toString(i);
    }
  }

  /** Long enough for any metric name Vigil accepts, whatever the caller's label length limit. */
  private static final int OWN_LABEL_LENGTH = 256;

  private final String service;
  private final InputGuard guard;
  private final PrometheusRegistry registry;
  private final WarnLimiter internalErrors;
  private final ExtensionHub hub;
  private final Families families;
  private final KpiDispatch kpis;

  private final CounterFamily queueFailures;
  private final HistogramFamily queueJobDuration;
  private final GaugeFamily activeJobs;
  private final CounterFamily httpRequests;
  private final HistogramFamily httpRequestDuration;
  private final CounterFamily errors;
  private final CounterFamily threadRestarts;

  public CoreMetrics(
      String service,
      InputGuard guard,
      LabelPolicy policy,
      PrometheusRegistry registry,
      int defaultMaxLabelSets,
      Map<String, Integer> maxLabelSetsByMetric,
      WarnLimiter internalErrors) {
    this.service = service;
    this.guard = guard;
    this.registry = registry;
    this.internalErrors = internalErrors;
    this.hub = new ExtensionHub(this::internalError);
    this.families =
        new Families(
            service,
            guard,
            policy,
            registry,
            defaultMaxLabelSets,
            maxLabelSetsByMetric,
            hub::checkThreads);

    // The guard's own counters are labelled with metric names and reasons, which Vigil chooses:
    // the caller's label length limit does not apply to them, and a problem with their labels is
    // never reported through themselves (which would recurse).
    LabelPolicy own = new LabelPolicy(Math.max(policy.maxLength(), OWN_LABEL_LENGTH), Map.of());
    CounterFamily invalid = families.ownCounter(MetricCatalog.INVALID_INPUTS, own);
    CounterFamily overflow = families.ownCounter(MetricCatalog.LABEL_OVERFLOW, own);
    CounterFamily scrapeFailures = families.ownCounter(MetricCatalog.SCRAPE_FAILURES, own);
    guard.bind(invalid, overflow, scrapeFailures);
    this.threadRestarts = counter(MetricCatalog.THREAD_RESTARTS);
    families.registerLabelSets();

    CounterFamily activeUsers = counter(MetricCatalog.ACTIVE_USERS);
    CounterFamily generationSuccess = counter(MetricCatalog.GENERATION_SUCCESS);
    CounterFamily generationFailure = counter(MetricCatalog.GENERATION_FAILURE);
    CounterFamily tokenSpend = counter(MetricCatalog.TOKEN_SPEND);
    UsageFamily usageByModel =
        new UsageFamily(tokenSpend, service, guard, policy, families.cap(tokenSpend.definition()));
    this.kpis =
        new KpiDispatch(
            guard,
            this::internalError,
            activeUsers,
            generationSuccess,
            generationFailure,
            tokenSpend,
            usageByModel,
            counter(MetricCatalog.PAYMENT_CONVERSIONS),
            counter(MetricCatalog.PAYMENT_FAILURES));
    queueFailures = counter(MetricCatalog.QUEUE_FAILURES);
    queueJobDuration = histogram(MetricCatalog.QUEUE_JOB_DURATION);
    activeJobs = gauge(MetricCatalog.ACTIVE_JOBS);
    httpRequests = counter(MetricCatalog.HTTP_REQUESTS);
    httpRequestDuration = histogram(MetricCatalog.HTTP_REQUEST_DURATION);
    errors = counter(MetricCatalog.ERRORS);
  }

  public String service() {
    return service;
  }

  /** The monitoring's rate-limited warnings, whose lines name its service. */
  public WarnLimiter warnings() {
    return internalErrors;
  }

  public InputGuard guard() {
    return guard;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Where KPI events are recorded, and their listeners added. */
  public KpiDispatch kpis() {
    return kpis;
  }

  public CounterFamily counter(Definition definition) {
    return families.counter(definition);
  }

  public GaugeFamily gauge(Definition definition) {
    return families.gauge(definition);
  }

  public HistogramFamily histogram(Definition definition) {
    return families.histogram(definition);
  }

  /** Creates a family of a kind defined in this package, with the settings every family gets. */
  @FunctionalInterface
  public interface FamilyFactory<F extends Family<?>> {
    F create(
        Definition definition,
        String service,
        InputGuard guard,
        LabelPolicy policy,
        int maxLabelSets);
  }

  /**
   * Declares a family of a special kind (fixed-point money counters, say) under the same rules as
   * {@link #counter}: one family per name, registered in the registry, capped and guarded.
   */
  public <F extends Family<?>> F declare(Definition definition, FamilyFactory<F> factory) {
    return families.declare(definition, factory);
  }

  /** Registers a collector computed at scrape time; a failure in it never fails a scrape. */
  public void registerCollector(Collector collector) {
    families.registerCollector(collector);
  }

  public @Nullable Family<?> family(String name) {
    return families.family(name);
  }

  public Collection<Family<?>> families() {
    return families.all();
  }

  /** Serves {@code handler} at {@code path} on the metrics port, from the next start on. */
  public void addEndpoint(String path, HttpHandler handler) {
    hub.addEndpoint(path, handler);
  }

  public Map<String, HttpHandler> endpoints() {
    return hub.endpoints();
  }

  /** Runs at {@code Monitoring.close()}, in registration order. */
  public void onClose(Runnable hook) {
    hub.onClose(hook);
  }

  public void runCloseHooks() {
    hub.runCloseHooks();
  }

  /**
   * Puts a background thread under the watchdog: at every scrape (of {@code /metrics} or {@code
   * /kpi}) {@code check} runs, and starts the thread again if it died (it counts the restart with
   * {@link #threadRestarted}). The threads survive any failure of one task on their own; this is
   * for the {@link VirtualMachineError}s they rethrow.
   */
  public void watch(Runnable check) {
    hub.watch(check);
  }

  /** Runs the watchdog checks; never throws. */
  public void checkThreads() {
    hub.checkThreads();
  }

  public void queueFailure(@Nullable String queueName, @Nullable String errorType) {
    CounterCell cell = queueFailures.series(queueName, errorType);
    if (cell != null) {
      cell.inc();
    }
  }

  public @Nullable HistogramCell jobDuration(@Nullable String queueName, @Nullable String jobType) {
    return queueJobDuration.series(queueName, jobType);
  }

  public @Nullable GaugeCell activeJobs(@Nullable String queueName) {
    return activeJobs.series(queueName);
  }

  public void setActiveJobs(@Nullable String queueName, long count) {
    if (count < 0) {
      guard.reject(
          "active_jobs_total",
          InvalidReason.NEGATIVE_VALUE,
          "active_jobs_total: the number of active jobs cannot be negative, got "
              + count
              + "; event dropped. Pass the number of jobs being processed right now.");
      return;
    }
    GaugeCell cell = activeJobs.series(queueName);
    if (cell != null) {
      cell.set(count);
    }
  }

  /**
   * Records one HTTP request. The status code indexes a table of pre-built strings, so this
   * allocates nothing for a route seen before.
   */
  public void httpRequest(
      @Nullable String method, @Nullable String route, int statusCode, long durationNanos) {
    String status =
        statusCode >= 100 && statusCode < STATUS_CODES.length
            ? STATUS_CODES[statusCode]
            : LabelPolicy.UNKNOWN;
    CounterCell count = httpRequests.series(method, route, status);
    if (count != null) {
      count.inc();
    }
    HistogramCell duration = httpRequestDuration.series(method, route, status);
    if (duration != null) {
      duration.observe(Math.max(0, durationNanos) / 1e9);
    }
  }

  public void error(@Nullable String errorType, @Nullable String severity) {
    CounterCell cell = errors.series(errorType, severity);
    if (cell != null) {
      cell.inc();
    }
  }

  public HistogramFamily queueJobDurationFamily() {
    return queueJobDuration;
  }

  /**
   * Something inside Vigil failed where it must not; never the caller's fault, so never thrown.
   * Only the class of the failure is printed: its message may come from user code and fail again.
   */
  public void internalError(String where, Throwable e) {
    try {
      internalErrors.warn(
          where, "Vigil failed in " + where + " and ignored it: " + Throwables.describe(e));
      LOG.debug("Vigil internal failure in {}", where, e);
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t); // the logging backend itself failed: nowhere left to say so
    }
  }

  /** Counts a background thread of Vigil's that died and was started again. */
  public void threadRestarted(String thread) {
    CounterCell cell = threadRestarts.series(thread);
    if (cell != null) {
      cell.inc();
    }
  }
}
