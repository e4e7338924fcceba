package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Scrape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No lost updates: threads released together by a latch hammer the same series (and create new ones
 * at the same moment), and the totals must be exact.
 */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int PER_THREAD = 50_000;

  private final FakeTicker ticker = new FakeTicker();
  private Monitoring monitoring;
  private ExecutorService pool;

  @BeforeEach
  void setUp() {
    monitoring =
        Monitoring.builder("worker")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .ticker(ticker)
            .build()
            .start();
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    monitoring.close();
  }

  @Test
  void countersLoseNoIncrements() throws Exception {
    runTogether(
        thread -> {
          for (int i = 0; i < PER_THREAD; i++) {
            monitoring.trackKpi(Kpi.tokenSpend(3, "gpt-4", i % 2 == 0 ? "input" : "output"));
            monitoring.trackKpi(Kpi.generationSuccess("image"));
          }
        });
    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    assertThat(scrape.value("token_spend_total", "type", "input"))
        .isEqualTo(THREADS * PER_THREAD / 2 * 3.0);
    assertThat(scrape.value("token_spend_total", "type", "output"))
        .isEqualTo(THREADS * PER_THREAD / 2 * 3.0);
    assertThat(scrape.value("generation_success_total", "type", "image"))
        .isEqualTo((double) THREADS * PER_THREAD);
  }

  @Test
  void seriesCreatedByManyThreadsAtOnceExistOnceWithExactTotals() throws Exception {
    // Every thread walks the same 500 brand-new label sets in the same order, so each set is
    // first seen by several threads at the same moment.
    runTogether(
        thread -> {
          for (int i = 0; i < 500; i++) {
            monitoring.trackKpi(Kpi.paymentConversion("method-" + (i % 25), "plan-" + (i / 25)));
          }
        });
    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    assertThat(scrape.samples("payment_conversions_total")).hasSize(500);
    assertThat(scrape.samples("payment_conversions_total"))
        .allSatisfy(s -> assertThat(s.value()).isEqualTo((double) THREADS));
  }

  @Test
  void histogramsLoseNoObservations() throws Exception {
    runTogether(
        thread -> {
          for (int i = 0; i < PER_THREAD; i++) {
            monitoring
                .metrics()
                .recordHttpRequest(
                    "GET", "/api/users/{id}", 200, i % 2 == 0 ? 40_000_000L : 700_000_000L);
          }
        });
    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    String[] series = {"method", "GET", "route", "/api/users/{id}", "status_code", "200"};
    double total = THREADS * PER_THREAD;
    assertThat(scrape.value("http_request_duration_seconds_count", series)).isEqualTo(total);
    assertThat(scrape.value("http_requests_total", series)).isEqualTo(total);
    assertThat(bucket(scrape, series, "0.05")).isEqualTo(total / 2);
    assertThat(bucket(scrape, series, "0.5")).isEqualTo(total / 2);
    assertThat(bucket(scrape, series, "1.0")).isEqualTo(total);
    assertThat(scrape.value("http_request_duration_seconds_sum", series))
        .isCloseTo(total / 2 * 0.04 + total / 2 * 0.7, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void activeJobGaugeReturnsToZeroAndJobTimersCountEveryJob() throws Exception {
    runTogether(
        thread -> {
          for (int i = 0; i < 10_000; i++) {
            int n = i;
            try {
              monitoring
                  .metrics()
                  .runJob(
                      "image-generation",
                      "dalle-3",
                      () -> {
                        if (n % 10 == 0) {
                          throw new IllegalStateException("model refused");
                        }
                      });
            } catch (IllegalStateException expected) {
              // counted by the wrapper
            }
          }
        });
    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    assertThat(scrape.value("active_jobs_total", "queue_name", "image-generation")).isEqualTo(0.0);
    assertThat(scrape.value("queue_job_duration_seconds_count", "queue_name", "image-generation"))
        .isEqualTo(THREADS * 10_000.0);
    assertThat(
            scrape.value(
                "queue_failures_total",
                "queue_name",
                "image-generation",
                "error_type",
                "IllegalStateException"))
        .isEqualTo(THREADS * 1_000.0);
  }

  @Test
  void gaugeAddsFromManyThreadsAreExact() throws Exception {
    KpiGauge open = monitoring.metrics().gauge("open_sessions").labelNames("channel").register();
    runTogether(
        thread -> {
          for (int i = 0; i < PER_THREAD; i++) {
            open.add(1, "telegram");
            open.add(thread % 2 == 0 ? -1 : 0, "telegram");
          }
        });
    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    assertThat(scrape.value("open_sessions", "channel", "telegram"))
        .isEqualTo(THREADS / 2.0 * PER_THREAD);
  }

  private static double bucket(Scrape scrape, String[] series, String le) {
    String[] withLe = java.util.Arrays.copyOf(series, series.length + 2);
    withLe[series.length] = "le";
    withLe[series.length + 1] = le;
    return scrape.value("http_request_duration_seconds_bucket", withLe);
  }

  interface Work {
    void run(int thread) throws Exception;
  }

  private void runTogether(Work work) throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                work.run(thread);
                return null;
              }));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
  }
}
