package dev.vigil.otel;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;

/** Data points in an OTLP request, as the exporter counts them. */
final class Points {
  private Points() {}

  static long count(ExportMetricsServiceRequest request) {
    long points = 0;
    for (Metric m : OtlpReceiver.metrics(request).values()) {
      points +=
          m.getSum().getDataPointsCount()
              + m.getGauge().getDataPointsCount()
              + m.getHistogram().getDataPointsCount()
              + m.getSummary().getDataPointsCount();
    }
    return points;
  }
}
