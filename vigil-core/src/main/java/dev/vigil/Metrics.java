package dev.vigil;

import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.GaugeCell;
import dev.vigil.internal.HistogramCell;
import dev.vigil.internal.InvalidReason;
import org.jspecify.annotations.Nullable;

/**
 * Queue and HTTP metrics, and custom KPIs: what {@link Monitoring#metrics()} returns.
 *
 * <pre>{@code
 * Metrics metrics = monitoring.metrics();
 *
 * // the wrapper: times the job, counts it in active_jobs_total while it runs,
 * // and counts queue_failures_total{error_type=<exception class>} when it throws
 * Image image = metrics.callJob("image-generation", "dalle-3", job.id(), () -> generate(job));
 *
 * // or by hand, as in the specification
 * try (JobTimer timer = metrics.startJobTimer("image-generation", "dalle-3")) {
 *   generate(job);
 * } catch (TimeoutException e) {
 *   metrics.trackQueueFailure("image-generation", e);
 * }
 * metrics.setActiveJobs("image-generation", pool.getActiveCount());
 * }</pre>
 *
 * <p>{@link #setActiveJobs} sets the gauge; the job wrappers add and remove one. Use one style per
 * queue, or the two will overwrite each other.
 */
public final class Metrics {
  private final CoreMetrics core;
  private final Ticker ticker;

  Metrics(CoreMetrics core, Ticker ticker) {
    this.core = core;
    this.ticker = ticker;
  }

  /**
   * A job that returns a value and may throw a checked exception.
   *
   * @param <T> the result
   * @param <E> the checked exception it may throw
   */
  @FunctionalInterface
  public interface Job<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * A job that returns nothing and may throw a checked exception.
   *
   * @param <E> the checked exception it may throw
   */
  @FunctionalInterface
  public interface VoidJob<E extends Exception> {
    void run() throws E;
  }

  /** Starts timing a job into {@code queue_job_duration_seconds{queue_name,job_type}}. */
  public JobTimer startJobTimer(@Nullable String queueName, @Nullable String jobType) {
    return new JobTimer(core.jobDuration(queueName, jobType), ticker);
  }

  /** Sets {@code active_jobs_total{queue_name}}; negative counts are dropped. */
  public void setActiveJobs(@Nullable String queueName, long activeJobs) {
    core.setActiveJobs(queueName, activeJobs);
  }

  /** Counts a failed job in {@code queue_failures_total{queue_name,error_type}}. */
  public void trackQueueFailure(@Nullable String queueName, @Nullable String errorType) {
    core.queueFailure(queueName, errorType);
  }

  /** Counts a failed job; the error type is the exception's simple class name. */
  public void trackQueueFailure(@Nullable String queueName, @Nullable Throwable error) {
    core.queueFailure(queueName, Kpi.errorType(error));
  }

  /**
   * Runs a job, timing it and counting it as active while it runs. If it throws, the failure is
   * counted under the exception's simple class name and the exception is rethrown unchanged. The
   * active count is decremented in a {@code finally} block, so it cannot drift. Log lines written
   * while the job runs carry {@code queue} and {@code jobType} (see {@link LogContext}).
   */
  public <T, E extends Exception> T callJob(
      @Nullable String queueName, @Nullable String jobType, @Nullable Job<T, E> job) throws E {
    return callJob(queueName, jobType, null, job);
  }

  /**
   * {@link #callJob(String, String, Job)} for a job with an id: log lines written while it runs
   * also carry {@code jobId}. The id goes to logs only, never to a metric label.
   */
  public <T, E extends Exception> T callJob(
      @Nullable String queueName,
      @Nullable String jobType,
      @Nullable Object jobId,
      @Nullable Job<T, E> job)
      throws E {
    if (job == null) {
      nullJob("callJob");
      return null;
    }
    GaugeCell active = core.activeJobs(queueName);
    HistogramCell duration = core.jobDuration(queueName, jobType);
    long start = ticker.read();
    if (active != null) {
      active.add(1);
    }
    LogContext context = LogContext.job(queueName, jobType, jobId);
    try {
      return job.run();
    } catch (Throwable failure) {
      core.queueFailure(queueName, Kpi.errorType(failure));
      throw failure;
    } finally {
      context.close();
      if (active != null) {
        active.add(-1);
      }
      if (duration != null) {
        duration.observe(Math.max(0L, ticker.read() - start) / 1e9);
      }
    }
  }

  /** {@link #callJob(String, String, Job)} for a job without a result. */
  public <E extends Exception> void runJob(
      @Nullable String queueName, @Nullable String jobType, @Nullable VoidJob<E> job) throws E {
    runJob(queueName, jobType, null, job);
  }

  /** {@link #callJob(String, String, Object, Job)} for a job without a result. */
  public <E extends Exception> void runJob(
      @Nullable String queueName,
      @Nullable String jobType,
      @Nullable Object jobId,
      @Nullable VoidJob<E> job)
      throws E {
    if (job == null) {
      nullJob("runJob");
      return;
    }
    callJob(
        queueName,
        jobType,
        jobId,
        () -> {
          job.run();
          return null;
        });
  }

  private void nullJob(String call) {
    core.guard()
        .reject(
            MetricCatalog.QUEUE_JOB_DURATION.name(),
            InvalidReason.NULL_VALUE,
            call
                + ": the job is null; nothing was run or recorded. Pass the work as a lambda, e.g."
                + " metrics.callJob(\"image-generation\", \"dalle-3\", () -> generate(job)).");
  }

  /**
   * Records one HTTP request in {@code http_requests_total} and {@code
   * http_request_duration_seconds}. The route must be the template ({@code /api/users/{id}}), never
   * the raw path; the servlet filter and the Spring Boot starter do this for you.
   */
  public void recordHttpRequest(
      @Nullable String method, @Nullable String route, int statusCode, long durationNanos) {
    core.httpRequest(method, route, statusCode, durationNanos);
  }

  /** Declares a custom counting KPI. */
  public KpiCounter.Builder counter(String name) {
    return new KpiCounter.Builder(core, name);
  }

  /** Declares a custom KPI that goes up and down. */
  public KpiGauge.Builder gauge(String name) {
    return new KpiGauge.Builder(core, name);
  }

  /** Declares a custom distribution KPI. */
  public KpiHistogram.Builder histogram(String name) {
    return new KpiHistogram.Builder(core, name, ticker);
  }
}
