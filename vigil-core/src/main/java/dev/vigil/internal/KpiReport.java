package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@code /kpi} document: the specification's business insights computed in-process from the
 * same series {@code /metrics} exposes, for teams without Prometheus yet.
 *
 * <p>Every number is read from the cells behind {@code /metrics}, so the two agree exactly: counts
 * and money are the series values (sums of money are exact decimals), rates divide the same sums
 * PromQL would, and the queue p95 is {@code histogram_quantile(0.95, sum by (le, queue_name)
 * (queue_job_duration_seconds_bucket))}, computed with Prometheus' own interpolation over the
 * counts since start. Distinct users and top spenders are the sketches' estimates.
 */
public final class KpiReport {
  static final double QUEUE_QUANTILE = 0.95;

  private final CoreMetrics core;
  private final Clock clock;
  private final @Nullable UserActivity activity;
  private final AiCost cost;
  private final Revenue revenue;

  public KpiReport(
      CoreMetrics core,
      Clock clock,
      @Nullable UserActivity activity,
      AiCost cost,
      Revenue revenue) {
    this.core = core;
    this.clock = clock;
    this.activity = activity;
    this.cost = cost;
    this.revenue = revenue;
  }

  /**
   * The document. Each section is built on its own: one that fails (a series that cannot be read, a
   * sketch that throws) is served as null, counted in {@code
   * vigil_scrape_failures_total{metric="kpi:<section>"}} and logged once, and the rest is served.
   */
  public String json() {
    List<UserActivity.WindowSnapshot> windows;
    try {
      windows = activity == null ? List.of() : activity.snapshot(true);
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      core.guard().scrapeFailed("kpi:activeUsers", t);
      windows = null;
    }
    List<UserActivity.WindowSnapshot> w = windows;
    JsonWriter json = new JsonWriter().beginObject();
    json.name("service").value(core.service());
    json.name("time").value(clock.instant().toString());
    section(json, "generation", this::generation);
    section(json, "payments", this::payments);
    section(json, "revenue", this::revenue);
    section(json, "tokens", this::tokens);
    section(json, "activeUsers", part -> activeUsers(part, required(w)));
    section(json, "queues", this::queues);
    section(json, "topSpenders", part -> topSpenders(part, required(w)));
    return json.endObject().toString();
  }

  private static List<UserActivity.WindowSnapshot> required(
      @Nullable List<UserActivity.WindowSnapshot> windows) {
    if (windows == null) {
      throw new IllegalStateException("the user activity sketches could not be read");
    }
    return windows;
  }

  private void section(JsonWriter json, String name, Consumer<JsonWriter> writer) {
    JsonWriter part = new JsonWriter().beginObject();
    try {
      writer.accept(part);
      json.members(part.endObject());
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      core.guard().scrapeFailed("kpi:" + name, t);
      json.name(name).nullValue();
    }
  }

  private void generation(JsonWriter json) {
    Map<String, double[]> byType = new TreeMap<>(); // type -> {success, failure}
    for (CounterCell cell : counters(MetricCatalog.GENERATION_SUCCESS)) {
      byType.computeIfAbsent(label(cell, "type"), k -> new double[2])[0] += cell.value();
    }
    for (CounterCell cell : counters(MetricCatalog.GENERATION_FAILURE)) {
      byType.computeIfAbsent(label(cell, "type"), k -> new double[2])[1] += cell.value();
    }
    double success = 0;
    double failure = 0;
    for (double[] counts : byType.values()) {
      success += counts[0];
      failure += counts[1];
    }
    json.name("generation").beginObject();
    json.name("success").value(success).name("failure").value(failure);
    json.name("successRate").value(ratio(success, failure));
    json.name("byType").beginObject();
    byType.forEach(
        (type, counts) ->
            json.name(type)
                .beginObject()
                .name("success")
                .value(counts[0])
                .name("failure")
                .value(counts[1])
                .name("successRate")
                .value(ratio(counts[0], counts[1]))
                .endObject());
    json.endObject().endObject();
  }

  private void payments(JsonWriter json) {
    double conversions = sum(counters(MetricCatalog.PAYMENT_CONVERSIONS));
    double failures = sum(counters(MetricCatalog.PAYMENT_FAILURES));
    json.name("payments").beginObject();
    json.name("conversions").value(conversions).name("failures").value(failures);
    json.name("conversionRate").value(ratio(conversions, failures));
    json.endObject();
  }

