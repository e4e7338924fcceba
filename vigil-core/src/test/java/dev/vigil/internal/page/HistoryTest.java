package dev.vigil.internal.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Pricing;
import dev.vigil.Ticker;
import dev.vigil.internal.BusinessAnalytics;
import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.InputGuard;
import dev.vigil.internal.KpiReading;
import dev.vigil.internal.LabelPolicy;
import dev.vigil.internal.WarnLimiter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The ring's bounds and the sampler thread's resilience, driven by a fake ticker. */
class HistoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = nanos::get;
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  @Test
  void theRingKeepsAnHourAndItsMemoryIsAllocatedOnce() throws Exception {
    History history = new History(List.of("5m", "1h", "24h"));
    History.Row row = new History.Row(3);
    String[] names = new String[10_000];
    for (int i = 0; i < names.length; i++) {
      names[i] = "model-" + i; // a new label value in every sample: a flood
    }
    for (int i = 0; i < 1000; i++) {
      fill(row, i, names);
      history.append(row);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    for (int i = 1000; i < 10_000; i++) {
      fill(row, i, names);
      history.append(row);
    }
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertThat(allocated).as("bytes allocated by 9,000 appends").isLessThan(1024);
    assertThat(history.size()).isEqualTo(History.CAPACITY);

    StringBuilder out = new StringBuilder();
    history.writeJson(out);
    JsonNode doc = JSON.readTree(out.toString());
    assertThat(doc.get("time")).hasSize(History.CAPACITY);
    assertThat(doc.at("/time/0").asLong()).isEqualTo(10_000 - History.CAPACITY);
    JsonNode models = doc.get("tokensByModel");
    assertThat(models.get("names")).hasSize(History.TOP);
    assertThat(models.get("names").get(0).asText()).isEqualTo("model-9995");
    // every sample: 5 kept models of 1 token each, and 100 more in "other"
    JsonNode last = models.at("/other/tokens");
    assertThat(last.get(last.size() - 1).asInt()).isEqualTo(100);
    assertThat(last.get(0).asInt()).isEqualTo(105); // its five were not chosen: all are other
    // The figure in the README and BENCHMARKS.md, for the default three windows and for eight.
    assertThat(history.maxBytes()).isEqualTo(231_200);
    assertThat(new History(List.of("1m", "2m", "3m", "4m", "5m", "6m", "7m", "8m")).maxBytes())
        .isEqualTo(245_680);
  }

  private static void fill(History.Row row, int i, String[] names) {
    row.clear();
    row.time = i;
    for (int c = 0; c < row.scalars.length; c++) {
      row.scalars[c] = i;
    }
    for (int g = 0; g < row.names.length; g++) {
      for (int j = 0; j < History.TOP; j++) {
        row.names[g][j] = names[(i * History.TOP + j) % names.length];
        for (double[] v : row.values[g]) {
          v[j] = 1;
        }
      }
      java.util.Arrays.fill(row.others[g], 100);
    }
  }

  @Test
  void theSamplerOutlivesAnyThrowableCountsItAndCarriesOn() {
    Fixture f = new Fixture();
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    Set<String> reported = new HashSet<>();
    Supplier<KpiReading> flaky =
        () -> {
          switch (calls.incrementAndGet()) {
            case 1:
              throw new OutOfMemoryError("simulated");
            case 2:
              throw new IllegalStateException("simulated");
            case 3:
              throw new StackOverflowError();
            default:
              return f.analytics.reading();
          }
        };
    History history = new History(f.analytics.windowLabels());
    HistorySampler sampler =
        new HistorySampler(
            "svc",
            ticker,
            clock,
            flaky,
            history,
            failures::incrementAndGet,
            t -> reported.add(t.getClass().getSimpleName()),
            TimeUnit.SECONDS.toNanos(10),
            TimeUnit.MILLISECONDS.toNanos(5));
    sampler.start();
    try {
      await().until(() -> failures.get() == 1);
      for (int expected = 2; expected <= 3; expected++) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
        int n = expected;
        await().until(() -> failures.get() == n);
      }
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
      await().until(() -> history.size() == 1);
      assertThat(reported)
          .containsExactlyInAnyOrder(
              "OutOfMemoryError", "IllegalStateException", "StackOverflowError");
    } finally {
      sampler.close();
    }
  }

  @Test
  void aStalledSamplerTakesOneSampleNotABurst() {
    Fixture f = new Fixture();
    History history = new History(f.analytics.windowLabels());
    HistorySampler sampler =
        new HistorySampler(
            "svc",
            ticker,
            clock,
            f.analytics::reading,
            history,
            () -> {},
            t -> {},
            TimeUnit.SECONDS.toNanos(10),
            TimeUnit.SECONDS.toNanos(1));
    assertThat(sampler.sampleIfDue()).isTrue();
    assertThat(sampler.sampleIfDue()).isFalse();
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(9));
    assertThat(sampler.sampleIfDue()).isFalse();
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(45));
    assertThat(sampler.sampleIfDue()).isTrue();
    assertThat(sampler.sampleIfDue()).isFalse();
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
    assertThat(sampler.sampleIfDue()).isTrue();
    assertThat(history.size()).isEqualTo(3);
  }

  /** The core and analytics of one service, assembled as {@code Monitoring} does. */
  private final class Fixture {
    final CoreMetrics core;
    final BusinessAnalytics analytics;

    Fixture() {
      WarnLimiter limiter =
          new WarnLimiter(LoggerFactory.getLogger("dev.vigil"), ticker, 1, TimeUnit.MINUTES);
      core =
          new CoreMetrics(
              "svc",
              new InputGuard(false, limiter),
              new LabelPolicy(128, Map.of()),
              new PrometheusRegistry(),
              1000,
              Map.of(),
              limiter);
      analytics =
          new BusinessAnalytics(
              core,
              ticker,
              clock,
              Pricing.defaults(),
              List.of(Duration.ofMinutes(5)),
              10,
              Duration.ZERO);
    }
  }
}
