package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.Promtool;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check metrics} on a service's whole exposition — every catalogue metric with
 * data, JVM metrics included — finds exactly one lint, the specification's gauge name {@code
 * active_jobs_total} (a gauge named like a counter), and no other. The README explains it; a new
 * lint fails this test.
 */
class ExpositionLintTest {

  @Test
  void theOnlyLintIsTheSpecificationsActiveJobsTotalGauge() throws Exception {
    try (Monitoring monitoring =
        Monitoring.builder("worker")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .discoverExtensions(false)
            .build()
            .start()) {
      monitoring.trackKpi(Kpi.activeUser("u-1"));
      monitoring.trackKpi(Kpi.generationSuccess("image"));
      monitoring.trackKpi(Kpi.generationFailure("image", "timeout"));
      monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion").forUser("u-1"));
      monitoring.trackKpi(Kpi.tokenSpend(10, "acme-llm", "input")); // unpriced
      monitoring.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("9.99"), "USD"));
      monitoring.trackKpi(Kpi.paymentFailure("p-1", "card", "declined"));
      monitoring.trackKpi(Kpi.tokenSpend(-1, "gpt-4", "completion")); // vigil_invalid_inputs_total
      monitoring.metrics().runJob("image-generation", "dalle-3", () -> {});
      monitoring.metrics().trackQueueFailure("image-generation", new IllegalStateException());
      monitoring.metrics().setActiveJobs("email", 2);
      monitoring.metrics().recordHttpRequest("GET", "/api/users/{id}", 200, 1_000_000);
      monitoring.handleError(new IllegalStateException("x"), Map.of());

      String text =
          Http.get("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/metrics").body();
      Promtool.Result lint = Promtool.checkMetrics(text);

      assertThat(text).contains("active_jobs_total{", "jvm_memory_used_bytes{");
      assertThat(lint.output().lines().filter(l -> !l.isBlank()))
          .containsExactly(
              "active_jobs_total non-counter metrics should not have \"_total\" suffix");
      assertThat(lint.exitCode()).as("promtool's exit code for lints only").isEqualTo(3);
    }
  }
}