  private void revenue(JsonWriter json) {
    Map<String, Map<String, BigDecimal>> byPlan = new TreeMap<>();
    Map<String, BigDecimal> byCurrency = new TreeMap<>();
    for (DecimalCounterCell cell : revenue.family().cells()) {
      String currency = label(cell, "currency");
      BigDecimal amount = cell.decimalValue();
      byPlan
          .computeIfAbsent(label(cell, "plan"), k -> new TreeMap<>())
          .merge(currency, amount, BigDecimal::add);
      byCurrency.merge(currency, amount, BigDecimal::add);
    }
    json.name("revenue").beginObject();
    json.name("byCurrency");
    money(json, byCurrency);
    json.name("byPlan").beginObject();
    byPlan.forEach(
        (plan, amounts) -> {
          json.name(plan);
          money(json, amounts);
        });
    json.endObject().endObject();
  }

  private static void money(JsonWriter json, Map<String, BigDecimal> amounts) {
    json.beginObject();
    amounts.forEach((currency, amount) -> json.name(currency).value(amount));
    json.endObject();
  }

  /** Per model: tokens and cost by tracked token type, from the same label sets. */
  private void tokens(JsonWriter json) {
    Map<String, Map<String, TypeTotals>> byModel = new TreeMap<>();
    for (CounterCell cell : counters(MetricCatalog.TOKEN_SPEND)) {
      totals(byModel, cell).tokens = cell.value();
    }
    for (DecimalCounterCell cell : cost.costFamily().cells()) {
      AiCost.CostCell c = (AiCost.CostCell) cell;
      TypeTotals t = totals(byModel, cell);
      t.costUsd = c.exposed() ? c.decimalValue() : null;
    }
    for (CounterCell cell : cost.unpricedFamily().cells()) {
      totals(byModel, cell).unpriced = cell.value();
    }
    double allTokens = 0;
    double allUnpriced = 0;
    BigDecimal allCost = null;
    json.name("tokens").beginObject();
    json.name("byModel").beginObject();
    for (Map.Entry<String, Map<String, TypeTotals>> model : byModel.entrySet()) {
      double modelTokens = 0;
      double modelUnpriced = 0;
      // null, as for each type, when no type of the model has a price: never a $0 that is not one
      BigDecimal modelCost = null;
      for (TypeTotals t : model.getValue().values()) {
        modelTokens += t.tokens;
        modelUnpriced += t.unpriced;
        if (t.costUsd != null) {
          modelCost = modelCost == null ? t.costUsd : modelCost.add(t.costUsd);
        }
      }
      json.name(model.getKey()).beginObject();
      json.name("tokens").value(modelTokens);
      json.name("costUsd").value(modelCost);
      json.name("unpricedTokens").value(modelUnpriced);
      json.name("byType").beginObject();
      model
          .getValue()
          .forEach(
              (type, t) ->
                  json.name(type)
                      .beginObject()
                      .name("tokens")
                      .value(t.tokens)
                      .name("costUsd")
                      .value(t.costUsd)
                      .name("unpricedTokens")
                      .value(t.unpriced)
                      .endObject());
      json.endObject().endObject();
      allTokens += modelTokens;
      allUnpriced += modelUnpriced;
      if (modelCost != null) {
        allCost = allCost == null ? modelCost : allCost.add(modelCost);
      }
    }
    json.endObject();
    json.name("total").value(allTokens);
    // no tokens cost $0; tokens none of which has a price cost what nobody knows
    json.name("costUsd").value(allCost == null && allTokens == 0 ? BigDecimal.ZERO : allCost);
    json.name("unpricedTokens").value(allUnpriced);
    json.name("pricingAsOf").value(cost.pricing().asOf());
    json.endObject();
  }

  private static TypeTotals totals(Map<String, Map<String, TypeTotals>> byModel, Cell cell) {
    return byModel
        .computeIfAbsent(label(cell, "model"), k -> new TreeMap<>())
        .computeIfAbsent(label(cell, "type"), k -> new TypeTotals());
  }

  private void activeUsers(JsonWriter json, List<UserActivity.WindowSnapshot> windows) {
    json.name("activeUsers").beginObject();
    json.name("interactions").value(sum(counters(MetricCatalog.ACTIVE_USERS)));
    json.name("distinct").beginObject();
    for (UserActivity.WindowSnapshot w : windows) {
      json.name(w.window()).value(w.distinctUsers());
    }
    json.endObject();
    if (!windows.isEmpty() && windows.get(0).systemDistinctUsers() != UserActivity.UNSHARED) {
      // A shared store is installed: say which figures cover every replica and which this one.
      json.name("systemDistinct").beginObject();
      for (UserActivity.WindowSnapshot w : windows) {
        json.name(w.window()).value(w.systemDistinctUsers());
      }
      json.endObject();
      json.name("localDistinct").beginObject();
      for (UserActivity.WindowSnapshot w : windows) {
        json.name(w.window()).value(w.localDistinctUsers());
      }
      json.endObject();
      json.name("source").beginObject();
      for (UserActivity.WindowSnapshot w : windows) {
        json.name(w.window())
            .beginObject()
            .name("distinct")
            .value(w.usersShared() ? "shared" : "local")
            .name("systemDistinct")
            .value(w.systemShared() ? "shared" : "local")
            .endObject();
      }
      json.endObject();
    }
    json.name("sketchBytes").beginObject();
    for (UserActivity.WindowSnapshot w : windows) {
      json.name(w.window())
          .beginObject()
          .name("used")
          .value(w.sketchBytes())
          .name("max")
          .value(w.maxSketchBytes())
          .endObject();
    }
    json.endObject().endObject();
  }

