package dev.vigil.benchmarks;

import dev.vigil.JobTimer;
import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.otel.OtlpExporter;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Vigil's hot paths beside their anchors, in one run: {@code trackKpi(Kpi.tokenSpend(..))} with
 * label values that change on every call against client_java 1.10's {@code labelValues(model,
 * type).inc(n)} on the equivalent counter; the job timer against client_java's classic-bucket
 * {@code labelValues(queue, jobType).observe(v)}; and a raw {@link LongAdder}.
 *
 * <p>Both libraries see the same label values in the same order (12 combinations of model and type,
 * cycled per thread), both carry {@code service} as a constant label, and client_java runs without
 * exemplars (Vigil has none), so the difference is the lookup and the storage.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TrackKpiBenchmark {
  static final String[] MODELS = {"gpt-4", "gpt-4o-mini", "claude-3-5-sonnet", "dall-e-3"};
  static final String[] TOKEN_TYPES = {"input", "output", "completion"};
  static final String[] QUEUES = {"image-generation", "text-generation", "email"};
  static final String[] JOB_TYPES = {"dalle-3", "gpt-4", "smtp"};
  static final double[] QUEUE_BUCKETS = {0.1, 0.5, 1, 2, 5, 10, 30, 60, 120};

  Monitoring monitoring;

  /** With vigil-otel's GenAI metric on: a KpiObserver on every token spend (no export runs). */
  Monitoring withGenAiObserver;

  Counter clientJavaTokens;
  Histogram clientJavaJobDuration;
  LongAdder adder;

  @Setup
  public void setUp() {
    monitoring = Monitoring.builder("bench").metricsEnabled(false).jvmMetrics(false).build();
    withGenAiObserver =
        Monitoring.builder("bench")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .discoverExtensions(false)
            .extension(
                OtlpExporter.builder()
                    .endpoint("http://127.0.0.1:9")
                    .interval(Duration.ofHours(1))
                    .closeTimeout(Duration.ofMillis(100))
                    .genAiMetrics(true)
                    .build())
            .build();
    PrometheusRegistry registry = new PrometheusRegistry();
    clientJavaTokens =
        Counter.builder()
            .name("token_spend_total")
            .help("tokens")
            .labelNames("model", "type")
            .constLabels(Labels.of("service", "bench"))
            .withoutExemplars()
            .register(registry);
    clientJavaJobDuration =
        Histogram.builder()
            .name("queue_job_duration_seconds")
            .help("job duration")
            .labelNames("queue_name", "job_type")
            .constLabels(Labels.of("service", "bench"))
            .classicOnly()
            .classicUpperBounds(QUEUE_BUCKETS)
            .withoutExemplars()
            .register(registry);
    adder = new LongAdder();
  }

  @TearDown
  public void tearDown() {
    monitoring.close();
    withGenAiObserver.close();
  }

  /** Per-thread position in the label cycle, so threads do not share a counter. */
  @State(Scope.Thread)
  public static class Cursor {
    int i;

    @Setup(Level.Iteration)
    public void reset() {
      i = 0;
    }

    int next() {
      int n = i + 1;
      i = n == 12 ? 0 : n;
      return n - 1;
    }
  }

  @Benchmark
  public void vigilTrackKpiTokenSpend(Cursor cursor) {
    int n = cursor.next();
    monitoring.trackKpi(Kpi.tokenSpend(1500, MODELS[n & 3], TOKEN_TYPES[n % 3]));
  }

  /** The same call with a KpiObserver registered: vigil-otel's gen_ai.client.token.usage. */
  @Benchmark
  public void vigilTrackKpiTokenSpendGenAi(Cursor cursor) {
    int n = cursor.next();
    withGenAiObserver.trackKpi(Kpi.tokenSpend(1500, MODELS[n & 3], TOKEN_TYPES[n % 3]));
  }

  @Benchmark
  public void clientJavaLabelValuesInc(Cursor cursor) {
    int n = cursor.next();
    clientJavaTokens.labelValues(MODELS[n & 3], TOKEN_TYPES[n % 3]).inc(1500);
  }

  @Benchmark
  public double vigilJobTimer(Cursor cursor) {
    int n = cursor.next() % 3;
    JobTimer timer = monitoring.metrics().startJobTimer(QUEUES[n], JOB_TYPES[n]);
    return timer.stop();
  }

  @Benchmark
  public void clientJavaLabelValuesObserve(Cursor cursor) {
    int n = cursor.next() % 3;
    clientJavaJobDuration.labelValues(QUEUES[n], JOB_TYPES[n]).observe(0.75);
  }

  /**
   * What a client_java user writes by hand to time a job: two clock reads around the lookup and the
   * observe. The same work as {@link #vigilJobTimer}, so the like-for-like anchor for it.
   */
  @Benchmark
  public double clientJavaTimedObserve(Cursor cursor) {
    int n = cursor.next() % 3;
    long start = System.nanoTime();
    double seconds = (System.nanoTime() - start) / 1e9;
    clientJavaJobDuration.labelValues(QUEUES[n], JOB_TYPES[n]).observe(seconds);
    return seconds;
  }

  /** client_java's own timer: the like-for-like anchor for a timer, two clock reads included. */
  @Benchmark
  public double clientJavaTimer(Cursor cursor) {
    int n = cursor.next() % 3;
    io.prometheus.metrics.core.datapoints.Timer timer =
        clientJavaJobDuration.labelValues(QUEUES[n], JOB_TYPES[n]).startTimer();
    return timer.observeDuration();
  }

  /** One monotonic clock read, the floor under any timer (a timer needs two). */
  @Benchmark
  public long systemNanoTime() {
    return System.nanoTime();
  }

  @Benchmark
  public void longAdderAdd() {
    adder.add(1500);
  }
}
