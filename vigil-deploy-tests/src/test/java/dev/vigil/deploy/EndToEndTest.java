package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Pricing;
import dev.vigil.examples.ExampleServices;
import dev.vigil.examples.GroundTruth;
import dev.vigil.examples.sim.AiProvider;
import dev.vigil.testkit.FreePort;
import dev.vigil.testkit.PrometheusServer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole operations pack against real data: the three example services run, a real Prometheus
 * scrapes them on 127.0.0.1 every second with deploy/prometheus/prometheus.yml (its targets pointed
 * at the examples) and evaluates deploy/prometheus/rules every second. After the traffic has been
 * drained and scraped once more, every PromQL expression in the rules, the dashboards and the docs
 * is evaluated at one instant through the HTTP API.
 *
 * <p>Which expressions must have data: every one that is not an alert condition (an alert is quiet
 * when all is well) and whose series selectors each match at least one series. A selector the
 * examples never produce, such as {@code errors_total{severity="critical"}} or {@code
 * vigil_label_overflow_total}, excuses the expression; the test lists which ones it excused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {
  /** The token kinds the bot's chat model reports, and where the bot counts them itself. */
  private static final List<String> CHAT_TOKEN_TYPES = List.of("input", "cache_read", "output");

  private static final String CHAT_TRUTH = "tokens." + AiProvider.CHAT_MODEL + ".";

  private static String chatTokens(String type) {
    return "token_spend_total{service=\"bot\",model=\""
        + AiProvider.CHAT_MODEL
        + "\",type=\""
        + type
        + "\"}";
  }

  /**
   * Traffic runs at 20 times real speed for at least this long before the drain; the drain then
   * waits for the work in flight (the bot's backlog is bounded at 64 messages).
   */
  private static final Duration TRAFFIC = Duration.ofSeconds(15);

  @TempDir static Path dir;
  private ExampleServices services;
  private PrometheusServer prometheus;
  private Instant evaluationTime;
  private final Map<Expressions.Expression, PrometheusServer.Result> results =
      new LinkedHashMap<>();
  private final List<String> excused = new ArrayList<>();

  @BeforeAll
  void runTheExamplesUnderPrometheus() throws Exception {
    long started = System.nanoTime();
    // Prometheus starts first, on ports chosen for the examples, so its first scrape of each
    // service comes within a second of the service's first event.
    int bot = FreePort.find();
    int api = FreePort.find();
    int worker = FreePort.find();
    Path config = dir.resolve("prometheus.yml");
    Repo.YAML.writeValue(
        config.toFile(),
        scrapeConfig(Map.of("vigil-bot", bot, "vigil-api", api, "vigil-worker", worker)));
    prometheus = PrometheusServer.start(config, dir);
    services =
        ExampleServices.start(
            new ExampleServices.Config("127.0.0.1", bot, api, worker, 0, 20, 42, Map.of()));
    Instant trafficStart = Instant.now();
    prometheus.awaitScrapesAfter(trafficStart, Duration.ofSeconds(20));
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                Duration.between(trafficStart, Instant.now()).compareTo(TRAFFIC) >= 0
                    && services.bot().truth().get("generation.text.failure") >= 5
                    && services.api().truth().get("payments.failure") >= 5
                    && services.worker().truth().get("jobs.failure") >= 2);
    Instant draining = Instant.now();
    services.drain();
    Instant drained = Instant.now();
    prometheus.awaitScrapesAfter(drained, Duration.ofSeconds(20));
    prometheus.awaitRuleEvaluationsAfter(Instant.now(), Duration.ofSeconds(20));
    evaluationTime = Instant.now();
    for (Expressions.Expression e : Expressions.all()) {
      results.put(e, prometheus.queryAt(e.evaluable(), evaluationTime));
    }
    System.out.printf(
        "end-to-end: %d expressions evaluated, %.1f s of traffic, %.1f s of drain, %.1f s in all%n",
        results.size(),
        Duration.between(trafficStart, draining).toMillis() / 1000.0,
        Duration.between(draining, drained).toMillis() / 1000.0,
        (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  void stop() {
    if (services != null) {
      services.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  /** deploy/prometheus/prometheus.yml, scraping the examples every second, alerting to nobody. */
  private ObjectNode scrapeConfig(Map<String, Integer> ports) throws Exception {
    ObjectNode config = (ObjectNode) Repo.yaml(Repo.path("deploy/prometheus/prometheus.yml"));
    ObjectNode global = (ObjectNode) config.path("global");
    global
        .put("scrape_interval", "1s")
        .put("scrape_timeout", "1s")
        .put("evaluation_interval", "1s");
    config.remove("alerting");
    ArrayNode rules = config.putArray("rule_files");
    rules.add(Repo.path("deploy/prometheus/rules").toAbsolutePath() + "/*.yml");
    List<String> jobs = new ArrayList<>();
    for (JsonNode job : config.path("scrape_configs")) {
      String name = job.path("job_name").asText();
      jobs.add(name);
      ArrayNode targets = ((ObjectNode) job.path("static_configs").get(0)).putArray("targets");
      targets.add("127.0.0.1:" + ports.get(name));
    }
    assertThat(jobs)
        .as("the shipped jobs are the examples' services")
        .containsExactlyInAnyOrderElementsOf(ports.keySet());
    return config;
  }

  @Test
  void prometheusLoadedEveryRuleAndEvaluatesItWithoutError() {
    List<String> problems = new ArrayList<>();
    int count = 0;
    for (JsonNode group : prometheus.rules().path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        count++;
        if (!"ok".equals(rule.path("health").asText())) {
          problems.add(rule.path("name").asText() + ": " + rule.path("lastError").asText());
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(count).isEqualTo(Expressions.rules().size());
  }

  @Test
  void everyExpressionInRulesDashboardsAndDocs_succeeds() {
    List<String> failures = new ArrayList<>();
    results.forEach(
        (e, r) -> {
          if (!r.succeeded()) {
            failures.add(e + "\n    -> " + r.error());
          }
        });
    assertThat(failures).isEmpty();
    assertThat(results).hasSize(Expressions.all().size());
  }

  @Test
  void everyExpressionThatShouldHaveData_hasIt() {
    List<String> empty = new ArrayList<>();
    excused.clear();
    results.forEach(
        (e, r) -> {
          if (e.kind() == Expressions.Kind.ALERTING_RULE || !r.samples().isEmpty()) {
            return;
          }
          List<String> unmatched = new ArrayList<>();
          for (PromQl.Selector s : PromQl.selectors(e.evaluable())) {
            if (prometheus.queryAt("count(" + s + ")", evaluationTime).samples().isEmpty()) {
              unmatched.add(s.toString());
            }
          }
          if (unmatched.isEmpty()) {
            empty.add(e.toString());
          } else {
            excused.add(e.source() + " (no series for " + unmatched + ")");
          }
        });
    System.out.println(
        "end-to-end: excused for selecting what the examples never produce:\n  "
            + String.join("\n  ", excused));
    assertThat(empty)
        .as("expressions whose series all exist, yet which returned nothing")
        .isEmpty();
    // the examples produce nearly everything: only a few of the expressions may be excused
    assertThat(excused.size()).isLessThan(results.size() / 5);
  }

  /** Raw counters at one instant are exact: Prometheus holds what the services counted. */
  @Test
  void totalsInPrometheus_equalWhatTheExamplesCounted() {
    GroundTruth bot = services.bot().truth();
    GroundTruth api = services.api().truth();
    GroundTruth worker = services.worker().truth();
    assertThat(total("active_users_total{service=\"bot\"}")).isEqualTo(bot.get("messages"));
    assertThat(total("generation_success_total{service=\"bot\",type=\"text\"}"))
        .isEqualTo(bot.get("generation.text.success"));
    assertThat(total("generation_failure_total{service=\"bot\",type=\"text\"}"))
        .isEqualTo(bot.get("generation.text.failure"));
    // The bot reports OpenAI's usage object: each token lands in exactly one kind.
    for (String type : CHAT_TOKEN_TYPES) {
      assertThat(total(chatTokens(type))).as(type).isEqualTo(bot.get(CHAT_TRUTH + type));
    }
    assertThat(total("token_spend_total{service=\"worker\",model=\"dall-e-3\",type=\"image\"}"))
        .isEqualTo(worker.get("tokens.dall-e-3.image"));
    assertThat(total("payment_conversions_total{service=\"api\"}"))
        .isEqualTo(api.get("payments.success"));
    assertThat(total("payment_failures_total{service=\"api\"}"))
        .isEqualTo(api.get("payments.failure"));
    assertThat(total("generation_success_total{service=\"worker\",type=\"image\"}"))
        .isEqualTo(worker.get("generation.image.success"));
    assertThat(total("queue_job_duration_seconds_count{service=\"worker\"}"))
        .isEqualTo(worker.get("jobs.success") + worker.get("jobs.failure"));
    assertThat(total("queue_failures_total{service=\"worker\"}"))
        .isEqualTo(worker.get("jobs.failure"));
    assertThat(total("active_jobs_total{service=\"worker\"}")).isZero();
  }

  /**
   * Money is exact too: the AI cost is the tokens times the default price table's price, and the
   * revenue of each plan is its conversions times the plan's price in the payments API (USD 4.99,
   * 9.99 and 49.99).
   */
  @Test
  void costAndRevenueInPrometheus_followFromWhatTheExamplesCounted() {
    GroundTruth bot = services.bot().truth();
    GroundTruth api = services.api().truth();
    Pricing pricing = Pricing.defaults();
    double expectedCost = 0;
    for (String type : CHAT_TOKEN_TYPES) {
      BigDecimal price = pricing.pricePer1k(AiProvider.CHAT_MODEL, pricing.pricedType(type));
      assertThat(price).as(type).isNotNull();
      expectedCost += price.doubleValue() * bot.get(CHAT_TRUTH + type) / 1000;
    }
    assertThat(total("ai_cost_usd_total{service=\"bot\",model=\"" + AiProvider.CHAT_MODEL + "\"}"))
        .isCloseTo(expectedCost, within(expectedCost * 1e-9));

    Map<String, Double> prices = Map.of("basic", 4.99, "premium", 9.99, "enterprise", 49.99);
    Map<String, Long> conversionsByPlan = new java.util.TreeMap<>();
    api.snapshot()
        .forEach(
            (key, count) -> {
              String[] parts = key.split("\\.");
              if (key.startsWith("payments.success.") && parts.length == 4) {
                conversionsByPlan.merge(parts[3], count, Long::sum);
              }
            });
    assertThat(conversionsByPlan).isNotEmpty();
    conversionsByPlan.forEach(
        (plan, count) -> {
          assertThat(total("payment_conversions_total{service=\"api\",plan=\"" + plan + "\"}"))
              .isEqualTo((double) count);
          assertThat(
                  total(
                      "payment_revenue_total{service=\"api\",currency=\"USD\",plan=\""
                          + plan
                          + "\"}"))
              .isCloseTo(count * prices.get(plan), within(1e-6));
        });
  }

  /** Every response the simulated customers received was counted by the API's HTTP filter. */
  @Test
  void httpRequestsInPrometheus_equalTheResponsesTheCustomersGot() {
    GroundTruth api = services.api().truth();
    Map<String, Long> byStatus = new java.util.TreeMap<>();
    api.snapshot()
        .forEach(
            (key, count) -> {
              if (key.startsWith("http.status.")) {
                byStatus.put(key.substring("http.status.".length()), count);
              }
            });
    assertThat(byStatus).containsKey("200");
    byStatus.forEach(
        (status, count) ->
            assertThat(total("http_requests_total{service=\"api\",status_code=\"" + status + "\"}"))
                .as("status " + status)
                .isEqualTo((double) count));
    assertThat(total("http_requests_total{service=\"api\"}"))
        .isEqualTo((double) api.get("http.responses"));
  }

  /**
   * Distinct users: the bot's simulated users have ids 1 to 400, and a busy bot sees most of them
   * within minutes; the HyperLogLog estimate (about 1% error) can exceed 400 only by that error.
   */
  @Test
  void distinctUsers_areEstimatedForEveryWindow() {
    for (String window : List.of("5m", "1h", "24h")) {
      double users = total("active_users_distinct{service=\"bot\",window=\"" + window + "\"}");
      assertThat(users).as(window).isBetween(1.0, 400 * 1.03);
    }
  }

  /** The specification's ratios from raw totals equal the ratios of the services' own counts. */
  @Test
  void ratiosFromTotals_equalTheExamplesRatiosExactly() {
    GroundTruth bot = services.bot().truth();
    GroundTruth api = services.api().truth();
    double success = bot.get("generation.text.success");
    double failure = bot.get("generation.text.failure");
    assertThat(
            prometheus
                .queryAt(
                    "sum(generation_success_total{service=\"bot\"}) / (sum(generation_success_total{service=\"bot\"}) + sum(generation_failure_total{service=\"bot\"})) * 100",
                    evaluationTime)
                .single())
        .isCloseTo(success / (success + failure) * 100, within(1e-9));
    double conversions = api.get("payments.success");
    double failures = api.get("payments.failure");
    assertThat(
            prometheus
                .queryAt(
                    "sum(payment_conversions_total) / (sum(payment_conversions_total) + sum(payment_failures_total)) * 100",
                    evaluationTime)
                .single())
        .isCloseTo(conversions / (conversions + failures) * 100, within(1e-9));
  }

  /**
   * The rate-based queries (the specification's and the recording rules) agree with the services'
   * counts within a tolerance. A window longer than the run covers everything Prometheus saw, so
   * they can differ only by what Prometheus cannot see or guesses: the events before a series'
   * first scrape (at most one 1 s scrape interval of traffic, since Prometheus runs before the
   * services start, and the first event of a series born mid-run, which rate() cannot tell from the
   * series' appearance) and rate()'s extrapolation of up to half a scrape interval at each end.
   * Against at least 15 s of traffic (about 30 s for the bot, with its backlog) that is at most
   * about 2 s / 15 s = 13% of a count. For a ratio, the unseen events are a sample of the same mix
   * and move numerator and denominator together: with hundreds of payments and thousands of
   * generations, the ratio moves by well under one percentage point, so 2 points is a safe bound. A
   * total (tokens in the last hour) moves by the full share: 15%.
   */
  @Test
  void rateBasedBusinessNumbers_agreeWithTheExamplesWithinTheScrapeResolution() {
    GroundTruth bot = services.bot().truth();
    GroundTruth api = services.api().truth();
    double success = bot.get("generation.text.success");
    double failure = bot.get("generation.text.failure");
    double truthSuccessRate = success / (success + failure);
    double conversions = api.get("payments.success");
    double failures = api.get("payments.failure");
    double truthConversion = conversions / (conversions + failures);

    // rate() sees only the increments between a series' first and last sample in the window:
    // what happened before Prometheus first scraped a series (here the first seconds of traffic
    // at 20 times real speed) is invisible to it. So the queries must agree closely with the
    // ratio of the increments Prometheus saw, and with the examples' own counts within the share
    // of events it could not see; a point more for rate()'s extrapolation at the series' edges.
    Visible generations =
        visible(
            success + failure,
            "generation_success_total{service=\"bot\",type=\"text\"}",
            "generation_failure_total{service=\"bot\",type=\"text\"}");
    Visible payments =
        visible(conversions + failures, "payment_conversions_total", "payment_failures_total");
    // the specification's queries, as docs/ANALYTICS.md gives them
    double successRate =
        value(
            "sum(rate(generation_success_total{service=\"bot\"}[5m])) / (sum(rate(generation_success_total{service=\"bot\"}[5m])) + sum(rate(generation_failure_total{service=\"bot\"}[5m]))) * 100");
    assertThat(successRate).isCloseTo(generations.ratio() * 100, within(1.0));
    assertThat(successRate)
        .isCloseTo(truthSuccessRate * 100, within(100 * generations.hiddenShare() + 1));
    double conversionRate =
        value(
            "sum(rate(payment_conversions_total[5m])) / (sum(rate(payment_conversions_total[5m])) + sum(rate(payment_failures_total[5m]))) * 100");
    assertThat(conversionRate).isCloseTo(payments.ratio() * 100, within(1.0));
    assertThat(conversionRate)
        .isCloseTo(truthConversion * 100, within(100 * payments.hiddenShare() + 1));
    // the recording rules: the same numbers as ratios, evaluated by the rule engine up to a
    // second earlier, over the same samples (rate()'s extrapolation moves with the window)
    assertThat(value("service_type:generation_success:ratio_rate5m{service=\"bot\",type=\"text\"}"))
        .isCloseTo(successRate / 100, within(0.005));
    assertThat(value("service:payment_conversion:ratio_rate5m{service=\"api\"}"))
        .isCloseTo(conversionRate / 100, within(0.005));
    // increase() sees only what happened after the series' first scrape: the counter's first
    // sample (its minimum, since it only grows) is what it cannot see, however early that was.
    double tokens = bot.get(CHAT_TRUTH + "output");
    double beforeFirstScrape = value("min_over_time(" + chatTokens("output") + "[1h])");
    double visible = tokens - beforeFirstScrape;
    assertThat(
            value(
                "service_model_type:token_spend:increase1h"
                    + chatTokens("output").substring("token_spend_total".length())))
        .isCloseTo(visible, within(visible * 0.15));
  }

  /** The increments Prometheus saw of a success and a failure counter, and what it missed. */
  private record Visible(double successes, double failures, double events) {
    double ratio() {
      return successes / (successes + failures);
    }

    double hiddenShare() {
      return (events - successes - failures) / events;
    }
  }

  /**
   * What Prometheus saw within 5 minutes of {@code events} (the examples' own count) as increments
   * of a success and a failure counter: each series' last sample less its first.
   */
  private Visible visible(double events, String successCounter, String failureCounter) {
    Visible seen = new Visible(increments(successCounter), increments(failureCounter), events);
    assertThat(seen.successes() + seen.failures())
        .as("increments of %s and %s seen by Prometheus", successCounter, failureCounter)
        .isPositive()
        .isLessThanOrEqualTo(events);
    return seen;
  }

  private double increments(String counter) {
    return value("sum(max_over_time(" + counter + "[5m]) - min_over_time(" + counter + "[5m]))");
  }

  private double total(String selector) {
    return prometheus.queryAt("sum(" + selector + ")", evaluationTime).single();
  }

  private double value(String promql) {
    return prometheus.queryAt(promql, evaluationTime).single();
  }
}
