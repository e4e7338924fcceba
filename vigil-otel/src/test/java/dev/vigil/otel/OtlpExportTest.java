package dev.vigil.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.otel.OtlpExporter.Protocol;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A scripted KPI sequence exported at close to a real OTLP receiver, over HTTP/protobuf and gRPC:
 * every series of the registry arrives with the same name, attributes and value, and the scripted
 * ones with their exact kind, temporality, buckets, timestamps and resource.
 */
class OtlpExportTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final long NOW_NANOS = TimeUnit.SECONDS.toNanos(NOW.getEpochSecond());

  private OtlpReceiver receiver;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void everySeriesOfAScriptedSequenceArrivesAtCloseWithItsKindValuesAndResource(Protocol protocol)
      throws IOException {
    receiver = protocol == Protocol.GRPC ? OtlpReceiver.grpc() : OtlpReceiver.http();
    Monitoring monitoring =
        Monitoring.builder("bot")
            .environment("staging")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .discoverExtensions(false)
            .extension(
                OtlpExporter.builder()
                    .protocol(protocol)
                    .endpoint(receiver.endpoint())
                    .header("api-key", "key-123")
                    .resourceAttribute("service.namespace", "shop")
                    .interval(Duration.ofHours(1))
                    .build())
            .build();

    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
    monitoring.trackKpi(Kpi.tokenSpend(200, "gpt-4", "input"));
    monitoring.trackKpi(Kpi.generationSuccess("image"));
    monitoring.trackKpi(Kpi.generationSuccess("image"));
    monitoring.trackKpi(Kpi.generationSuccess("image"));
    monitoring.trackKpi(Kpi.generationFailure("image", "timeout"));
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("9.99"), "USD"));
    monitoring.trackKpi(Kpi.activeUser("user-1"));
    monitoring.metrics().setActiveJobs("image-generation", 3);
    monitoring.metrics().recordHttpRequest("GET", "/api/users/{id}", 200, 30_000_000L);
    monitoring.metrics().recordHttpRequest("GET", "/api/users/{id}", 200, 2_500_000_000L);
    Map<String, String> expected = Series.fromRegistry(monitoring.registry());
    assertThat(expected)
        .hasSizeGreaterThan(20)
        .containsKeys(
            "ai_cost_usd_total{model=gpt-4, service=bot, type=completion}",
            "vigil_label_sets{metric=token_spend_total, service=bot}");

    monitoring.close();

    assertThat(receiver.received()).hasSize(1);
    OtlpReceiver.Received received = receiver.received().get(0);
    assertThat(received.headers()).containsEntry("api-key", "key-123");
    ExportMetricsServiceRequest request = received.request();
    assertThat(Series.fromOtlp(request)).isEqualTo(expected);

    ResourceMetrics resourceMetrics = request.getResourceMetrics(0);
    Map<String, String> resource =
        OtlpReceiver.attributes(resourceMetrics.getResource().getAttributesList());
    assertThat(resource)
        .containsEntry("service.name", "bot")
        .containsEntry("service.namespace", "shop")
        .containsEntry("deployment.environment.name", "staging")
        .containsEntry("telemetry.sdk.language", "java")
        .containsKey("service.instance.id");
    assertThat(resourceMetrics.getScopeMetrics(0).getScope().getName()).isEqualTo("dev.vigil");

    Map<String, Metric> metrics = OtlpReceiver.metrics(request);
    Metric tokens = metrics.get("token_spend_total");
    assertThat(tokens.getSum().getIsMonotonic()).isTrue();
    assertThat(tokens.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(tokens.getDescription()).isEqualTo("AI tokens consumed, by model and token type.");
    assertThat(points(tokens.getSum().getDataPointsList()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                Map.of("service", "bot", "model", "gpt-4", "type", "completion"), 3000.0,
                Map.of("service", "bot", "model", "gpt-4", "type", "input"), 200.0));
    NumberDataPoint first = tokens.getSum().getDataPoints(0);
    assertThat(first.getStartTimeUnixNano()).isEqualTo(NOW_NANOS);
    assertThat(first.getTimeUnixNano()).isEqualTo(NOW_NANOS);

    assertThat(points(metrics.get("generation_success_total").getSum().getDataPointsList()))
        .containsExactlyEntriesOf(Map.of(Map.of("service", "bot", "type", "image"), 3.0));
    assertThat(points(metrics.get("generation_failure_total").getSum().getDataPointsList()))
        .containsExactlyEntriesOf(
            Map.of(Map.of("service", "bot", "type", "image", "error_type", "timeout"), 1.0));
    assertThat(points(metrics.get("payment_revenue_total").getSum().getDataPointsList()))
        .containsExactlyEntriesOf(
            Map.of(Map.of("service", "bot", "currency", "USD", "plan", "premium"), 9.99));
    assertThat(points(metrics.get("active_users_total").getSum().getDataPointsList()))
        .containsExactlyEntriesOf(Map.of(Map.of("service", "bot"), 1.0));

    Metric jobs = metrics.get("active_jobs_total");
    assertThat(jobs.getDataCase()).isEqualTo(Metric.DataCase.GAUGE);
    assertThat(points(jobs.getGauge().getDataPointsList()))
        .containsExactlyEntriesOf(
            Map.of(Map.of("service", "bot", "queue_name", "image-generation"), 3.0));
    Metric distinct = metrics.get("active_users_distinct");
    assertThat(distinct.getDataCase()).isEqualTo(Metric.DataCase.GAUGE);
    assertThat(distinct.getGauge().getDataPointsList())
        .allSatisfy(p -> assertThat(p.getAsDouble()).isEqualTo(1.0));

    Metric duration = metrics.get("http_request_duration_seconds");
    assertThat(duration.getUnit()).isEqualTo("s");
    assertThat(duration.getHistogram().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    HistogramDataPoint h = duration.getHistogram().getDataPoints(0);
    assertThat(OtlpReceiver.attributes(h.getAttributesList()))
        .isEqualTo(
            Map.of(
                "service",
                "bot",
                "method",
                "GET",
                "route",
                "/api/users/{id}",
                "status_code",
                "200"));
    assertThat(h.getExplicitBoundsList()).containsExactly(0.01, 0.05, 0.1, 0.3, 0.5, 1.0, 2.0, 5.0);
    assertThat(h.getBucketCountsList()).containsExactly(0L, 1L, 0L, 0L, 0L, 0L, 0L, 1L, 0L);
    assertThat(h.getCount()).isEqualTo(2);
    assertThat(h.getSum()).isEqualTo(2.53);
    assertThat(h.hasMin()).isFalse();
  }

  static Map<Map<String, String>, Double> points(List<NumberDataPoint> points) {
    Map<Map<String, String>, Double> map = new java.util.HashMap<>();
    for (NumberDataPoint p : points) {
      map.put(OtlpReceiver.attributes(p.getAttributesList()), p.getAsDouble());
    }
    return map;
  }
}
