package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The business numbers at one instant, as values rather than JSON: what the KPI page samples into
 * its history and shows beside the {@code /kpi} document. Read from the same cells as {@code
 * /metrics} and {@link KpiReport}, with the same sums, so a reading and {@code /kpi} taken with no
 * event in between agree exactly; it adds what {@code /kpi} leaves out (HTTP, failures by error
 * type, active jobs, the queue median).
 *
 * <p>Grouped values are keyed by label value in sorted maps; the label values are the ones the
 * families already hold, never copies.
 */
public final class KpiReading {
  static final double MEDIAN = 0.5;
  static final double P99 = 0.99;

  /** {@code active_users_total}. */
  public final double interactions;

  /** Distinct users per window, in configuration order; empty when windows are off. */
  public final List<Distinct> distinct;

  /** Successes and failures per generation type. */
  public final Map<String, SuccessFailure> generationByType;

  public final double generationSuccess;
  public final double generationFailure;

  /** Generation failures per error type. */
  public final Map<String, Double> generationFailuresByError;

  public final double paymentConversions;
  public final double paymentFailures;

  /** Payment failures per error type (the reason). */
  public final Map<String, Double> paymentFailuresByReason;

  /** Tokens and priced cost per model. */
  public final Map<String, TokensCost> tokensByModel;

  public final double tokens;
  public final BigDecimal costUsd;

  /** Per queue: jobs, duration buckets, active jobs and failures. */
  public final Map<String, Queue> queues;

  /** The finite bounds of {@code queue_job_duration_seconds}. */
  public final double[] queueBounds;

  /** Queue failures per queue and error type, keyed {@code queue + '\u0000' + errorType}. */
  public final Map<String, Double> queueFailures;

  /** HTTP requests, summed over every series. */
  public final Http http;

  /** Per method and route, keyed {@code method + ' ' + route}. */
  public final Map<String, Http> routes;

  /** The finite bounds of {@code http_request_duration_seconds}. */
  public final double[] httpBounds;

  /** {@code errors_total} per error type. */
  public final Map<String, Double> errorsByType;

  public final double errors;

  private KpiReading(Builder b) {
    interactions = b.interactions;
    distinct = List.copyOf(b.distinct);
    generationByType = b.generationByType;
    double success = 0;
    double failure = 0;
    for (SuccessFailure sf : generationByType.values()) {
      success += sf.success;
      failure += sf.failure;
    }
    generationSuccess = success;
    generationFailure = failure;
    generationFailuresByError = b.generationFailuresByError;
    paymentConversions = b.paymentConversions;
    paymentFailures = b.paymentFailures;
    paymentFailuresByReason = b.paymentFailuresByReason;
    tokensByModel = b.tokensByModel;
    double allTokens = 0;
    BigDecimal allCost = BigDecimal.ZERO;
    for (TokensCost tc : tokensByModel.values()) {
      allTokens += tc.tokens;
      allCost = allCost.add(tc.costUsd);
    }
    tokens = allTokens;
    costUsd = allCost;
    queues = b.queues;
    queueBounds = b.queueBounds;
    queueFailures = b.queueFailures;
    http = b.http;
    routes = b.routes;
    httpBounds = b.httpBounds;
    errorsByType = b.errorsByType;
    double e = 0;
    for (double v : errorsByType.values()) {
      e += v;
    }
    errors = e;
  }

