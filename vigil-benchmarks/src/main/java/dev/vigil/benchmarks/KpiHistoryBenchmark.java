package dev.vigil.benchmarks;

import dev.vigil.Pricing;
import dev.vigil.Ticker;
import dev.vigil.internal.BusinessAnalytics;
import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.InputGuard;
import dev.vigil.internal.KpiDispatch;
import dev.vigil.internal.LabelPolicy;
import dev.vigil.internal.WarnLimiter;
import dev.vigil.internal.page.KpiPage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

/**
 * Building {@code /kpi/history} with a full hour of history (360 samples, every grouping full: 5
 * generation types, 5 models and 5 queues kept of 8 each, so "other" is summed too), 20 routes and
 * three distinct-user windows: what one refresh of the KPI page costs the service. Target (issue
 * 15): under 5 ms. The document includes the {@code /kpi} document it embeds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class KpiHistoryBenchmark {
  KpiPage page;

  @Setup
  public void fill() {
    AtomicLong nanos = new AtomicLong(1_000_000_000L);
    Ticker ticker = nanos::get;
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochSecond(1_800_000_000L).plusNanos(nanos.get());
          }
        };
    WarnLimiter limiter =
        new WarnLimiter(LoggerFactory.getLogger("dev.vigil"), ticker, 1, TimeUnit.MINUTES);
    CoreMetrics core =
        new CoreMetrics(
            "bot",
            new InputGuard(false, limiter),
            new LabelPolicy(128, Map.of()),
            new PrometheusRegistry(),
            1000,
            Map.of(),
            limiter);
    BusinessAnalytics analytics =
        new BusinessAnalytics(
            core,
            ticker,
            clock,
            Pricing.defaults(),
            List.of(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofHours(24)),
            10,
            Duration.ZERO);
    page = new KpiPage(core, analytics, null, "production", ticker, clock);
    String[] models = {
      "gpt-4", "gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "claude-3-haiku", "m6", "m7", "m8"
    };
    for (int s = 0; s < 361; s++) {
      for (int i = 0; i < 8; i++) {
        core.kpis().record(KpiDispatch.ACTIVE_USER, 0, "user-" + (s * 8 + i), null, null, null);
        core.kpis().record(KpiDispatch.GENERATION_SUCCESS, 0, "type-" + i, null, null, null);
        core.kpis().record(KpiDispatch.GENERATION_FAILURE, 0, "type-" + i, "timeout", null, null);
        core.kpis()
            .record(KpiDispatch.TOKEN_SPEND, 1000 + s + i, models[i], "input", "user-" + i, null);
        core.kpis()
            .record(
                KpiDispatch.PAYMENT_CONVERSION,
                0,
                "card",
                "plan-" + i,
                "USD",
                new BigDecimal("9.99"));
        core.jobDuration("queue-" + i, "job").observe(0.1 * (i + 1) + s % 7);
        core.setActiveJobs("queue-" + i, i);
      }
      for (int r = 0; r < 20; r++) {
        core.httpRequest("GET", "/api/route-" + r, r == 0 ? 500 : 200, 1_000_000L * (r + s % 50));
      }
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
      page.sampleIfDue();
    }
  }

  @Benchmark
  public String historyJson() {
    return page.historyJson();
  }
}
