package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.Promtool;
import dev.vigil.testkit.Scrape;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /kpi}: the specification's business insights in-process, and in exact agreement with
 * {@code /metrics} for the same data.
 */
class KpiEndpointTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final String[] QUEUES = {"image-generation", "text-generation"};

  private final FakeTicker ticker = new FakeTicker();
  private Monitoring monitoring;

  @BeforeEach
  void start() {
    monitoring =
        Monitoring.builder("worker")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .ticker(ticker)
            .clock(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC))
            .topSpendersLogInterval(Duration.ZERO)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    monitoring.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + monitoring.metricsAddress().getPort() + path;
  }

  /** A day of a small service, with the specification's calls. */
  private void script() {
    for (int u = 0; u < 7; u++) {
      monitoring.trackKpi(Kpi.activeUser("user-" + u));
      monitoring.trackKpi(Kpi.activeUser("user-" + u));
    }
    for (int i = 0; i < 9; i++) {
      monitoring.trackKpi(Kpi.generationSuccess(i % 3 == 0 ? "image" : "text"));
    }
    monitoring.trackKpi(Kpi.generationFailure("image", "timeout"));
    monitoring.trackKpi(Kpi.generationFailure("image", "api_error"));
    monitoring.trackKpi(Kpi.generationFailure("video", "timeout"));
    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "input").forUser("user-1"));
    monitoring.trackKpi(Kpi.tokenSpend(800, "gpt-4", "output").forUser("user-1"));
    monitoring.trackKpi(Kpi.tokenSpend(1234, "gpt-4o-mini", "completion").forUser("user-2"));
    monitoring.trackKpi(Kpi.tokenSpend(333, "gpt-4o-mini", "cached_input").forUser("user-3"));
    monitoring.trackKpi(Kpi.tokenSpend(1, "dall-e-3", "image").forUser("user-3"));
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("19.99"), "USD"));
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("19.99"), "USD"));
    monitoring.trackKpi(
        Kpi.paymentConversion("yookassa", "premium", new BigDecimal("1490"), "RUB"));
    monitoring.trackKpi(Kpi.paymentConversion("paypal", "basic", new BigDecimal("4.99"), "EUR"));
    monitoring.trackKpi(Kpi.paymentConversion("card", "basic"));
    monitoring.trackKpi(Kpi.paymentFailure("p-1", "card", "card_declined"));
    monitoring.trackKpi(Kpi.paymentFailure("p-2", "card", "insufficient_funds"));
    // queue jobs of known durations, played out by the fake ticker
    double[] seconds = {0.3, 0.7, 1.5, 1.5, 3, 4, 8, 12, 45, 90, 100};
    for (int i = 0; i < seconds.length; i++) {
      String queue = QUEUES[i % 2];
      JobTimer timer = monitoring.metrics().startJobTimer(queue, i % 3 == 0 ? "dalle-3" : "sd");
      ticker.advance(Duration.ofMillis((long) (seconds[i] * 1000)));
      timer.stop();
    }
  }

  @Test
  void kpiIsServedAsJsonNextToMetrics() throws Exception {
    script();
    HttpResponse<String> response = Http.get(url("/kpi"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode kpi = JSON.readTree(response.body());
    assertThat(kpi.get("service").asText()).isEqualTo("worker");
    assertThat(kpi.get("time").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(response.body()).isEqualTo(monitoring.kpiJson());
    assertThat(Http.get(url("/kpi/other")).statusCode()).isEqualTo(404);
  }

  @Test
  void kpiNumbersAgreeExactlyWithMetrics() throws Exception {
    script();
    JsonNode kpi = JSON.readTree(Http.get(url("/kpi")).body());
    Scrape scrape = Scrape.of(monitoring.metricsAddress());

    // generation success rate, overall and by type: success / (success + failure)
    double success = scrape.sum("generation_success_total");
    double failure = scrape.sum("generation_failure_total");
    assertThat(kpi.at("/generation/success").asDouble()).isEqualTo(success).isEqualTo(9.0);
    assertThat(kpi.at("/generation/failure").asDouble()).isEqualTo(failure).isEqualTo(3.0);
    assertThat(kpi.at("/generation/successRate").asDouble())
        .isEqualTo(success / (success + failure));
    for (String type : List.of("image", "text", "video")) {
      double s = sumWhere(scrape, "generation_success_total", "type", type);
      double f = sumWhere(scrape, "generation_failure_total", "type", type);
      JsonNode byType = kpi.at("/generation/byType/" + type);
      assertThat(byType.get("success").asDouble()).as(type).isEqualTo(s);
      assertThat(byType.get("failure").asDouble()).as(type).isEqualTo(f);
      assertThat(byType.get("successRate").asDouble()).as(type).isEqualTo(s / (s + f));
    }
    assertThat(kpi.at("/generation/byType/image/successRate").asDouble()).isEqualTo(0.6);

    // payment conversion rate: conversions / (conversions + failures)
    double conversions = scrape.sum("payment_conversions_total");
    double payFailures = scrape.sum("payment_failures_total");
    assertThat(kpi.at("/payments/conversions").asDouble()).isEqualTo(conversions).isEqualTo(5.0);
    assertThat(kpi.at("/payments/conversionRate").asDouble())
        .isEqualTo(conversions / (conversions + payFailures));

    // tokens and cost by model and type: the very series values
    Map<String, BigDecimal> costByModel = new TreeMap<>();
    for (Scrape.Sample s : scrape.samples("ai_cost_usd_total")) {
      String model = s.labels().get("model");
      assertThat(
              kpi.at("/tokens/byModel/" + model + "/byType/" + s.labels().get("type") + "/costUsd")
                  .decimalValue()
                  .doubleValue())
          .isEqualTo(s.value());
      costByModel.merge(model, exact(s.value()), BigDecimal::add);
    }
    costByModel.forEach(
        (model, cost) ->
            assertThat(kpi.at("/tokens/byModel/" + model + "/costUsd").decimalValue())
                .isEqualByComparingTo(cost));
    assertThat(kpi.at("/tokens/costUsd").decimalValue())
        .isEqualByComparingTo(
            costByModel.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo("0.093765375"); // 0.045 + 0.048 + 0.0007404 + 0.000024975
    for (Scrape.Sample s : scrape.samples("token_spend_total")) {
      assertThat(
              kpi.at(
                      "/tokens/byModel/"
                          + s.labels().get("model")
                          + "/byType/"
                          + s.labels().get("type")
                          + "/tokens")
                  .asDouble())
          .isEqualTo(s.value());
    }
    assertThat(kpi.at("/tokens/total").asDouble()).isEqualTo(scrape.sum("token_spend_total"));
    assertThat(kpi.at("/tokens/unpricedTokens").asDouble())
        .isEqualTo(scrape.sum("vigil_unpriced_tokens_total"))
        .isEqualTo(1.0);
    assertThat(kpi.at("/tokens/byModel/dall-e-3/byType/image/costUsd").isNull()).isTrue();
    // no type of the model is priced: its cost is unknown, as its types', not $0
    assertThat(kpi.at("/tokens/byModel/dall-e-3/costUsd").isNull()).isTrue();
    assertThat(kpi.at("/tokens/byModel/dall-e-3/unpricedTokens").asDouble()).isEqualTo(1.0);

    // revenue by plan and currency
    for (Scrape.Sample s : scrape.samples("payment_revenue_total")) {
      assertThat(
              kpi.at("/revenue/byPlan/" + s.labels().get("plan") + "/" + s.labels().get("currency"))
                  .decimalValue()
                  .doubleValue())
          .isEqualTo(s.value());
    }
    assertThat(kpi.at("/revenue/byPlan/premium/USD").decimalValue()).isEqualByComparingTo("39.98");
    assertThat(kpi.at("/revenue/byCurrency/RUB").decimalValue()).isEqualByComparingTo("1490");

    // distinct users per window: the gauge's values
    for (Scrape.Sample s : scrape.samples("active_users_distinct")) {
      assertThat(kpi.at("/activeUsers/distinct/" + s.labels().get("window")).asDouble())
          .isEqualTo(s.value())
          .isEqualTo(7.0);
    }
    assertThat(kpi.at("/activeUsers/interactions").asDouble())
        .isEqualTo(scrape.value("active_users_total"))
        .isEqualTo(14.0);

    // queue job counts by queue
    for (String queue : QUEUES) {
      assertThat(kpi.at("/queues/" + queue + "/jobs").asDouble())
          .isEqualTo(sumWhere(scrape, "queue_job_duration_seconds_count", "queue_name", queue));
    }

    // top spenders: the same spend, per user
    assertThat(kpi.at("/topSpenders/1h/byCostUsd/0/userId").asText()).isEqualTo("user-1");
    assertThat(kpi.at("/topSpenders/1h/byCostUsd/0/costUsd").decimalValue())
        .isEqualByComparingTo("0.093");
  }

  /**
   * The queue p95 of {@code /kpi} is what real Prometheus computes from the scraped buckets with
   * {@code histogram_quantile(0.95, sum by (le, queue_name) (queue_job_duration_seconds_bucket))}:
   * promtool evaluates it and compares the numbers exactly.
   */
  @Test
  void queueP95IsWhatPrometheusComputesFromTheSameBuckets() throws Exception {
    script();
    JsonNode kpi = JSON.readTree(Http.get(url("/kpi")).body());
    Scrape scrape = Scrape.of(monitoring.metricsAddress());

    StringBuilder series = new StringBuilder();
    for (Scrape.Sample s : scrape.samples("queue_job_duration_seconds_bucket")) {
      StringBuilder labels = new StringBuilder();
      s.labels()
          .forEach(
              (k, v) ->
                  labels
                      .append(labels.length() == 0 ? "" : ",")
                      .append(k)
                      .append("=\\\"")
                      .append(v)
                      .append("\\\""));
      series
          .append("      - series: \"queue_job_duration_seconds_bucket{")
          .append(labels)
          .append("}\"\n        values: '")
          .append((long) s.value())
          .append("x2'\n");
    }
    StringBuilder expected = new StringBuilder();
    for (String queue : QUEUES) {
      BigDecimal p95 = new BigDecimal(kpi.at("/queues/" + queue + "/p95Seconds").asText());
      expected
          .append("          - labels: '{queue_name=\"")
          .append(queue)
          .append("\"}'\n")
          .append("            value: ")
          .append(p95.toPlainString())
          .append('\n');
    }
    String test =
        "rule_files: []\n"
            + "tests:\n"
            + "  - interval: 1m\n"
            + "    input_series:\n"
            + series
            + "    promql_expr_test:\n"
            + "      - expr: histogram_quantile(0.95, sum by (le, queue_name)"
            + " (queue_job_duration_seconds_bucket))\n"
            + "        eval_time: 1m\n"
            + "        exp_samples:\n"
            + expected;
    Promtool.Result result = Promtool.testRules(test);
    assertThat(result.exitCode()).as(result.output() + "\n" + test).isZero();
    // 6 image-generation jobs, 5 of them up to 60 s: rank 0.95 * 6 falls in the (60, 120] bucket
    assertThat(kpi.at("/queues/image-generation/jobs").asLong()).isEqualTo(6);
    assertThat(kpi.at("/queues/image-generation/p95Seconds").asDouble())
        .isEqualTo(60 + (120 - 60) * ((0.95 * 6 - 5) / 1));
  }

  @Test
  void anEmptyServiceHasNoRatesRatherThanMadeUpOnes() throws Exception {
    JsonNode kpi = JSON.readTree(monitoring.kpiJson());
    assertThat(kpi.at("/generation/successRate").isNull()).isTrue();
    assertThat(kpi.at("/payments/conversionRate").isNull()).isTrue();
    assertThat(kpi.at("/tokens/costUsd").asText()).isEqualTo("0");
    assertThat(kpi.at("/activeUsers/distinct/5m").asLong()).isZero();
    assertThat(kpi.at("/queues").size()).isZero();
    assertThat(kpi.at("/topSpenders/5m/byCostUsd").size()).isZero();
  }

  @Test
  void kpiNeedsTheMetricsTokenWhenOneIsSet() {
    try (Monitoring guarded =
        Monitoring.builder("api")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .metricsBearerToken("s3cret-token")
            .topSpendersLogInterval(Duration.ZERO)
            .build()
            .start()) {
      String kpi = "http://127.0.0.1:" + guarded.metricsAddress().getPort() + "/kpi";
      assertThat(Http.get(kpi).statusCode()).isEqualTo(401);
      assertThat(Http.get(kpi, Map.of("Authorization", "Bearer wrong")).statusCode())
          .isEqualTo(401);
      assertThat(Http.get(kpi, Map.of("Authorization", "Bearer s3cret-token")).statusCode())
          .isEqualTo(200);
      assertThat(
              Http.get("http://127.0.0.1:" + guarded.metricsAddress().getPort() + "/health")
                  .statusCode())
          .isEqualTo(200);
    }
  }

  private static double sumWhere(Scrape scrape, String name, String label, String value) {
    return scrape.matching(name, label, value).stream().mapToDouble(Scrape.Sample::value).sum();
  }

  /** The decimal a scraped double stands for (every money series is an exact decimal). */
  private static BigDecimal exact(double value) {
    return new BigDecimal(Double.toString(value));
  }
}
