package dev.vigil.otel.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The bridge from the client_java registry to OpenTelemetry: each collection scrapes the registry,
 * as {@code /metrics} does, and turns every snapshot into {@link MetricData} under the Prometheus
 * name the endpoint shows ({@code token_spend_total}).
 *
 * <p>One map holds, per series, its attributes (built once, not per export) and, with delta
 * temporality, the cumulative values last delivered. A delta is the change since the last export
 * that reached the collector: an export that certainly failed (refused, unreachable, 503) leaves
 * the baseline alone, so its increments go out with the next one instead of being lost. Series that
 * disappear from the registry are forgotten at the next collection, and at most {@code maxSeries}
 * are held; beyond that, delta series are left out and counted as dropped.
 *
 * <p>Collections and commits come from the SDK's reader thread and the sender's, so both are
 * synchronised; neither is on a business thread.
 */
public final class RegistryProducer implements MetricProducer {
  private final PrometheusRegistry registry;
  private final Clock clock;
  private final boolean delta;
  private final AggregationTemporality temporality;
  private final int maxSeries;
  private final long startEpochNanos;
  private final InstrumentationScopeInfo scope;
  private final @Nullable TokenUsage tokenUsage;
  private final SelfMetrics self;
  private volatile Consumer<RuntimeException> onFailure = e -> {};
  private final Map<String, Map<Object, Series>> seriesByMetric = new HashMap<>();
  private final Map<String, List<Double>> boundariesByMetric = new HashMap<>();
  private int seriesCount;
  private long generation;
  private long lastProduced;

  public RegistryProducer(
      PrometheusRegistry registry,
      Clock clock,
      boolean delta,
      int maxSeries,
      InstrumentationScopeInfo scope,
      @Nullable TokenUsage tokenUsage,
      SelfMetrics self) {
    this.registry = registry;
    this.clock = clock;
    this.delta = delta;
    this.temporality = delta ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
    this.maxSeries = maxSeries;
    this.scope = scope;
    this.tokenUsage = tokenUsage;
    this.self = self;
    this.startEpochNanos = epochNanos(clock);
  }

  /** Called when reading the registry fails, so the export of that interval is skipped. */
  public void onFailure(Consumer<RuntimeException> handler) {
    this.onFailure = handler;
  }

  /** The collection the next export carries; commits name it. */
  public synchronized long lastProduced() {
    return lastProduced;
  }

  @Override
  public synchronized Collection<MetricData> produce(Resource resource) {
    long gen = ++generation;
    lastProduced = gen;
    long now = epochNanos(clock);
    MetricSnapshots snapshots;
    try {
      snapshots = registry.scrape();
    } catch (RuntimeException e) {
      // A collector of the application's that throws fails /metrics too; here it costs one
      // export, said once a minute in Vigil's log, and the next interval tries again.
      onFailure.accept(e);
      return List.of();
    }
    Run run = new Run(resource, now, gen, snapshots.size() + 1);
    for (MetricSnapshot snapshot : snapshots) {
      if (snapshot instanceof CounterSnapshot) {
        run.counter((CounterSnapshot) snapshot);
      } else if (snapshot instanceof GaugeSnapshot) {
        run.gauge((GaugeSnapshot) snapshot);
      } else if (snapshot instanceof HistogramSnapshot) {
        run.histogram((HistogramSnapshot) snapshot);
      } else if (snapshot instanceof SummarySnapshot) {
        run.summary((SummarySnapshot) snapshot);
      } else if (snapshot instanceof InfoSnapshot) {
        run.info((InfoSnapshot) snapshot);
      } else if (snapshot instanceof StateSetSnapshot) {
        run.stateSet((StateSetSnapshot) snapshot);
      } else if (snapshot instanceof UnknownSnapshot) {
        run.unknown((UnknownSnapshot) snapshot);
      } else {
        run.unsupported += snapshot.getDataPoints().size();
      }
    }
    if (tokenUsage != null) {
      tokenUsage.produce(run);
    }
    sweep(gen);
    if (run.seriesLimit > 0) {
      self.dropped("series_limit", run.seriesLimit);
    }
    if (run.unsupported > 0) {
      self.dropped("unsupported", run.unsupported);
    }
    return run.out;
  }

  /** The export of collection {@code gen} may have reached the collector: advance the baselines. */
  public synchronized void commit(long gen) {
    if (!delta) {
      return;
    }
    for (Map<Object, Series> metric : seriesByMetric.values()) {
      for (Series s : metric.values()) {
        if (s.pendingGeneration == gen) {
          s.commit();
        }
      }
    }
  }

