package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ai_cost_usd_total}: pricing by exact model and token type, never a silent $0. */
class AiCostTest {
  private final List<Monitoring> opened = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void closeAll() {
    opened.forEach(Monitoring::close);
  }

  private Monitoring monitoring(Monitoring.Builder builder) {
    Monitoring m =
        builder.metricsHost("127.0.0.1").metricsPort(0).jvmMetrics(false).build().start();
    opened.add(m);
    return m;
  }

  private static Monitoring.Builder bot() {
    return Monitoring.builder("bot").topSpendersLogInterval(java.time.Duration.ZERO);
  }

  @Test
  void seedGpt4ExampleIsReproducibleFromCode() {
    // $0.03 per 1K input tokens, $0.06 per 1K output tokens, configured in code
    Pricing seed =
        Pricing.builder()
            .price("gpt-4", Pricing.INPUT, new BigDecimal("0.03"))
            .price("gpt-4", Pricing.OUTPUT, "0.06")
            .build();
    Monitoring m = monitoring(bot().pricing(seed));
    long inputTokens = 1500;
    long outputTokens = 800;
    m.trackKpi(Kpi.tokenSpend(inputTokens, "gpt-4", "input"));
    m.trackKpi(Kpi.tokenSpend(outputTokens, "gpt-4", "output"));

    Scrape scrape = Scrape.of(m.metricsAddress());
    // inputCost = (1500 / 1000) * 0.03 = 0.045; outputCost = (800 / 1000) * 0.06 = 0.048
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4", "type", "input"))
        .isEqualTo(0.045);
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4", "type", "output"))
        .isEqualTo(0.048);
    assertThat(m.kpiJson()).contains("\"costUsd\":0.093");
  }

  @Test
  void defaultTableIsDatedAndPricesGpt4AsTheSpecificationDoes() {
    Pricing defaults = Pricing.defaults();
    assertThat(defaults.asOf()).isEqualTo("2025-06-01");
    assertThat(defaults.pricePer1k("gpt-4", "input")).isEqualByComparingTo("0.03");
    assertThat(defaults.pricePer1k("gpt-4", "output")).isEqualByComparingTo("0.06");
    assertThat(defaults.pricePer1k("gpt-4o", "cached_input")).isEqualByComparingTo("0.00125");
    assertThat(defaults.pricePer1k("claude-sonnet-4-0", "output")).isEqualByComparingTo("0.015");
  }

  @Test
  void modelsMatchExactlyOrThroughExplicitAliasesNeverByPrefix() {
    Pricing defaults = Pricing.defaults();
    assertThat(defaults.pricePer1k("gpt-4-0613", "input")).isEqualByComparingTo("0.03");
    assertThat(defaults.pricePer1k("gpt-4-0314", "input")).isNull();
    assertThat(defaults.pricePer1k("gpt-4o-2024-05-13", "input")).isNull();
    assertThat(defaults.pricePer1k("GPT-4", "input")).isNull();
    assertThat(defaults.pricePer1k("gpt-4 ", "input")).isNull();
  }

  @Test
  void completionIsPricedAsOutputByDefaultAndTheMappingIsConfigurable() {
    assertThat(Pricing.defaults().pricedType("completion")).isEqualTo("output");
    assertThat(Pricing.defaults().pricePer1k("gpt-4", "completion")).isEqualByComparingTo("0.06");
    Pricing asInput = Pricing.defaults().toBuilder().tokenType("completion", "input").build();
    assertThat(asInput.pricePer1k("gpt-4", "completion")).isEqualByComparingTo("0.03");
  }

  @Test
  void laterPricesOverrideDefaultsAndPricesReplaceAliasesOfTheSameName() {
    Pricing p =
        Pricing.defaults().toBuilder()
            .price("gpt-4", "input", "0.025")
            .price("gpt-4-0613", "input", "0.02")
            .build();
    assertThat(p.pricePer1k("gpt-4", "input")).isEqualByComparingTo("0.025");
    assertThat(p.pricePer1k("gpt-4-0613", "input")).isEqualByComparingTo("0.02");
    assertThat(p.aliases()).doesNotContainKey("gpt-4-0613");
    assertThat(Pricing.defaults().pricePer1k("gpt-4", "input")).isEqualByComparingTo("0.03");
  }