  /** Reads every family now. */
  static KpiReading read(
      CoreMetrics core, @Nullable UserActivity activity, AiCost cost, Revenue revenue) {
    Builder b = new Builder();
    b.interactions = sum(counters(core, MetricCatalog.ACTIVE_USERS));
    if (activity != null) {
      for (UserActivity.WindowSnapshot w : activity.snapshot(false)) {
        b.distinct.add(new Distinct(w.window(), w.distinctUsers()));
      }
    }
    for (CounterCell cell : counters(core, MetricCatalog.GENERATION_SUCCESS)) {
      b.generationByType.computeIfAbsent(label(cell, "type"), k -> new SuccessFailure()).success +=
          cell.value();
    }
    for (CounterCell cell : counters(core, MetricCatalog.GENERATION_FAILURE)) {
      b.generationByType.computeIfAbsent(label(cell, "type"), k -> new SuccessFailure()).failure +=
          cell.value();
      b.generationFailuresByError.merge(label(cell, "error_type"), cell.value(), Double::sum);
    }
    b.paymentConversions = sum(counters(core, MetricCatalog.PAYMENT_CONVERSIONS));
    List<CounterCell> payFailures = counters(core, MetricCatalog.PAYMENT_FAILURES);
    b.paymentFailures = sum(payFailures);
    for (CounterCell cell : payFailures) {
      b.paymentFailuresByReason.merge(label(cell, "error_type"), cell.value(), Double::sum);
    }
    for (CounterCell cell : counters(core, MetricCatalog.TOKEN_SPEND)) {
      b.tokensByModel.computeIfAbsent(label(cell, "model"), k -> new TokensCost()).tokens +=
          cell.value();
    }
    for (DecimalCounterCell cell : cost.costFamily().cells()) {
      if (cell.exposed()) {
        TokensCost tc =
            b.tokensByModel.computeIfAbsent(label(cell, "model"), k -> new TokensCost());
        tc.costUsd = tc.costUsd.add(cell.decimalValue());
      }
    }
    readQueues(core, b);
    readHttp(core, b);
    for (CounterCell cell : counters(core, MetricCatalog.ERRORS)) {
      b.errorsByType.merge(label(cell, "error_type"), cell.value(), Double::sum);
    }
    return new KpiReading(b);
  }

  private static void readQueues(CoreMetrics core, Builder b) {
    Family<?> durations = core.family(MetricCatalog.QUEUE_JOB_DURATION.name());
    if (durations instanceof HistogramFamily) {
      HistogramFamily family = (HistogramFamily) durations;
      b.queueBounds = family.upperBounds();
      for (HistogramCell cell : family.cells()) {
        long[] counts = cell.cumulativeCounts();
        Queue q = b.queues.computeIfAbsent(label(cell, "queue_name"), k -> new Queue());
        q.add(counts);
      }
    }
    Family<?> active = core.family(MetricCatalog.ACTIVE_JOBS.name());
    if (active instanceof GaugeFamily) {
      for (GaugeCell cell : ((GaugeFamily) active).cells()) {
        b.queues.computeIfAbsent(label(cell, "queue_name"), k -> new Queue()).active +=
            cell.value();
      }
    }
    for (CounterCell cell : counters(core, MetricCatalog.QUEUE_FAILURES)) {
      String queue = label(cell, "queue_name");
      b.queues.computeIfAbsent(queue, k -> new Queue()).failures += cell.value();
      b.queueFailures.merge(
          queue + '\u0000' + label(cell, "error_type"), cell.value(), Double::sum);
    }
    for (Queue q : b.queues.values()) {
      q.finish(b.queueBounds);
    }
  }

  private static void readHttp(CoreMetrics core, Builder b) {
    for (CounterCell cell : counters(core, MetricCatalog.HTTP_REQUESTS)) {
      double n = cell.value();
      String status = label(cell, "status_code");
      Http route =
          b.routes.computeIfAbsent(
              label(cell, "method") + ' ' + label(cell, "route"), k -> new Http());
      route.count(n, status);
      b.http.count(n, status);
    }
    Family<?> durations = core.family(MetricCatalog.HTTP_REQUEST_DURATION.name());
    if (durations instanceof HistogramFamily) {
      HistogramFamily family = (HistogramFamily) durations;
      b.httpBounds = family.upperBounds();
      for (HistogramCell cell : family.cells()) {
        long[] counts = cell.cumulativeCounts();
        b.http.add(counts);
        b.routes
            .computeIfAbsent(label(cell, "method") + ' ' + label(cell, "route"), k -> new Http())
            .add(counts);
      }
    }
    b.http.finish(b.httpBounds);
    for (Http route : b.routes.values()) {
      route.finish(b.httpBounds);
    }
  }