  /** Series held, for the bound. */
  public synchronized int seriesCount() {
    return seriesCount;
  }

  private void sweep(long gen) {
    for (Iterator<Map<Object, Series>> metrics = seriesByMetric.values().iterator();
        metrics.hasNext(); ) {
      Map<Object, Series> metric = metrics.next();
      for (Iterator<Series> it = metric.values().iterator(); it.hasNext(); ) {
        if (it.next().seen != gen) {
          it.remove();
          seriesCount--;
        }
      }
      if (metric.isEmpty()) {
        metrics.remove();
      }
    }
  }

  /**
   * The state of {@code key} in {@code metric}, created on first sight; null once {@code maxSeries}
   * are held.
   */
  private @Nullable Series series(
      String metric,
      Object key,
      @Nullable Labels labels,
      @Nullable Attributes given,
      long gen,
      long start) {
    Map<Object, Series> byKey = seriesByMetric.computeIfAbsent(metric, m -> new HashMap<>());
    Series s = byKey.get(key);
    if (s == null) {
      if (seriesCount >= maxSeries) {
        return null;
      }
      s =
          new Series(
              given != null ? given : attributes(java.util.Objects.requireNonNull(labels)), start);
      byKey.put(key, s);
      seriesCount++;
    }
    s.seen = gen;
    return s;
  }

  static Attributes attributes(Labels labels) {
    AttributesBuilder b = Attributes.builder();
    for (int i = 0; i < labels.size(); i++) {
      b.put(labels.getName(i), labels.getValue(i));
    }
    return b.build();
  }

