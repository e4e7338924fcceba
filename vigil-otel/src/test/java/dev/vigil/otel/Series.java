package dev.vigil.otel;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every series as one comparable line per point, {@code name{attributes} value}, read either from
 * the registry (what {@code /metrics} would show) or from an OTLP request, so a test can assert
 * that the two carry exactly the same series and values.
 */
final class Series {
  private Series() {}

  static Map<String, String> fromRegistry(PrometheusRegistry registry) {
    Map<String, String> series = new TreeMap<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      String base = snapshot.getMetadata().getPrometheusName();
      if (snapshot instanceof CounterSnapshot) {
        for (CounterSnapshot.CounterDataPointSnapshot dp :
            ((CounterSnapshot) snapshot).getDataPoints()) {
          series.put(key(base + "_total", labels(dp.getLabels())), number(dp.getValue()));
        }
      } else if (snapshot instanceof GaugeSnapshot) {
        for (GaugeSnapshot.GaugeDataPointSnapshot dp : ((GaugeSnapshot) snapshot).getDataPoints()) {
          series.put(key(base, labels(dp.getLabels())), number(dp.getValue()));
        }
      } else if (snapshot instanceof HistogramSnapshot) {
        for (HistogramSnapshot.HistogramDataPointSnapshot dp :
            ((HistogramSnapshot) snapshot).getDataPoints()) {
          ClassicHistogramBuckets b = dp.getClassicBuckets();
          List<Double> bounds = new ArrayList<>();
          List<Long> counts = new ArrayList<>();
          for (int i = 0; i < b.size(); i++) {
            if (b.getUpperBound(i) != Double.POSITIVE_INFINITY) {
              bounds.add(b.getUpperBound(i));
            }
            counts.add(b.getCount(i));
          }
          series.put(key(base, labels(dp.getLabels())), histogram(bounds, counts, dp.getSum()));
        }
      } else if (snapshot instanceof SummarySnapshot) {
        for (SummarySnapshot.SummaryDataPointSnapshot dp :
            ((SummarySnapshot) snapshot).getDataPoints()) {
          series.put(
              key(base, labels(dp.getLabels())),
              "count=" + dp.getCount() + " sum=" + number(dp.getSum()));
        }
      } else if (snapshot instanceof InfoSnapshot) {
        for (InfoSnapshot.InfoDataPointSnapshot dp : ((InfoSnapshot) snapshot).getDataPoints()) {
          series.put(key(base + "_info", labels(dp.getLabels())), "1");
        }
      }
    }
    return series;
  }

  static Map<String, String> fromOtlp(ExportMetricsServiceRequest request) {
    Map<String, String> series = new TreeMap<>();
    for (Metric m : OtlpReceiver.metrics(request).values()) {
      switch (m.getDataCase()) {
        case SUM:
          for (NumberDataPoint p : m.getSum().getDataPointsList()) {
            series.put(key(m.getName(), OtlpReceiver.attributes(p.getAttributesList())), value(p));
          }
          break;
        case GAUGE:
          for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
            series.put(key(m.getName(), OtlpReceiver.attributes(p.getAttributesList())), value(p));
          }
          break;
        case HISTOGRAM:
          for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
            series.put(
                key(m.getName(), OtlpReceiver.attributes(p.getAttributesList())),
                histogram(p.getExplicitBoundsList(), p.getBucketCountsList(), p.getSum()));
          }
          break;
        case SUMMARY:
          for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
            series.put(
                key(m.getName(), OtlpReceiver.attributes(p.getAttributesList())),
                "count=" + p.getCount() + " sum=" + number(p.getSum()));
          }
          break;
        default:
          throw new AssertionError(
              "unexpected OTLP data " + m.getDataCase() + " in " + m.getName());
      }
    }
    return series;
  }

  private static String value(NumberDataPoint p) {
    return number(
        p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble());
  }

  private static String histogram(List<Double> bounds, List<Long> counts, double sum) {
    return "bounds=" + bounds + " counts=" + counts + " sum=" + number(sum);
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static Map<String, String> labels(Labels labels) {
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < labels.size(); i++) {
      map.put(labels.getName(i), labels.getValue(i));
    }
    return map;
  }

  private static String key(String name, Map<String, String> attributes) {
    return name + attributes;
  }
}
