package dev.vigil.pricing.litellm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Pricing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** LiteLLM's price file, in its own format (a small extract), read into Vigil's prices. */
class LiteLlmPricesTest {
  private static Path fixture() throws URISyntaxException {
    return Path.of(
        LiteLlmPricesTest.class.getResource("/model_prices_and_context_window.json").toURI());
  }

  @Test
  void perTokenPricesBecomePricesPer1kByTypeAndTier() throws Exception {
    Pricing p = LiteLlmPrices.read(fixture(), m -> true, "2025-10-01");
    String sonnet = "claude-sonnet-4-20250514";
    assertThat(p.pricePer1k(sonnet, "input")).isEqualByComparingTo("0.003");
    assertThat(p.pricePer1k(sonnet, "cache_write")).isEqualByComparingTo("0.00375");
    assertThat(p.pricePer1k(sonnet, "cache_write_1h")).isEqualByComparingTo("0.006");
    assertThat(p.pricePer1k(sonnet, "cache_read", 200_001)).isEqualByComparingTo("0.0006");
    assertThat(p.pricePer1k(sonnet, "output", 200_001)).isEqualByComparingTo("0.0225");
    assertThat(p.tierThresholds(sonnet)).containsExactly(200_000L);
    assertThat(p.pricePer1k("o3", "reasoning")).isEqualByComparingTo("0.008"); // as output
    assertThat(p.hasModel("dall-e-3")).isFalse();
    assertThat(p.hasModel("sample_spec")).isFalse();
    // finer than a nano-dollar per 1K tokens: left out, never rounded to a different price
    assertThat(p.pricePer1k("tiny-model", "input")).isNull();
    assertThat(p.pricePer1k("tiny-model", "output")).isEqualByComparingTo("0.002");
    assertThat(p.asOf()).isEqualTo("2025-10-01");
  }

  @Test
  void vigilsDefaultTableAgreesWithLiteLlmsForTheModelsBoth() throws Exception {
    Pricing litellm = LiteLlmPrices.read(fixture(), m -> true, "2025-10-01");
    Pricing defaults = Pricing.defaults();
    for (String model : new String[] {"gpt-4o", "o3", "claude-sonnet-4-20250514"}) {
      for (String type : new String[] {"input", "cache_read", "cache_write", "output"}) {
        for (long request : new long[] {1000, 250_000}) {
          assertThat(litellm.pricePer1k(model, type, request))
              .as(model + " " + type + " " + request)
              .isEqualTo(defaults.pricePer1k(model, type, request));
        }
      }
    }
    assertThat(litellm.pricePer1k("gemini/gemini-2.5-pro", "input", 250_000))
        .isEqualByComparingTo(defaults.pricePer1k("gemini-2.5-pro", "input", 250_000));
  }

  @Test
  void theConverterWritesAPricingFileThatReadsBackToTheSamePrices() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        LiteLlmPrices.run(
            new String[] {
              fixture().toString(),
              "--providers",
              "anthropic,example",
              "--models",
              "gpt-4o",
              "--as-of",
              "2025-10-01"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(rc).isZero();
    String csv = out.toString(StandardCharsets.UTF_8);
    assertThat(csv)
        .contains("as_of,2025-10-01\n")
        .contains("price,claude-sonnet-4-20250514,input,0.006,above=200000\n")
        .contains("price,gpt-4o,cache_read,0.00125\n")
        .doesNotContain("o3");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith(
            "left out: tiny-model input_cost_per_token: price of tiny-model/input has more");
    Pricing fromCsv = Pricing.parse(csv, "litellm.csv");
    Pricing direct =
        LiteLlmPrices.read(
            fixture(),
            m -> m.equals("gpt-4o") || m.startsWith("claude") || m.equals("tiny-model"),
            "2025-10-01");
    assertThat(fromCsv.rows()).isEqualTo(direct.rows());
  }

  @Test
  void aFileThatIsNotLiteLlmsFailsNamingIt() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        LiteLlmPrices.run(
            new String[] {"/no/such/file.json"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(rc).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith(
            "/no/such/file.json cannot be read as LiteLLM's model_prices_and_context_window.json");
  }
}
