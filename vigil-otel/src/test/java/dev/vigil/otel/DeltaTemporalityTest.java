package dev.vigil.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.otel.OtlpReceiver.Answer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With delta temporality each export carries the change since the last export that reached the
 * collector, with start and end times that chain; series that did not change are left out; an
 * export the collector refused is carried over into the next one instead of being lost.
 */
class DeltaTemporalityTest {
  private static final Map<String, String> COMPLETION =
      Map.of("service", "bot", "model", "gpt-4", "type", "completion");
  private static final Map<String, String> INPUT =
      Map.of("service", "bot", "model", "gpt-4", "type", "input");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private OtlpReceiver receiver;
  private OtlpExporter exporter;
  private Monitoring monitoring;

  @BeforeEach
  void start() throws Exception {
    receiver = OtlpReceiver.http();
    exporter =
        OtlpExporter.builder()
            .readEnvironment(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                    "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "delta",
                    "OTEL_METRIC_EXPORT_INTERVAL", "3600000"))
            .retry(1, Duration.ofMillis(10))
            .build();
    monitoring =
        Monitoring.builder("bot")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .clock(clock)
            .discoverExtensions(false)
            .extension(exporter)
            .build();
  }

  @AfterEach
  void stop() {
    if (monitoring != null) {
      monitoring.close();
    }
    receiver.close();
  }

  @Test
  void eachExportCarriesTheChangeSinceTheLastDeliveredOne() {
    long t0 = clock.nanos();
    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
    monitoring.trackKpi(Kpi.tokenSpend(200, "gpt-4", "input"));
    monitoring.metrics().recordHttpRequest("GET", "/", 200, 30_000_000L);
    clock.advance(Duration.ofMinutes(1));
    long t1 = clock.nanos();
    assertThat(exporter.flush(Duration.ofSeconds(10))).isTrue();

    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
    clock.advance(Duration.ofMinutes(1));
    long t2 = clock.nanos();
    assertThat(exporter.flush(Duration.ofSeconds(10))).isTrue();

    Map<String, Metric> first = OtlpReceiver.metrics(receiver.requests().get(0));
    Metric tokens = first.get("token_spend_total");
    assertThat(tokens.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    assertThat(tokens.getSum().getIsMonotonic()).isTrue();
    assertThat(OtlpExportTest.points(tokens.getSum().getDataPointsList()))
        .isEqualTo(Map.of(COMPLETION, 1500.0, INPUT, 200.0));
    NumberDataPoint p = tokens.getSum().getDataPoints(0);
    assertThat(p.getStartTimeUnixNano()).isEqualTo(t0);
    assertThat(p.getTimeUnixNano()).isEqualTo(t1);
    HistogramDataPoint h =
        first.get("http_request_duration_seconds").getHistogram().getDataPoints(0);
    assertThat(
            first.get("http_request_duration_seconds").getHistogram().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    assertThat(h.getBucketCountsList()).containsExactly(0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    assertThat(h.getCount()).isEqualTo(1);

    Map<String, Metric> second = OtlpReceiver.metrics(receiver.requests().get(1));
    Metric moreTokens = second.get("token_spend_total");
    assertThat(OtlpExportTest.points(moreTokens.getSum().getDataPointsList()))
        .isEqualTo(Map.of(COMPLETION, 1500.0));
    assertThat(moreTokens.getSum().getDataPoints(0).getStartTimeUnixNano()).isEqualTo(t1);
    assertThat(moreTokens.getSum().getDataPoints(0).getTimeUnixNano()).isEqualTo(t2);
    assertThat(second).doesNotContainKey("http_request_duration_seconds"); // unchanged
    assertThat(second.get("active_users_distinct").hasGauge()).isTrue(); // gauges always go
  }

  @Test
  void anExportTheCollectorRefusedIsCarriedIntoTheNextOne() {
    monitoring.trackKpi(Kpi.tokenSpend(1000, "gpt-4", "completion"));
    clock.advance(Duration.ofMinutes(1));
    assertThat(exporter.flush(Duration.ofSeconds(10))).isTrue();
    long delivered = clock.nanos();

    receiver.script(Answer.http(503, ""));
    monitoring.trackKpi(Kpi.tokenSpend(100, "gpt-4", "completion"));
    clock.advance(Duration.ofMinutes(1));
    assertThat(exporter.flush(Duration.ofSeconds(10))).isFalse();
    ExportMetricsServiceRequest refused = receiver.requests().get(1);

    monitoring.trackKpi(Kpi.tokenSpend(50, "gpt-4", "completion"));
    clock.advance(Duration.ofMinutes(1));
    assertThat(exporter.flush(Duration.ofSeconds(10))).isTrue();

    Metric tokens = OtlpReceiver.metrics(receiver.requests().get(2)).get("token_spend_total");
    assertThat(OtlpExportTest.points(tokens.getSum().getDataPointsList()))
        .isEqualTo(Map.of(COMPLETION, 150.0));
    assertThat(tokens.getSum().getDataPoints(0).getStartTimeUnixNano()).isEqualTo(delivered);
    assertThat(Series.fromRegistry(monitoring.registry()))
        .containsEntry(
            "vigil_otlp_failed_points_total{reason=unavailable, service=bot}",
            Long.toString(Points.count(refused)));
  }
}
