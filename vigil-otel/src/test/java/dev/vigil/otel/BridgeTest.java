package dev.vigil.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Monitoring;
import dev.vigil.testkit.LogCapture;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.StateSet;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application's own client_java metrics in the Monitoring's registry are bridged too: summaries
 * as summaries, info and state sets as gauges; native-only histograms, which this bridge does not
 * translate, are counted as dropped; and delta temporality holds at most {@code maxSeries} series,
 * counting the rest as dropped.
 */
class BridgeTest {
  private OtlpReceiver receiver;

  @AfterEach
  void stop() {
    receiver.close();
  }

  private Monitoring monitoring(PrometheusRegistry registry, OtlpExporter.Builder exporter)
      throws Exception {
    receiver = OtlpReceiver.http();
    return Monitoring.builder("bot")
        .registry(registry)
        .metricsEnabled(false)
        .jvmMetrics(false)
        .discoverExtensions(false)
        .extension(exporter.endpoint(receiver.endpoint()).interval(Duration.ofHours(1)).build())
        .build();
  }

  @Test
  void summariesInfoAndStateSets_andNativeOnlyHistogramsCountAsDropped() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Summary latency = Summary.builder().name("legacy_latency_seconds").register(registry);
    latency.observe(0.5);
    latency.observe(1.5);
    Info.builder()
        .name("build_info")
        .labelNames("version")
        .register(registry)
        .setLabelValues("1.4");
    StateSet mode = StateSet.builder().name("feature_mode").states("on", "off").register(registry);
    mode.setTrue("on");
    Histogram.builder().name("native_only_seconds").nativeOnly().register(registry).observe(1);
    Monitoring monitoring = monitoring(registry, OtlpExporter.builder());

    monitoring.close();

    Map<String, Metric> metrics = OtlpReceiver.metrics(receiver.requests().get(0));
    SummaryDataPoint summary = metrics.get("legacy_latency_seconds").getSummary().getDataPoints(0);
    assertThat(summary.getCount()).isEqualTo(2);
    assertThat(summary.getSum()).isEqualTo(2.0);
    NumberDataPoint info = metrics.get("build_info").getGauge().getDataPoints(0);
    assertThat(info.getAsDouble()).isEqualTo(1.0);
    assertThat(OtlpReceiver.attributes(info.getAttributesList())).containsEntry("version", "1.4");
    assertThat(OtlpExportTest.points(metrics.get("feature_mode").getGauge().getDataPointsList()))
        .isEqualTo(Map.of(Map.of("feature_mode", "on"), 1.0, Map.of("feature_mode", "off"), 0.0));
    assertThat(metrics).doesNotContainKey("native_only_seconds");
    assertThat(Series.fromRegistry(monitoring.registry()))
        .containsEntry("vigil_otlp_dropped_points_total{reason=unsupported, service=bot}", "1");
  }

  @Test
  void aCollectorThatThrows_costsOneExport_thenTheNextOneGoesOut() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    AtomicBoolean broken = new AtomicBoolean(true);
    registry.register(
        () -> {
          if (broken.get()) {
            throw new IllegalStateException("collector bug");
          }
          return GaugeSnapshot.builder()
              .name("app_ready")
              .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build())
              .build();
        });
    receiver = OtlpReceiver.http();
    OtlpExporter exporter =
        OtlpExporter.builder().endpoint(receiver.endpoint()).interval(Duration.ofHours(1)).build();
    try (LogCapture logs = LogCapture.of("dev.vigil");
        Monitoring monitoring =
            Monitoring.builder("bot")
                .registry(registry)
                .metricsEnabled(false)
                .jvmMetrics(false)
                .discoverExtensions(false)
                .extension(exporter)
                .build()) {
      exporter.flush(Duration.ofSeconds(10));
      assertThat(receiver.received()).isEmpty();
      assertThat(logs.warnings())
          .anySatisfy(
              w -> assertThat(w).contains("skipped an OTLP export").contains("collector bug"));

      broken.set(false);
      monitoring.trackKpi(dev.vigil.Kpi.activeUser("user-1"));
      assertThat(exporter.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(Series.fromOtlp(receiver.requests().get(0)))
          .containsEntry("app_ready{}", "1")
          .containsEntry("active_users_total{service=bot}", "1");
    }
  }

  @Test
  void deltaHoldsAtMostMaxSeries_andCountsTheRestAsDropped() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter requests = Counter.builder().name("jobs_total").labelNames("id").register(registry);
    for (int i = 0; i < 200; i++) {
      requests.labelValues("job-" + i).inc();
    }
    Monitoring monitoring =
        monitoring(
            registry,
            OtlpExporter.builder().temporality(OtlpExporter.Temporality.DELTA).maxSeries(150));

    monitoring.close();

    long jobs =
        OtlpReceiver.metrics(receiver.requests().get(0))
            .get("jobs_total")
            .getSum()
            .getDataPointsCount();
    long dropped =
        Long.parseLong(
            Series.fromRegistry(monitoring.registry())
                .get("vigil_otlp_dropped_points_total{reason=series_limit, service=bot}"));
    assertThat(jobs).isPositive().isLessThanOrEqualTo(150);
    assertThat(jobs + dropped).isEqualTo(200);
  }
}
