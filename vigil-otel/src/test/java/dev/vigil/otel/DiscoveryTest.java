package dev.vigil.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On the class path, vigil-otel exports once the environment names an endpoint, with or without the
 * {@code /metrics} endpoint; without one, or turned off, it starts nothing.
 */
class DiscoveryTest {
  private OtlpReceiver receiver;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
  }

  private static boolean exporting(Monitoring monitoring) {
    return Series.fromRegistry(monitoring.registry()).keySet().stream()
        .anyMatch(k -> k.startsWith("vigil_label_sets{metric=vigil_otlp_exported_points_total"));
  }

  @Test
  void withAnEndpointInTheEnvironment_andEnableMetricsFalse_itExportsWithoutTheEndpoint()
      throws Exception {
    receiver = OtlpReceiver.http();
    Monitoring monitoring =
        Monitoring.builder("worker")
            .readEnvironment(
                Map.of(
                    "ENABLE_METRICS", "false",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                    "OTEL_METRIC_EXPORT_INTERVAL", "3600000"))
            .build()
            .start();
    monitoring.trackKpi(Kpi.generationSuccess("image"));
    assertThat(exporting(monitoring)).isTrue();

    monitoring.close();

    assertThat(Series.fromOtlp(receiver.requests().get(0)))
        .containsEntry("generation_success_total{service=worker, type=image}", "1");
  }

  @Test
  void withoutAnEndpoint_orTurnedOff_itStartsNothing() {
    try (Monitoring plain = Monitoring.builder("worker").metricsEnabled(false).build()) {
      assertThat(exporting(plain)).isFalse();
    }
    try (Monitoring off =
        Monitoring.builder("worker")
            .metricsEnabled(false)
            .readEnvironment(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318",
                    "OTEL_SDK_DISABLED", "true"))
            .build()) {
      assertThat(exporting(off)).isFalse();
    }
  }
}
