package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;

/** The cardinality guard: a per-metric cap, one overflow series, nothing lost, bounded memory. */
class CardinalityTest {

  @Test
  void aMillionDistinctValuesStayAtTheCapAndTheHeapDoesNotGrow() {
    try (LogCapture logs = LogCapture.of("dev.vigil");
        Monitoring monitoring =
            Monitoring.builder("api")
                .metricsHost("127.0.0.1")
                .metricsPort(0)
                .jvmMetrics(false)
                .build()
                .start()) {
      KpiCounter requests =
          monitoring.metrics().counter("lookups_total").labelNames("user_id").register();

      pushDistinct(requests, 0, 200_000);
      long heapAfterWarmup = usedHeapAfterGc();
      pushDistinct(requests, 200_000, 1_000_000);
      long heapAfterMillion = usedHeapAfterGc();

      Scrape scrape = Scrape.of(monitoring.metricsAddress());
      assertThat(scrape.samples("lookups_total")).hasSize(1000 + 1);
      assertThat(scrape.value("lookups_total", "user_id", "__overflow__")).isEqualTo(999_000.0);
      assertThat(scrape.sum("lookups_total")).isEqualTo(1_000_000.0);
      assertThat(scrape.value("vigil_label_overflow_total", "metric", "lookups_total"))
          .isEqualTo(999_000.0);
      assertThat(scrape.value("vigil_label_sets", "metric", "lookups_total")).isEqualTo(1001.0);
      assertThat(logs.warnings())
          .containsExactly(
              "lookups_total reached its limit of 1000 label sets; further label sets are folded"
                  + " into one series whose labels are all \"__overflow__\". Labels must come from"
                  + " a small fixed set: put ids and free text in logs, or raise the limit with"
                  + " Monitoring.builder(..).maxLabelSets(\"lookups_total\", n) or"
                  + " VIGIL_MAX_LABEL_SETS.");
      // 800,000 more distinct values after warm-up: anything proportional to them would be tens
      // of megabytes; the guard keeps growth to noise.
      assertThat(heapAfterMillion - heapAfterWarmup).isLessThan(4L * 1024 * 1024);
    }
  }

  @Test
  void theCapIsConfigurablePerMetric() {
    try (Monitoring monitoring =
        Monitoring.builder("api")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .maxLabelSets(50)
            .maxLabelSets("http_requests_total", 3)
            .build()
            .start()) {
      for (int i = 0; i < 10; i++) {
        monitoring.metrics().recordHttpRequest("GET", "/r" + i, 200, 1_000_000);
        monitoring.trackKpi(Kpi.generationSuccess("type-" + i));
      }
      Scrape scrape = Scrape.of(monitoring.metricsAddress());
      assertThat(scrape.samples("http_requests_total")).hasSize(4);
      assertThat(scrape.value("http_requests_total", "route", "__overflow__")).isEqualTo(7.0);
      assertThat(
              scrape.value(
                  "http_requests_total",
                  "route",
                  "__overflow__",
                  "method",
                  "__overflow__",
                  "status_code",
                  "__overflow__"))
          .isEqualTo(7.0);
      assertThat(scrape.samples("generation_success_total")).hasSize(10);
    }
  }

  @Test
  void aLabelSetSeenBeforeTheCapKeepsItsOwnSeries() {
    try (Monitoring monitoring =
        Monitoring.builder("api")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .maxLabelSets(2)
            .build()
            .start()) {
      monitoring.trackKpi(Kpi.generationSuccess("image"));
      monitoring.trackKpi(Kpi.generationSuccess("text"));
      monitoring.trackKpi(Kpi.generationSuccess("video"));
      monitoring.trackKpi(Kpi.generationSuccess("image"));
      Scrape scrape = Scrape.of(monitoring.metricsAddress());
      assertThat(scrape.value("generation_success_total", "type", "image")).isEqualTo(2.0);
      assertThat(scrape.value("generation_success_total", "type", "text")).isEqualTo(1.0);
      assertThat(scrape.value("generation_success_total", "type", "__overflow__")).isEqualTo(1.0);
    }
  }

  private static void pushDistinct(KpiCounter counter, int from, int to) {
    for (int i = from; i < to; i++) {
      counter.inc("user-" + i);
    }
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // Several collections: the smallest reading is the live set, whatever the collector's timing.
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