  /** The entries with the largest values, largest first (ties by key), at most {@code n}. */
  public static <V> List<Map.Entry<String, V>> top(
      Map<String, V> values, int n, Comparator<V> byValue) {
    List<Map.Entry<String, V>> all = new ArrayList<>(values.entrySet());
    all.sort(
        Map.Entry.<String, V>comparingByValue(byValue)
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    return all.subList(0, Math.min(n, all.size()));
  }

  /** PromQL's {@code histogram_quantile} over cumulative counts; NaN when there are none. */
  public static double quantile(double q, double[] bounds, long[] cumulative) {
    return KpiReport.histogramQuantile(q, bounds, cumulative);
  }

  private static List<CounterCell> counters(CoreMetrics core, MetricCatalog.Definition d) {
    Family<?> family = core.family(d.name());
    if (!(family instanceof CounterFamily)) {
      return List.of();
    }
    return List.copyOf(((CounterFamily) family).cells());
  }

  private static double sum(List<CounterCell> cells) {
    double total = 0;
    for (CounterCell cell : cells) {
      total += cell.value();
    }
    return total;
  }

  private static String label(Cell cell, String name) {
    String value = cell.labels().get(name);
    return value == null ? LabelPolicy.UNKNOWN : value;
  }

  /** Distinct users of one window. */
  public record Distinct(String window, long users) {}

  /** Generations of one type. */
  public static final class SuccessFailure {
    public double success;
    public double failure;

    public double total() {
      return success + failure;
    }
  }

  /** Tokens and the priced cost of one model. */
  public static final class TokensCost {
    public double tokens;
    public BigDecimal costUsd = BigDecimal.ZERO;
  }

  /** A histogram summed over series: cumulative counts, {@code +Inf} last. */
  public static class Buckets {
    private long @Nullable [] cumulative;
    public double p50Seconds = Double.NaN;
    public double p95Seconds = Double.NaN;
    public double p99Seconds = Double.NaN;

    void add(long[] counts) {
      long[] c = cumulative;
      if (c == null) {
        cumulative = counts.clone();
        return;
      }
      for (int i = 0; i < c.length && i < counts.length; i++) {
        c[i] += counts[i];
      }
    }

    void finish(double[] bounds) {
      long[] c = cumulative;
      if (c == null) {
        return;
      }
      p50Seconds = quantile(MEDIAN, bounds, c);
      p95Seconds = quantile(KpiReport.QUEUE_QUANTILE, bounds, c);
      p99Seconds = quantile(P99, bounds, c);
    }

    /** The cumulative counts, {@code +Inf} last; empty when nothing was observed. */
    public long[] cumulative() {
      long[] c = cumulative;
      return c == null ? new long[0] : c.clone();
    }

    /** Observations: the {@code +Inf} count. */
    public long observations() {
      long[] c = cumulative;
      return c == null || c.length == 0 ? 0 : c[c.length - 1];
    }
  }

  /** One queue. */
  public static final class Queue extends Buckets {
    public double active;
    public double failures;
  }

  /** HTTP requests of one route, or of all. */
  public static final class Http extends Buckets {
    public double requests;
    public double clientErrors;
    public double serverErrors;

    void count(double n, String status) {
      requests += n;
      if (status.length() == 3 && status.charAt(0) == '4') {
        clientErrors += n;
      } else if (status.length() == 3 && status.charAt(0) == '5') {
        serverErrors += n;
      }
    }
  }

  private static final class Builder {
    double interactions;
    final List<Distinct> distinct = new ArrayList<>();
    final Map<String, SuccessFailure> generationByType = new TreeMap<>();
    final Map<String, Double> generationFailuresByError = new TreeMap<>();
    double paymentConversions;
    double paymentFailures;
    final Map<String, Double> paymentFailuresByReason = new TreeMap<>();
    final Map<String, TokensCost> tokensByModel = new TreeMap<>();
    final Map<String, Queue> queues = new TreeMap<>();
    double[] queueBounds = new double[0];
    final Map<String, Double> queueFailures = new TreeMap<>();
    final Http http = new Http();
    final Map<String, Http> routes = new TreeMap<>();
    double[] httpBounds = new double[0];
    final Map<String, Double> errorsByType = new TreeMap<>();
  }
}
