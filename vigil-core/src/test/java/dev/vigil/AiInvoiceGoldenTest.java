package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testkit.Scrape;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cost bugs this field keeps making, each replayed with the provider's own usage object: Vigil
 * must land on the provider's invoice to the cent, where each tool below did not. The usage numbers
 * are the ones published in each issue; where an issue leaves a number out, the test says what it
 * reconstructed.
 */
class AiInvoiceGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Monitoring> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Monitoring::close);
  }

  private Monitoring monitoring(Pricing pricing) {
    Monitoring m =
        Monitoring.builder("bot")
            .strict(true)
            .pricing(pricing)
            .topSpendersLogInterval(Duration.ZERO)
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .build()
            .start();
    opened.add(m);
    return m;
  }

  /** The exact cost of one model in {@code /kpi}, which reads the series behind /metrics. */
  private static BigDecimal costUsd(Monitoring m, String model) throws Exception {
    JsonNode node = JSON.readTree(m.kpiJson()).at("/tokens/byModel/" + model + "/costUsd");
    return node.decimalValue();
  }

  private static BigDecimal cents(BigDecimal usd) {
    return usd.setScale(2, RoundingMode.HALF_UP);
  }

  @Test
  void specificationGpt4Example() throws Exception {
    // $0.03 per 1K input tokens, $0.06 per 1K output tokens (the defaults agree)
    Monitoring m = monitoring(Pricing.defaults());
    // {"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500}
    m.trackKpi(Kpi.openAiChatUsage("gpt-4").promptTokens(1000).completionTokens(500));

    // (1000 / 1000) * 0.03 + (500 / 1000) * 0.06
    assertThat(costUsd(m, "gpt-4")).isEqualByComparingTo("0.06");
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(scrape.value("token_spend_total", "model", "gpt-4", "type", "input"))
        .isEqualTo(1000.0);
    assertThat(scrape.value("token_spend_total", "model", "gpt-4", "type", "output"))
        .isEqualTo(500.0);
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4", "type", "input"))
        .isEqualTo(0.03);
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4", "type", "output"))
        .isEqualTo(0.03);
  }

  @Test
  void liteLlm6215OpenAiPromptTokensAlreadyIncludeCachedTokens() throws Exception {
    // The usage object; it names no model, so this uses gpt-4o's list prices ($2.50
    // input, $1.25 cached input, $10 output per 1M tokens) and a thousand such calls.
    Monitoring m = monitoring(Pricing.defaults());
    for (int call = 0; call < 1000; call++) {
      // "usage": {"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
      //   "prompt_tokens_details": {"cached_tokens": 1920},
      //   "completion_tokens_details": {"reasoning_tokens": 0}}
      m.trackKpi(
          Kpi.openAiChatUsage("gpt-4o")
              .promptTokens(2006)
              .cachedTokens(1920)
              .completionTokens(300)
              .reasoningTokens(0));
    }

    // 86 uncached x 2.50 + 1920 cached x 1.25 + 300 x 10, per 1M tokens, a thousand times
    assertThat(costUsd(m, "gpt-4o")).isEqualByComparingTo("5.615");
    assertThat(cents(costUsd(m, "gpt-4o"))).isEqualByComparingTo("5.62");
    // The bug priced all 2006 prompt tokens at the input rate and the 1920 again as cached.
    BigDecimal doubleCounted =
        usd(2006 * 1000L, "2.50").add(usd(1920 * 1000L, "1.25")).add(usd(300 * 1000L, "10"));
    assertThat(cents(doubleCounted)).isEqualByComparingTo("10.42");
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(scrape.value("token_spend_total", "model", "gpt-4o", "type", "input"))
        .isEqualTo(86_000.0);
    assertThat(scrape.value("token_spend_total", "model", "gpt-4o", "type", "cache_read"))
        .isEqualTo(1_920_000.0);
    assertThat(scrape.sum("token_spend_total")).isEqualTo(2_306_000.0); // total_tokens, once
    // What caching saved: the cached tokens at the input price, less what they cost.
    assertThat(scrape.value("ai_cost_uncached_usd_total", "model", "gpt-4o", "type", "cache_read"))
        .isEqualTo(4.8);
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4o", "type", "cache_read"))
        .isEqualTo(2.4);
  }

  @Test
  void liteLlm14849GeminiCachedContentCountedOnce() throws Exception {
    // usageMetadata of one gemini-2.5-pro call with context caching:
    // {"promptTokenCount": 262960, "cachedContentTokenCount": 257955,
    //  "candidatesTokenCount": 1744, "totalTokenCount": 264704}
    Kpi.GeminiUsage usage =
        Kpi.geminiUsage("gemini-2.5-pro")
            .promptTokenCount(262_960)
            .cachedContentTokenCount(257_955)
            .candidatesTokenCount(1_744);

    // The reporter's recomputation: cache misses at $1.25, cache hits at $0.625 and output at
    // $10 per 1M tokens gives $0.1849.
    Pricing reporters =
        Pricing.builder()
            .price("gemini-2.5-pro", Pricing.INPUT, "0.00125")
            .price("gemini-2.5-pro", Pricing.CACHE_READ, "0.000625")
            .price("gemini-2.5-pro", Pricing.OUTPUT, "0.01")
            .build();
    Monitoring m = monitoring(reporters);
    m.trackKpi(usage);
    assertThat(costUsd(m, "gemini-2.5-pro")).isEqualByComparingTo("0.184918125");
    assertThat(costUsd(m, "gemini-2.5-pro").setScale(4, RoundingMode.HALF_UP))
        .isEqualByComparingTo("0.1849");

    // LiteLLM's $0.7642 is every prompt token at the above-200k input rate ($2.50) plus the
    // cached ones again at the base cache rate ($0.3125), plus output at $15.
    BigDecimal liteLlm = usd(262_960, "2.50").add(usd(257_955, "0.3125")).add(usd(1_744, "15"));
    assertThat(liteLlm.setScale(4, RoundingMode.HALF_UP)).isEqualByComparingTo("0.7642");

    // With Google's tiers (the default table): the prompt is above 200,000 tokens, so every token
    // of the request is priced at the upper tier: $2.50 input, $0.625 cached, $15 output.
    Monitoring tiered = monitoring(Pricing.defaults());
    tiered.trackKpi(usage);
    assertThat(costUsd(tiered, "gemini-2.5-pro")).isEqualByComparingTo("0.199894375");
    Scrape scrape = Scrape.of(tiered.metricsAddress());
    assertThat(scrape.value("token_spend_total", "model", "gemini-2.5-pro", "type", "input"))
        .isEqualTo(5_005.0);
    assertThat(scrape.value("token_spend_total", "model", "gemini-2.5-pro", "type", "cache_read"))
        .isEqualTo(257_955.0);
    assertThat(scrape.sum("token_spend_total")).isEqualTo(264_704.0); // totalTokenCount
  }

  @Test
  void aider5516FullyCachedAnthropicCallIsNotBilledAtTenTimesItsPrice() throws Exception {
    // claude-haiku-4-5, the same prompt marked for caching: LiteLLM reports prompt_tokens 17,111
    // with cache_read 17,102; Anthropic's own usage has input_tokens 9 (the remainder). The issue
    // gives no output count; the 10.9x is on the input side, so output_tokens is 0 here. A
    // thousand such calls, at $1 input and $0.10 cache reads per 1M tokens.
    Monitoring m = monitoring(Pricing.defaults());
    for (int call = 0; call < 1000; call++) {
      // "usage": {"input_tokens": 9, "cache_creation_input_tokens": 0,
      //           "cache_read_input_tokens": 17102, "output_tokens": 0}
      m.trackKpi(
          Kpi.anthropicUsage("claude-haiku-4-5")
              .inputTokens(9)
              .cacheCreationInputTokens(0)
              .cacheReadInputTokens(17_102)
              .outputTokens(0));
    }

    BigDecimal vigil = costUsd(m, "claude-haiku-4-5");
    assertThat(vigil).isEqualByComparingTo("1.7192"); // 9,000 x $1 + 17,102,000 x $0.10 per 1M
    // Aider charged the cache reads and then all of prompt_tokens at the input rate again.
    BigDecimal aider = usd(17_111_000L, "1").add(usd(17_102_000L, "0.10"));
    assertThat(cents(aider)).isEqualByComparingTo("18.82");
    assertThat(aider.divide(vigil, 1, RoundingMode.HALF_UP)).isEqualByComparingTo("10.9");
  }

  @Test
  void liteLlm6575AnthropicCacheWritesCostTheirOwnPriceNotInputPlusIt() throws Exception {
    // LiteLLM's cost_per_token("claude-3-5-sonnet-20241022", prompt_tokens=1000,
    // cache_creation_input_tokens=1000) gave $0.00675: $3 input plus $3.75 cache write per 1M.
    // Anthropic's usage for a prompt written whole to the cache, a million tokens of it:
    // {"input_tokens": 0, "cache_creation_input_tokens": 1000000, "cache_read_input_tokens": 0,
    //  "output_tokens": 0}
    Monitoring m = monitoring(Pricing.defaults());
    m.trackKpi(
        Kpi.anthropicUsage("claude-3-5-sonnet-20241022").cacheCreationInputTokens(1_000_000));

    assertThat(costUsd(m, "claude-3-5-sonnet-20241022")).isEqualByComparingTo("3.75");
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(
            scrape.value(
                "ai_cost_usd_total", "model", "claude-3-5-sonnet-20241022", "type", "cache_write"))
        .isEqualTo(3.75);
    assertThat(scrape.matching("token_spend_total", "type", "input")).isEmpty();
  }

  @Test
  void liteLlm9812AnthropicBillingConsoleToTheCent() throws Exception {
    // The usage Anthropic returned and what its billing console charged: 4.614 cents of cache
    // writes and 0.825 cents of output ($0.05439); LiteLLM reported $0.091311.
    Monitoring m = monitoring(Pricing.defaults());
    m.trackKpi(
        Kpi.anthropicUsage("claude-3-7-sonnet-20250219")
            .inputTokens(3)
            .cacheCreationInputTokens(12_304)
            .cacheReadInputTokens(0)
            .outputTokens(550));

    assertThat(costUsd(m, "claude-3-7-sonnet-20250219")).isEqualByComparingTo("0.054399");
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(
            scrape.value(
                "ai_cost_usd_total", "model", "claude-3-7-sonnet-20250219", "type", "cache_write"))
        .isEqualTo(0.04614);
    assertThat(
            scrape.value(
                "ai_cost_usd_total", "model", "claude-3-7-sonnet-20250219", "type", "output"))
        .isEqualTo(0.00825);
    BigDecimal liteLlm = usd(3 + 12_304, "3").add(usd(12_304, "3.75")).add(usd(550, "15"));
    assertThat(liteLlm).isEqualByComparingTo("0.091311");
  }

  /** {@code tokens} at {@code usdPerMillion}, exactly. */
  private static BigDecimal usd(long tokens, String usdPerMillion) {
    return BigDecimal.valueOf(tokens).multiply(new BigDecimal(usdPerMillion)).movePointLeft(6);
  }
}