  static long epochNanos(Clock clock) {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** OpenTelemetry's UCUM unit for client_java's unit names, as the Collector translates them. */
  static String unit(MetricMetadata metadata) {
    if (!metadata.hasUnit()) {
      return "";
    }
    String unit = metadata.getUnit().toString();
    switch (unit) {
      case "seconds":
        return "s";
      case "milliseconds":
        return "ms";
      case "bytes":
        return "By";
      case "ratio":
        return "1";
      case "celsius":
        return "Cel";
      case "joules":
        return "J";
      case "grams":
        return "g";
      case "meters":
        return "m";
      case "volts":
        return "V";
      case "amperes":
        return "A";
      default:
        return unit;
    }
  }

  /** One collection's output, and the bookkeeping its conversions share. */
  final class Run {
    final Resource resource;
    final long now;
    final long gen;
    final List<MetricData> out;
    long seriesLimit;
    long unsupported;

    Run(Resource resource, long now, long gen, int expected) {
      this.resource = resource;
      this.now = now;
      this.gen = gen;
      this.out = new ArrayList<>(expected);
    }

    void counter(CounterSnapshot snapshot) {
      MetricMetadata md = snapshot.getMetadata();
      String name = md.getPrometheusName() + "_total";
      List<DoublePointData> points = new ArrayList<>(snapshot.getDataPoints().size());
      for (CounterSnapshot.CounterDataPointSnapshot dp : snapshot.getDataPoints()) {
        long start = start(dp);
        Series s = series(name, dp.getLabels(), dp.getLabels(), null, gen, start);
        double value = dp.getValue();
        if (!delta) {
          points.add(point(start, s == null ? attributes(dp.getLabels()) : s.attributes, value));
          continue;
        }
        if (s == null) {
          seriesLimit++;
          continue;
        }
        double change = value - s.committedValue;
        if (change < 0) {
          change = value; // the counter was reset: all of it is new
        }
        s.pending(gen, now, value);
        if (change != 0) {
          points.add(point(s.committedAt, s.attributes, change));
        }
      }
      add(
          md,
          name,
          MetricDataType.DOUBLE_SUM,
          points,
          SumData.createDoubleSumData(true, temporality, points));
    }

    void gauge(GaugeSnapshot snapshot) {
      MetricMetadata md = snapshot.getMetadata();
      String name = md.getPrometheusName();
      List<DoublePointData> points = new ArrayList<>(snapshot.getDataPoints().size());
      for (GaugeSnapshot.GaugeDataPointSnapshot dp : snapshot.getDataPoints()) {
        points.add(point(startEpochNanos, cached(name, dp.getLabels()), dp.getValue()));
      }
      add(md, name, MetricDataType.DOUBLE_GAUGE, points, GaugeData.createDoubleGaugeData(points));
    }

    void unknown(UnknownSnapshot snapshot) {
      MetricMetadata md = snapshot.getMetadata();
      String name = md.getPrometheusName();
      List<DoublePointData> points = new ArrayList<>(snapshot.getDataPoints().size());
      for (UnknownSnapshot.UnknownDataPointSnapshot dp : snapshot.getDataPoints()) {
        points.add(point(startEpochNanos, cached(name, dp.getLabels()), dp.getValue()));
      }
      add(md, name, MetricDataType.DOUBLE_GAUGE, points, GaugeData.createDoubleGaugeData(points));
    }

    /** An info metric ({@code jvm_runtime_info}) is a gauge of 1 carrying its labels. */
    void info(InfoSnapshot snapshot) {
      MetricMetadata md = snapshot.getMetadata();
      String name = md.getPrometheusName() + "_info";
      List<DoublePointData> points = new ArrayList<>(snapshot.getDataPoints().size());
      for (InfoSnapshot.InfoDataPointSnapshot dp : snapshot.getDataPoints()) {
        points.add(point(startEpochNanos, cached(name, dp.getLabels()), 1));
      }
      add(md, name, MetricDataType.DOUBLE_GAUGE, points, GaugeData.createDoubleGaugeData(points));
    }

    /** A state set is a gauge per state, 1 for the true ones, with the state as an attribute. */
    void stateSet(StateSetSnapshot snapshot) {
      MetricMetadata md = snapshot.getMetadata();
      String name = md.getPrometheusName();
      List<DoublePointData> points = new ArrayList<>();
      for (StateSetSnapshot.StateSetDataPointSnapshot dp : snapshot.getDataPoints()) {
        for (int i = 0; i < dp.size(); i++) {
          Attributes attributes =
              attributes(dp.getLabels()).toBuilder().put(name, dp.getName(i)).build();
          points.add(point(startEpochNanos, attributes, dp.isTrue(i) ? 1 : 0));
        }
      }
      add(md, name, MetricDataType.DOUBLE_GAUGE, points, GaugeData.createDoubleGaugeData(points));
    }

    void summary(SummarySnapshot snapshot) {
      MetricMetadata md = snapshot.getMetadata();
      String name = md.getPrometheusName();
      List<SummaryPointData> points = new ArrayList<>(snapshot.getDataPoints().size());
      for (SummarySnapshot.SummaryDataPointSnapshot dp : snapshot.getDataPoints()) {
        List<ValueAtQuantile> quantiles = new ArrayList<>(dp.getQuantiles().size());
        for (Quantile q : dp.getQuantiles()) {
          quantiles.add(ValueAtQuantile.create(q.getQuantile(), q.getValue()));
        }
        // OTLP summaries have no temporality: they stay cumulative.
        points.add(
            SummaryPointData.create(
                start(dp),
                now,
                cached(name, dp.getLabels()),
                dp.hasCount() ? dp.getCount() : 0,
                dp.hasSum() ? dp.getSum() : 0,
                quantiles));
      }
      add(md, name, MetricDataType.SUMMARY, points, SummaryData.create(points));
    }

    void histogram(HistogramSnapshot snapshot) {
      MetricMetadata md = snapshot.getMetadata();
      String name = md.getPrometheusName();
      List<HistogramPointData> points = new ArrayList<>(snapshot.getDataPoints().size());
      for (HistogramSnapshot.HistogramDataPointSnapshot dp : snapshot.getDataPoints()) {
        if (snapshot.isGaugeHistogram() || !dp.hasClassicHistogramData()) {
          unsupported++; // gauge histograms and native-only histograms have no OTLP twin here
          continue;
        }
        ClassicHistogramBuckets buckets = dp.getClassicBuckets();
        List<Double> boundaries = boundaries(name, buckets);
        long[] counts = new long[boundaries.size() + 1];
        for (int i = 0; i < buckets.size(); i++) {
          counts[i] = buckets.getCount(i);
        }
        double sum = dp.hasSum() ? dp.getSum() : 0;
        Labels labels = dp.getLabels();
        histogramPoint(points, name, labels, labels, null, start(dp), boundaries, counts, sum);
      }
      add(md, name, MetricDataType.HISTOGRAM, points, HistogramData.create(temporality, points));
    }

    /**
     * Adds the point of one histogram series, cumulative or as the change since the last delivered
     * export; shared by the registry's histograms and the GenAI one.
     */
    void histogramPoint(
        List<HistogramPointData> points,
        String name,
        Object key,
        @Nullable Labels labels,
        @Nullable Attributes given,
        long start,
        List<Double> boundaries,
        long[] counts,
        double sum) {
      Series s = series(name, key, labels, given, gen, start);
      if (!delta) {
        Attributes attributes =
            s != null
                ? s.attributes
                : given != null ? given : attributes(java.util.Objects.requireNonNull(labels));
        points.add(histogram(start, attributes, boundaries, counts, sum));
        return;
      }
      if (s == null) {
        seriesLimit++;
        return;
      }
      long total = 0;
      long change = 0;
      boolean reset = s.committedCounts != null && s.committedCounts.length != counts.length;
      long[] diff = new long[counts.length];
      for (int i = 0; i < counts.length; i++) {
        long before = s.committedCounts == null || reset ? 0 : s.committedCounts[i];
        diff[i] = counts[i] - before;
        reset |= diff[i] < 0;
        total += counts[i];
        change += diff[i];
      }
      double sumChange = sum - s.committedSum;
      if (reset) {
        diff = counts.clone();
        change = total;
        sumChange = sum;
      }
      s.pending(gen, now, sum, counts);
      if (change != 0) {
        points.add(histogram(s.committedAt, s.attributes, boundaries, diff, sumChange));
      }
    }

    void add(MetricMetadata md, String name, MetricDataType type, List<?> points, Data<?> data) {
      add(name, md.getHelp() == null ? "" : md.getHelp(), unit(md), type, points, data);
    }

    void add(
        String name,
        String description,
        String unit,
        MetricDataType type,
        List<?> points,
        Data<?> data) {
      if (!points.isEmpty()) {
        out.add(new BridgedMetricData(resource, scope, name, description, unit, type, data));
      }
    }

    private HistogramPointData histogram(
        long start, Attributes attributes, List<Double> boundaries, long[] counts, double sum) {
      List<Long> list = new ArrayList<>(counts.length);
      for (long c : counts) {
        list.add(c);
      }
      return HistogramPointData.create(
          start, now, attributes, sum, false, 0, false, 0, boundaries, list);
    }

    private DoublePointData point(long start, Attributes attributes, double value) {
      return DoublePointData.create(start, now, attributes, value, List.of());
    }

    AggregationTemporality temporality() {
      return temporality;
    }

    /** The start of cumulative series: when the exporter started. */
    long start() {
      return startEpochNanos;
    }

    private Attributes cached(String name, Labels labels) {
      Series s = series(name, labels, labels, null, gen, startEpochNanos);
      return s == null ? attributes(labels) : s.attributes;
    }

    private long start(DataPointSnapshot dp) {
      return dp.hasCreatedTimestamp()
          ? dp.getCreatedTimestampMillis() * 1_000_000L
          : startEpochNanos;
    }

    /** The finite upper bounds, one list per metric and bucket layout, not one per export. */
    private List<Double> boundaries(String name, ClassicHistogramBuckets buckets) {
      int finite = buckets.size();
      if (finite > 0 && buckets.getUpperBound(finite - 1) == Double.POSITIVE_INFINITY) {
        finite--;
      }
      List<Double> cached = boundariesByMetric.get(name);
      if (cached != null && cached.size() == finite && matches(cached, buckets)) {
        return cached;
      }
      List<Double> bounds = new ArrayList<>(finite);
      for (int i = 0; i < finite; i++) {
        bounds.add(buckets.getUpperBound(i));
      }
      List<Double> fixed = List.copyOf(bounds);
      boundariesByMetric.put(name, fixed);
      return fixed;
    }

    private boolean matches(List<Double> cached, ClassicHistogramBuckets buckets) {
      for (int i = 0; i < cached.size(); i++) {
        if (cached.get(i) != buckets.getUpperBound(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /** What one series carries from one collection to the next. */
  static final class Series {
    final Attributes attributes;
    long seen;
    long committedAt;
    double committedValue;
    double committedSum;
    long @Nullable [] committedCounts;
    long pendingGeneration = -1;
    long pendingAt;
    double pendingValue;
    double pendingSum;
    long @Nullable [] pendingCounts;

    Series(Attributes attributes, long start) {
      this.attributes = attributes;
      this.committedAt = start;
    }

    void pending(long gen, long at, double value) {
      pendingGeneration = gen;
      pendingAt = at;
      pendingValue = value;
    }

    void pending(long gen, long at, double sum, long[] counts) {
      pendingGeneration = gen;
      pendingAt = at;
      pendingSum = sum;
      pendingCounts = counts;
    }

    void commit() {
      committedAt = pendingAt;
      committedValue = pendingValue;
      committedSum = pendingSum;
      committedCounts = pendingCounts;
      pendingGeneration = -1;
    }
  }
}
