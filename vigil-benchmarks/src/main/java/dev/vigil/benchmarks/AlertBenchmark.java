package dev.vigil.benchmarks;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.alert.Alert;
import dev.vigil.alert.Severity;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What raising an alert costs the caller's thread (target: under 1 µs, never blocking). The
 * delivery itself happens on Vigil's delivery thread, which runs during the measurement as it would
 * in production (its log channel is switched off in logback.xml, and no HTTP channel is configured,
 * so the numbers are the caller's side plus the CPU the delivery thread takes from it).
 *
 * <ul>
 *   <li>{@code repeatedAlert}: the same queue failure again and again inside the cool-down, the
 *       common case in an incident: the call builds the alert and counts the repeat.
 *   <li>{@code newAlertQueued}: cool-down off, so every call queues a notification; the queue is
 *       bounded at 1,000, so in a tight loop most calls find it full and count a drop.
 *   <li>{@code prebuiltAlertSent}: {@code send(Alert)} with an alert built once.
 *   <li>{@code paymentFailureBelowThreshold} against {@code paymentFailureWithoutAlerts}: what the
 *       automatic payment alert's sliding window adds to {@code trackKpi(Kpi.paymentFailure(..))}
 *       while failures stay below the threshold (a ticker that moves two seconds per read keeps a
 *       one-second window from ever filling).
 *   <li>{@code paymentFailureAboveThreshold}: every tracked failure raises the payment alert,
 *       merged into the cool-down (threshold 1), as in a payment outage.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AlertBenchmark {
  static final Map<String, Object> CONTEXT = Map.of("jobId", "job-42", "attempts", 3);
  static final RuntimeException ERROR = new IllegalStateException("model overloaded");

  Monitoring merging;
  Monitoring queueing;
  Monitoring belowThreshold;
  Monitoring aboveThreshold;
  Monitoring withoutAlerts;
  Alert prebuilt;

  @Setup
  public void setUp() {
    merging = Monitoring.builder("bench").metricsEnabled(false).jvmMetrics(false).build();
    AtomicLong slowTime = new AtomicLong();
    belowThreshold =
        Monitoring.builder("bench")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .ticker(() -> slowTime.addAndGet(2_000_000_000L))
            .alerting(a -> a.paymentFailureThreshold(2, Duration.ofSeconds(1)))
            .build();
    aboveThreshold =
        Monitoring.builder("bench")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .alerting(a -> a.paymentFailureThreshold(1, Duration.ofMinutes(5)))
            .build();
    queueing =
        Monitoring.builder("bench")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .alerting(a -> a.cooldown(Duration.ZERO))
            .build();
    withoutAlerts =
        Monitoring.builder("bench")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .alerting(a -> a.enabled(false))
            .build();
    prebuilt =
        Alert.builder("refund_failure", Severity.ERROR, "Refund could not be issued")
            .groupBy("provider", "stripe")
            .context("refundId", "r-1")
            .build();
  }

  @TearDown
  public void tearDown() {
    merging.close();
    queueing.close();
    belowThreshold.close();
    aboveThreshold.close();
    withoutAlerts.close();
  }

  @Benchmark
  public void repeatedAlert() {
    merging.alerts().alertQueueFailure("image-generation", ERROR, CONTEXT);
  }

  @Benchmark
  public void newAlertQueued() {
    queueing.alerts().alertQueueFailure("image-generation", ERROR, CONTEXT);
  }

  @Benchmark
  public void prebuiltAlertSent() {
    merging.alerts().send(prebuilt);
  }

  @Benchmark
  public void paymentFailureBelowThreshold() {
    belowThreshold.trackKpi(Kpi.paymentFailure("pay-1", "card", "insufficient_funds"));
  }

  @Benchmark
  public void paymentFailureAboveThreshold() {
    aboveThreshold.trackKpi(Kpi.paymentFailure("pay-1", "card", "insufficient_funds"));
  }

  @Benchmark
  public void paymentFailureWithoutAlerts() {
    withoutAlerts.trackKpi(Kpi.paymentFailure("pay-1", "card", "insufficient_funds"));
  }
}