  @Test
  void builderRejectsBadPricesAtOnceNamingTheFix() {
    Pricing.Builder b = Pricing.builder();
    assertThatThrownBy(() -> b.price("gpt-4", "input", new BigDecimal("-0.01")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "price of gpt-4/input must be between 0 and 1000000 US dollars per 1,000 tokens, got"
                + " -0.01");
    assertThatThrownBy(() -> b.price("gpt-4", "input", "0.0000000001"))
        .hasMessageStartingWith("price of gpt-4/input has more than 9 decimal places");
    assertThatThrownBy(() -> b.price("gpt 4", "input", "0.03"))
        .hasMessageContaining("a model id is a non-blank name without spaces");
    assertThatThrownBy(() -> b.price("gpt-4", "Input", "0.03"))
        .hasMessageContaining("a token type is lower case letters, digits and underscores");
    assertThatThrownBy(() -> b.alias("gpt-4-0613", "gpt-4").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "alias 'gpt-4-0613' points to 'gpt-4', which has no prices (aliases cannot point to"
                + " aliases). Add price(\"gpt-4\", ..) or point the alias to a priced model.");
  }

  @Test
  void pricingFileOverridesTheDefaultsRowByRow() throws IOException {
    Path file = dir.resolve("pricing.csv");
    Files.writeString(
        file,
        "# our negotiated prices\n"
            + "as_of,2025-09-01\n"
            + "price,gpt-4,input,0.02   # discount\n"
            + "price,ft:gpt-4o-mini:acme:v1,output,0.0012\n"
            + "alias,gpt-4-0314,gpt-4\n"
            + "token_type,completion,input\n");
    Pricing p = Pricing.fromFile(file);
    assertThat(p.asOf()).isEqualTo("2025-09-01");
    assertThat(p.pricePer1k("gpt-4", "input")).isEqualByComparingTo("0.02");
    assertThat(p.pricePer1k("gpt-4", "output")).isEqualByComparingTo("0.06"); // default kept
    assertThat(p.pricePer1k("gpt-4-0314", "completion")).isEqualByComparingTo("0.02");
    assertThat(p.pricePer1k("ft:gpt-4o-mini:acme:v1", "output")).isEqualByComparingTo("0.0012");
    assertThat(p.pricePer1k("gpt-4o", "input")).isEqualByComparingTo("0.0025");
  }

  @Test
  void pricingFileCanExcludeTheDefaults() {
    Pricing p = Pricing.parse("defaults,exclude\nprice,my-model,input,1\n", "inline");
    assertThat(p.prices()).containsOnlyKeys("my-model");
    assertThat(p.pricePer1k("gpt-4", "input")).isNull();
  }

  @Test
  void malformedPricingRowsFailNamingTheFileAndLine() {
    assertThatThrownBy(() -> Pricing.parse("price,gpt-4,input,0.03\nprice,gpt-4,output\n", "p.csv"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "p.csv line 2: expected 4 values (price,<model>,<token type>,<usd per 1000 tokens>"
                + "[,above=<input tokens>][,as_of=<date>]), got 3: 'price,gpt-4,output'");
    assertThatThrownBy(() -> Pricing.parse("price,gpt-4,input,three cents\n", "p.csv"))
        .hasMessage(
            "p.csv line 1: 'three cents' is not a decimal number of US dollars per 1,000 tokens,"
                + " such as 0.03");
    assertThatThrownBy(() -> Pricing.parse("model,type,price\n", "p.csv"))
        .hasMessageStartingWith("p.csv line 1: unknown row kind 'model'");
    assertThatThrownBy(() -> Pricing.parse("price,\"gpt-4\",input,0.03\n", "p.csv"))
        .hasMessageStartingWith("p.csv line 1: quotes are not supported");
    assertThatThrownBy(() -> Pricing.parse("defaults,exclude\nalias,a,b\n", "p.csv"))
        .hasMessageStartingWith("p.csv: alias 'a' points to 'b', which has no prices");
  }

  @Test
  void pricingFileComesFromTheEnvironment() throws IOException {
    Path file = dir.resolve("pricing.csv");
    Files.writeString(file, "price,house-model,output,0.5\n");
    Monitoring m = monitoring(bot().readEnvironment(Map.of("VIGIL_PRICING_FILE", file.toString())));
    m.trackKpi(Kpi.tokenSpend(2000, "house-model", "output"));
    assertThat(
            Scrape.of(m.metricsAddress())
                .value("ai_cost_usd_total", "model", "house-model", "type", "output"))
        .isEqualTo(1.0);

    assertThatThrownBy(
            () ->
                Monitoring.builder("bot")
                    .readEnvironment(
                        Map.of("VIGIL_PRICING_FILE", dir.resolve("missing.csv").toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "VIGIL_PRICING_FILE: Pricing file " + dir.resolve("missing.csv") + " cannot be read");
  }

  @Test
  void unpricedModelCountsItsTokensAndWarnsOncePerModelNeverSilentZero() {
    Monitoring m = monitoring(bot().strict(true));
    try (LogCapture logs = LogCapture.of("dev.vigil")) {
      m.trackKpi(Kpi.tokenSpend(100, "gpt-5-preview", "input"));
      m.trackKpi(Kpi.tokenSpend(40, "gpt-5-preview", "output"));
      m.trackKpi(Kpi.tokenSpend(60, "gpt-5-preview", "input"));
      m.trackKpi(Kpi.tokenSpend(7, "gpt-4", "audio")); // priced model, unpriced type

      Scrape scrape = Scrape.of(m.metricsAddress());
      assertThat(scrape.value("token_spend_total", "model", "gpt-5-preview", "type", "input"))
          .isEqualTo(160.0);
      assertThat(
              scrape.value(
                  "vigil_unpriced_tokens_total", "model", "gpt-5-preview", "type", "input"))
          .isEqualTo(160.0);
      assertThat(
              scrape.value(
                  "vigil_unpriced_tokens_total", "model", "gpt-5-preview", "type", "output"))
          .isEqualTo(40.0);
      assertThat(scrape.value("vigil_unpriced_tokens_total", "model", "gpt-4", "type", "audio"))
          .isEqualTo(7.0);
      assertThat(scrape.samples("ai_cost_usd_total")).isEmpty();
      assertThat(logs.warnings())
          .containsExactly(
              "AI cost: no price for model 'gpt-5-preview'; its tokens are counted in"
                  + " token_spend_total and vigil_unpriced_tokens_total but not in"
                  + " ai_cost_usd_total (never as $0). Add the price with"
                  + " Pricing.defaults().toBuilder().price(\"gpt-5-preview\", \"input\","
                  + " usdPer1kTokens) or a row 'price,gpt-5-preview,input,<usd per 1000 tokens>'"
                  + " in the file named by VIGIL_PRICING_FILE, or alias it to a priced model with"
                  + " 'alias,gpt-5-preview,<model>'. Pricing table as of 2025-06-01. Warned once"
                  + " for this model.",
              "AI cost: model 'gpt-4' has no price for token type 'audio'; its tokens are"
                  + " counted in token_spend_total and vigil_unpriced_tokens_total but not in"
                  + " ai_cost_usd_total (never as $0). Add the price with"
                  + " Pricing.defaults().toBuilder().price(\"gpt-4\", \"audio\","
                  + " usdPer1kTokens) or a row 'price,gpt-4,audio,<usd per 1000 tokens>' in"
                  + " the file named by VIGIL_PRICING_FILE. Pricing table as of 2025-06-01."
                  + " Warned once for this model and type.");
    }
    assertThat(m.kpiJson())
        .contains(
            "\"gpt-5-preview\":{\"tokens\":200,\"costUsd\":null,\"unpricedTokens\":200,"
                + "\"byType\":{\"input\":{\"tokens\":160,\"costUsd\":null,\"unpricedTokens\":160},"
                + "\"output\":{\"tokens\":40,\"costUsd\":null,\"unpricedTokens\":40}}}");
  }

  @Test
  void costLabelsFollowTheTokenSpendLabelsAndBadLabelsAreReportedOnce() {
    Monitoring m = monitoring(bot());
    m.trackKpi(Kpi.tokenSpend(1000, " gpt-4 ", "input"));
    m.trackKpi(Kpi.tokenSpend(1000, "gpt-4", null));
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4", "type", "input"))
        .isEqualTo(0.03);
    assertThat(scrape.value("vigil_unpriced_tokens_total", "model", "gpt-4", "type", "unknown"))
        .isEqualTo(1000.0);
    // the null type is reported for token_spend_total only, not again for the derived metrics
    assertThat(scrape.matching("vigil_invalid_inputs_total", "reason", "null_value"))
        .extracting(s -> s.labels().get("metric"))
        .containsExactly("token_spend_total");
  }

  @Test
  void costIsExactForLinkedSeriesAndForTokensFoldedIntoTheOverflowSeries() {
    // token_spend_total keeps one label set; the second model's tokens fold into __overflow__,
    // yet each event is still priced by its own model
    Monitoring m = monitoring(bot().maxLabelSets("token_spend_total", 1));
    for (int i = 0; i < 3; i++) {
      m.trackKpi(Kpi.tokenSpend(1000, "gpt-4", "input"));
      m.trackKpi(Kpi.tokenSpend(2000, "gpt-4o-mini", "output"));
    }
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(scrape.value("token_spend_total", "model", "__overflow__")).isEqualTo(6000.0);
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4", "type", "input"))
        .isEqualTo(0.09);
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4o-mini", "type", "output"))
        .isEqualTo(0.0036);
    assertThat(m.kpiJson()).contains("\"costUsd\":0.0936");
  }

  @Test
  void unpricedTokensPastTheCostLimitAreWarnedAboutByTheirModelNeverAsOverflow() {
    Monitoring m = monitoring(bot().maxLabelSets("ai_cost_usd_total", 1));
    try (LogCapture logs = LogCapture.of("dev.vigil")) {
      m.trackKpi(Kpi.tokenSpend(1000, "gpt-4", "input")); // the one cost series
      m.trackKpi(Kpi.tokenSpend(500, "acme-llm", "input")); // folded, and unpriced
      m.trackKpi(Kpi.tokenSpend(500, "acme-llm", "input"));

      assertThat(logs.warnings())
          .filteredOn(w -> w.startsWith("AI cost"))
          .singleElement()
          .satisfies(
              w ->
                  assertThat(w)
                      .startsWith("AI cost: no price for model 'acme-llm' (token type 'input')")
                      .contains("price(\"acme-llm\", \"input\", usdPer1kTokens)")
                      .contains("maxLabelSets(\"ai_cost_usd_total\", n)")
                      .doesNotContain("__overflow__"));
      assertThat(logs.events())
          .filteredOn(e -> e.getFormattedMessage().startsWith("AI cost"))
          .allSatisfy(
              e ->
                  assertThat(e.getKeyValuePairs())
                      .anySatisfy(p -> assertThat(p.key + "=" + p.value).isEqualTo("service=bot")));
    }
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(scrape.value("vigil_unpriced_tokens_total", "model", "acme-llm")).isEqualTo(1000.0);
  }

  @Test
  void userAttributedSpendIsCostedLikeAnyOther() {
    Monitoring m = monitoring(bot());
    m.trackKpi(Kpi.tokenSpend(2000, "gpt-4o-mini", "output").forUser("user-7"));
    m.trackKpi(
        "token_spend",
        Map.of("tokens", 1000, "model", "gpt-4o-mini", "type", "cached_input", "userId", "user-7"));
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4o-mini", "type", "output"))
        .isEqualTo(0.0012);
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4o-mini", "type", "cached_input"))
        .isEqualTo(0.000075);
  }

  @Test
  void concurrentSpendLosesNoCost() throws Exception {
    Monitoring m = monitoring(bot());
    int threads = 4;
    int perThread = 25_000;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < perThread; i++) {
                    m.trackKpi(Kpi.tokenSpend(7, "gpt-4", "input").forUser("user-" + (i % 8)));
                    m.trackKpi(Kpi.tokenSpend(3, "gpt-4", "output").forUser("thread-" + thread));
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Scrape scrape = Scrape.of(m.metricsAddress());
    // 100,000 events of 7 input tokens at $0.03/1K = 700,000 tokens = $21 exactly
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4", "type", "input"))
        .isEqualTo(21.0);
    // 100,000 events of 3 output tokens at $0.06/1K: $0.00018 each, $18 in all
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4", "type", "output"))
        .isEqualTo(18.0);
  }
}