  private void queues(JsonWriter json) {
    HistogramFamily family = (HistogramFamily) core.family(MetricCatalog.QUEUE_JOB_DURATION.name());
    double[] bounds = family == null ? new double[0] : family.upperBounds();
    Map<String, long[]> byQueue = new TreeMap<>();
    if (family != null) {
      for (HistogramCell cell : family.cells()) {
        long[] counts = cell.cumulativeCounts();
        long[] total =
            byQueue.computeIfAbsent(label(cell, "queue_name"), k -> new long[counts.length]);
        for (int i = 0; i < counts.length; i++) {
          total[i] += counts[i];
        }
      }
    }
    json.name("queues").beginObject();
    byQueue.forEach(
        (queue, counts) ->
            json.name(queue)
                .beginObject()
                .name("jobs")
                .value(counts[counts.length - 1])
                .name("p95Seconds")
                .value(histogramQuantile(QUEUE_QUANTILE, bounds, counts))
                .endObject());
    json.endObject();
  }

  private static void topSpenders(JsonWriter json, List<UserActivity.WindowSnapshot> windows) {
    json.name("topSpenders").beginObject();
    for (UserActivity.WindowSnapshot w : windows) {
      json.name(w.window()).beginObject();
      json.name("source").value(w.spendersShared() ? "shared" : "local");
      json.name("byCostUsd").beginArray();
      for (UserActivity.Spender s : w.topByCostNanos()) {
        json.beginObject()
            .name("userId")
            .value(s.userId())
            .name("costUsd")
            .value(BigDecimal.valueOf(s.amount(), AiCost.SCALE))
            .endObject();
      }
      json.endArray();
      json.name("maxErrorCostUsd").value(BigDecimal.valueOf(w.maxErrorCostNanos(), AiCost.SCALE));
      json.name("byTokens").beginArray();
      for (UserActivity.Spender s : w.topByTokens()) {
        json.beginObject()
            .name("userId")
            .value(s.userId())
            .name("tokens")
            .value(s.amount())
            .endObject();
      }
      json.endArray();
      json.name("maxErrorTokens").value(w.maxErrorTokens());
      json.endObject();
    }
    json.endObject();
  }

  /**
   * Prometheus' {@code histogram_quantile} over classic buckets ({@code bucketQuantile} in
   * promql/quantile.go): find the first bucket whose cumulative count reaches {@code q *
   * observations} and interpolate linearly inside it, from 0 for the first bucket; a quantile in
   * the {@code +Inf} bucket is the highest finite bound. NaN when there are no observations.
   *
   * @param upperBounds the finite bounds, increasing
   * @param cumulative cumulative counts, one per bound and the {@code +Inf} count last
   */
  static double histogramQuantile(double q, double[] upperBounds, long[] cumulative) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    int n = cumulative.length; // buckets, +Inf included
    if (n < 2 || cumulative[n - 1] == 0) {
      return Double.NaN;
    }
    double rank = q * cumulative[n - 1];
    int b = 0;
    while (b < n - 1 && cumulative[b] < rank) {
      b++;
    }
    if (b == n - 1) {
      return upperBounds[n - 2];
    }
    if (b == 0 && upperBounds[0] <= 0) {
      return upperBounds[0];
    }
    double bucketStart = 0;
    double bucketEnd = upperBounds[b];
    double count = cumulative[b];
    if (b > 0) {
      bucketStart = upperBounds[b - 1];
      count -= cumulative[b - 1];
      rank -= cumulative[b - 1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  private static double ratio(double part, double other) {
    double total = part + other;
    return total == 0 ? Double.NaN : part / total;
  }

  private List<CounterCell> counters(MetricCatalog.Definition definition) {
    Family<?> family = core.family(definition.name());
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

  private static final class TypeTotals {
    double tokens;
    @Nullable BigDecimal costUsd;
    double unpriced;
  }
}
