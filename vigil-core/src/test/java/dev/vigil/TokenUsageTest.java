package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The token kinds: every provider usage object counted once per token, in {@code
 * token_spend_total{type}} values that add up to the provider's total, priced per kind and tier.
 */
class TokenUsageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Monitoring> opened = new ArrayList<>();
  private final FakeTicker ticker = new FakeTicker();

  @AfterEach
  void closeAll() {
    opened.forEach(Monitoring::close);
  }

  private Monitoring monitoring(boolean strict, Pricing pricing) {
    Monitoring m =
        Monitoring.builder("bot")
            .strict(strict)
            .pricing(pricing)
            .ticker(ticker)
            .topSpendersLogInterval(Duration.ZERO)
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .build()
            .start();
    opened.add(m);
    return m;
  }

  private static double tokens(Scrape s, String model, String type) {
    return s.value("token_spend_total", "model", model, "type", type);
  }

  private static double cost(Scrape s, String model, String type) {
    return s.value("ai_cost_usd_total", "model", model, "type", type);
  }

  @Test
  void openAiReasoningIsPartOfTheCompletionAndPricedAsOutput() {
    Monitoring m = monitoring(true, Pricing.defaults());
    m.trackKpi(
        Kpi.openAiResponsesUsage("o4-mini")
            .inputTokens(5000)
            .cachedTokens(4000)
            .outputTokens(1200)
            .reasoningTokens(1000));
    Scrape s = Scrape.of(m.metricsAddress());
    assertThat(tokens(s, "o4-mini", "input")).isEqualTo(1000.0);
    assertThat(tokens(s, "o4-mini", "cache_read")).isEqualTo(4000.0);
    assertThat(tokens(s, "o4-mini", "output")).isEqualTo(200.0);
    assertThat(tokens(s, "o4-mini", "reasoning")).isEqualTo(1000.0);
    assertThat(s.sum("token_spend_total")).isEqualTo(6200.0); // input + output, each token once
    // $1.10 input, $0.275 cached, $4.40 output per 1M; reasoning at the output price
    assertThat(cost(s, "o4-mini", "reasoning")).isEqualTo(0.0044);
    assertThat(cost(s, "o4-mini", "output")).isEqualTo(0.00088);
    assertThat(cost(s, "o4-mini", "cache_read")).isEqualTo(0.0011);
  }

  @Test
  void aReasoningPriceOfItsOwnWinsOverTheOutputPrice() {
    Pricing p = Pricing.defaults().toBuilder().price("o4-mini", Pricing.REASONING, "0.001").build();
    assertThat(p.pricePer1k("o4-mini", "reasoning")).isEqualByComparingTo("0.001");
    assertThat(Pricing.defaults().pricePer1k("o4-mini", "reasoning"))
        .isEqualByComparingTo("0.0044");
  }

  @Test
  void anthropicCacheWritesArePricedByLifetime() {
    Monitoring m = monitoring(true, Pricing.defaults());
    m.trackKpi(
        Kpi.anthropicUsage("claude-sonnet-4-20250514")
            .inputTokens(100)
            .cacheCreation(2000, 1000)
            .cacheReadInputTokens(10_000)
            .outputTokens(500));
    Scrape s = Scrape.of(m.metricsAddress());
    String model = "claude-sonnet-4-20250514";
    assertThat(tokens(s, model, "cache_write")).isEqualTo(2000.0);
    assertThat(tokens(s, model, "cache_write_1h")).isEqualTo(1000.0);
    assertThat(cost(s, model, "cache_write")).isEqualTo(0.0075); // $3.75 per 1M
    assertThat(cost(s, model, "cache_write_1h")).isEqualTo(0.006); // $6 per 1M
    assertThat(s.sum("token_spend_total")).isEqualTo(13_600.0);
  }

  @Test
  void theRequestsWholeInputSelectsTheTierForEveryTokenOfIt() throws Exception {
    Monitoring m = monitoring(true, Pricing.defaults());
    String model = "claude-sonnet-4-20250514";
    // 200,000 input tokens exactly: the base tier
    m.trackKpi(Kpi.anthropicUsage(model).inputTokens(150_000).cacheReadInputTokens(50_000));
    // 200,001, counting cache reads and writes: every token of it at the upper tier
    m.trackKpi(
        Kpi.anthropicUsage(model)
            .inputTokens(100_000)
            .cacheCreationInputTokens(50_001)
            .cacheReadInputTokens(50_000)
            .outputTokens(1000));
    Scrape s = Scrape.of(m.metricsAddress());
    // input: 150,000 x $3 + 100,000 x $6 per 1M
    assertThat(cost(s, model, "input")).isEqualTo(1.05);
    // cache reads: 50,000 x $0.30 + 50,000 x $0.60 per 1M
    assertThat(cost(s, model, "cache_read")).isEqualTo(0.045);
    assertThat(cost(s, model, "cache_write")).isEqualTo(0.3750075); // $7.50 per 1M
    assertThat(cost(s, model, "output")).isEqualTo(0.0225); // $22.50 per 1M
    assertThat(Pricing.defaults().tierThresholds(model)).containsExactly(200_000L);
    // Kpi.tokenSpend knows no request: the base tier
    m.trackKpi(Kpi.tokenSpend(300_000, model, "input"));
    assertThat(cost(Scrape.of(m.metricsAddress()), model, "input")).isEqualTo(1.95);
  }

  @Test
  void usageForAUserFeedsTheTopSpendersOncePerCall() throws Exception {
    Monitoring m = monitoring(true, Pricing.defaults());
    m.trackKpi(
        Kpi.openAiChatUsage("gpt-4o")
            .promptTokens(2006)
            .cachedTokens(1920)
            .completionTokens(300)
            .forUser("alice"));
    var top = JSON.readTree(m.kpiJson()).at("/topSpenders/5m");
    assertThat(top.at("/byCostUsd/0/userId").asText()).isEqualTo("alice");
    assertThat(top.at("/byCostUsd/0/costUsd").decimalValue()).isEqualByComparingTo("0.005615");
    assertThat(top.at("/byTokens/0/tokens").asLong()).isEqualTo(2306);
  }

  @Test
  void cachedTokensAbovePromptTokensAreCappedCountedAndWarned() {
    String warning =
        expectRejected(
            m ->
                m.trackKpi(
                    Kpi.openAiChatUsage("gpt-4o")
                        .promptTokens(9)
                        .cachedTokens(17_102)
                        .completionTokens(10)),
            "part_exceeds_total",
            m -> {
              Scrape s = Scrape.of(m.metricsAddress());
              assertThat(tokens(s, "gpt-4o", "cache_read")).isEqualTo(9.0);
              assertThat(s.matching("token_spend_total", "type", "input")).isEmpty();
              assertThat(tokens(s, "gpt-4o", "output")).isEqualTo(10.0);
            });
    assertThat(warning)
        .isEqualTo(
            "token_spend: Kpi.openAiChatUsage(gpt-4o) has cached_tokens = 17102, more than"
                + " prompt_tokens = 9, which includes it; counted as 9. prompt_tokens already"
                + " counts the cached_tokens: pass both as the provider reports them, never one"
                + " added to the other.");
  }

  @Test
  void reasoningAboveTheOutputIsCappedCountedAndWarned() {
    String warning =
        expectRejected(
            m ->
                m.trackKpi(
                    Kpi.tokenUsage("o4-mini").inputTokens(10).outputTokens(5).reasoningTokens(8)),
            "part_exceeds_total",
            m ->
                assertThat(tokens(Scrape.of(m.metricsAddress()), "o4-mini", "reasoning"))
                    .isEqualTo(5.0));
    assertThat(warning).startsWith("token_spend: Kpi.tokenUsage(o4-mini) has reasoningTokens");
  }

  @Test
  void aNegativeCountDropsTheCallNamingTheProvidersField() {
    String warning =
        expectRejected(
            m -> m.trackKpi(Kpi.geminiUsage("gemini-2.5-pro").promptTokenCount(-1)),
            "negative_value",
            m -> assertThat(Scrape.of(m.metricsAddress()).samples("token_spend_total")).isEmpty());
    assertThat(warning)
        .isEqualTo(
            "token_spend: Kpi.geminiUsage(gemini-2.5-pro) has promptTokenCount = -1; event"
                + " dropped. Pass the counts of the provider's usage object as reported, and 0 for"
                + " a field it leaves out.");
  }

  @Test
  void aUsageWithoutTokensIsDropped() {
    expectRejected(
        m -> m.trackKpi(Kpi.anthropicUsage("claude-3-5-haiku-latest")),
        "zero_value",
        m -> assertThat(Scrape.of(m.metricsAddress()).samples("token_spend_total")).isEmpty());
  }

  @Test
  void theUsageObjectAsAMapIsReadByItsFieldNames() {
    Monitoring m = monitoring(true, Pricing.defaults());
    m.trackKpi(
        "token_spend",
        Map.of(
            "model",
            "gpt-4o",
            "usage",
            Map.of(
                "prompt_tokens", 2006,
                "completion_tokens", 300,
                "total_tokens", 2306,
                "prompt_tokens_details", Map.of("cached_tokens", 1920, "audio_tokens", 0),
                "completion_tokens_details", Map.of("reasoning_tokens", 0))));
    m.trackKpi(
        "token_spend",
        Map.of(
            "model",
            "claude-3-7-sonnet-20250219",
            "usage",
            Map.of(
                "input_tokens", 3,
                "cache_creation_input_tokens", 12304,
                "cache_read_input_tokens", 0,
                "output_tokens", 550,
                "service_tier", "standard")));
    m.trackKpi(
        "token_spend",
        Map.of(
            "model",
            "gemini-2.5-flash",
            "usage",
            Map.of(
                "promptTokenCount", 1204,
                "candidatesTokenCount", 8,
                "thoughtsTokenCount", 96,
                "totalTokenCount", 1308)));
    Scrape s = Scrape.of(m.metricsAddress());
    assertThat(tokens(s, "gpt-4o", "cache_read")).isEqualTo(1920.0);
    assertThat(tokens(s, "claude-3-7-sonnet-20250219", "cache_write")).isEqualTo(12304.0);
    assertThat(tokens(s, "gemini-2.5-flash", "reasoning")).isEqualTo(96.0);
    assertThat(s.sum("token_spend_total")).isEqualTo(2306.0 + 12857 + 1308);
  }

  @Test
  void anUnknownFieldWithACountIsReportedAndTheKnownOnesCounted() {
    Map<String, Object> usage =
        Map.of(
            "prompt_tokens",
            100,
            "completion_tokens",
            20,
            "prompt_tokens_details",
            Map.of("cached_tokens", 0, "image_tokens", 64));
    String warning =
        expectRejected(
            m -> m.trackKpi("token_spend", Map.of("model", "gpt-4o", "usage", usage)),
            "unknown_field",
            m ->
                assertThat(tokens(Scrape.of(m.metricsAddress()), "gpt-4o", "input"))
                    .isEqualTo(100.0));
    assertThat(warning)
        .isEqualTo(
            "token_spend: the usage object of gpt-4o has a field Vigil does not know,"
                + " 'prompt_tokens_details.image_tokens', with a count in it; the known fields are"
                + " counted, this one is not. If the provider bills it, track it with"
                + " Kpi.tokenSpend(n, model, \"<type>\") and a price for that type.");
  }

  /**
   * Runs {@code call} leniently (counted once under {@code reason}, one warning, then {@code
   * recorded} checks what was counted) and strictly (an exception with the same message).
   */
  private String expectRejected(
      Consumer<Monitoring> call, String reason, Consumer<Monitoring> recorded) {
    Monitoring lenient = monitoring(false, Pricing.defaults());
    Monitoring strict = monitoring(true, Pricing.defaults());
    try (LogCapture logs = LogCapture.of("dev.vigil")) {
      call.accept(lenient);
      assertThat(
              Scrape.of(lenient.metricsAddress())
                  .value("vigil_invalid_inputs_total", "metric", "token_spend", "reason", reason))
          .isEqualTo(1.0);
      recorded.accept(lenient);
      assertThat(logs.warnings()).hasSize(1);
      String warning = logs.warnings().get(0);
      assertThatThrownBy(() -> call.accept(strict))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(warning);
      assertThat(Scrape.of(strict.metricsAddress()).samples("token_spend_total")).isEmpty();
      return warning;
    }
  }

  @Test
  void oldPricingFilesParseToTheSamePrices() {
    // A file in the format of earlier versions: four cells per price, cached_input for cache reads.
    String old =
        "defaults,exclude\n"
            + "as_of,2025-06-01\n"
            + "price,gpt-4o,input,0.0025\n"
            + "price,gpt-4o,cached_input,0.00125\n"
            + "price,gpt-4o,output,0.01\n"
            + "price,house-model,image,0.04\n"
            + "alias,gpt-4o-2024-08-06,gpt-4o\n"
            + "token_type,completion,output\n";
    Pricing p = Pricing.parse(old, "old.csv");
    assertThat(p.pricePer1k("gpt-4o", "input")).isEqualByComparingTo("0.0025");
    assertThat(p.pricePer1k("gpt-4o", "cached_input")).isEqualByComparingTo("0.00125");
    assertThat(p.pricePer1k("gpt-4o-2024-08-06", "cached_input")).isEqualByComparingTo("0.00125");
    assertThat(p.pricePer1k("gpt-4o", "output")).isEqualByComparingTo("0.01");
    assertThat(p.pricePer1k("gpt-4o", "completion")).isEqualByComparingTo("0.01");
    assertThat(p.pricePer1k("house-model", "image")).isEqualByComparingTo("0.04");
    assertThat(p.pricePer1k("gpt-4o", "input", 10_000_000)).isEqualByComparingTo("0.0025");
    assertThat(p.asOf()).isEqualTo("2025-06-01");
    assertThat(p.prices())
        .isEqualTo(
            Map.of(
                "gpt-4o",
                Map.of(
                    "input",
                    new BigDecimal("0.0025"),
                    "cache_read",
                    new BigDecimal("0.00125"),
                    "output",
                    new BigDecimal("0.01")),
                "house-model",
                Map.of("image", new BigDecimal("0.04"))));
    assertThat(p.tierThresholds("gpt-4o")).isEmpty();
  }

  @Test
  void priceRowsCarryTheirTierAndDate() {
    Pricing p =
        Pricing.parse(
            "defaults,exclude\n"
                + "as_of,2025-06-01\n"
                + "price,gemini-2.5-pro,input,0.00125,as_of=2025-09-01\n"
                + "price,gemini-2.5-pro,input,0.0025,above=200000,as_of=2025-09-01\n"
                + "price,gemini-2.5-pro,output,0.01\n",
            "tiers.csv");
    assertThat(p.price("gemini-2.5-pro", "input", 200_000))
        .isEqualTo(
            new Pricing.Price(
                "gemini-2.5-pro", "input", new BigDecimal("0.00125"), 0, "2025-09-01"));
    assertThat(p.price("gemini-2.5-pro", "input", 200_001))
        .isEqualTo(
            new Pricing.Price(
                "gemini-2.5-pro", "input", new BigDecimal("0.0025"), 200_000, "2025-09-01"));
    // no output price above the tier: the base one, with the table's date
    assertThat(p.price("gemini-2.5-pro", "output", 500_000))
        .isEqualTo(
            new Pricing.Price("gemini-2.5-pro", "output", new BigDecimal("0.01"), 0, "2025-06-01"));
    assertThat(p.toBuilder().build().rows()).isEqualTo(p.rows());
  }

  @Test
  void malformedTierAndDateCellsFailNamingTheFix() {
    assertThatThrownBy(() -> Pricing.parse("price,m,input,1,above=lots\n", "p.csv"))
        .hasMessage(
            "p.csv line 1: above=lots is not a whole number of input tokens, such as above=200000"
                + " for requests of more than 200,000 input tokens");
    assertThatThrownBy(() -> Pricing.parse("price,m,input,1,tier=2\n", "p.csv"))
        .hasMessage(
            "p.csv line 1: 'tier=2' is neither above=<input tokens> nor as_of=<yyyy-mm-dd> (each at"
                + " most once); a price row is price,<model>,<token type>,<usd per 1000 tokens>"
                + "[,above=<input tokens>][,as_of=<date>]");
    assertThatThrownBy(() -> Pricing.parse("price,m,input,1,as_of=June\n", "p.csv"))
        .hasMessage(
            "p.csv line 1: price(.., asOf) of m/input must be a date such as 2025-06-01, got"
                + " 'June'");
  }
}
