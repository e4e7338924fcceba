package dev.vigil.pricing.litellm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Pricing;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * LiteLLM's {@code model_prices_and_context_window.json}, the table this field keeps current, as
 * Vigil prices: per-token US dollars become prices per 1,000 tokens, by token type and tier.
 *
 * <pre>{@code
 * Pricing pricing = LiteLlmPrices.read(Path.of("model_prices_and_context_window.json"),
 *     model -> model.startsWith("gpt-") || model.startsWith("claude-"), "2025-10-01");
 * Monitoring monitoring = Monitoring.builder("bot").pricing(pricing).build();
 * }</pre>
 *
 * <p>Or as a converter that writes the CSV of {@code VIGIL_PRICING_FILE} (and of Vigil's default
 * table) to standard output:
 *
 * <pre>
 * java -cp vigil-pricing-litellm.jar:vigil-core.jar:jackson-databind.jar:jackson-core.jar:\
 *   jackson-annotations.jar dev.vigil.pricing.litellm.LiteLlmPrices \
 *   model_prices_and_context_window.json --models gpt-4o,claude-sonnet-4-20250514 \
 *   --as-of 2025-10-01 &gt; pricing.csv
 * </pre>
 *
 * <table>
 *   <caption>LiteLLM's fields and the token types they price</caption>
 *   <tr><th>LiteLLM</th><th>Vigil</th></tr>
 *   <tr><td>{@code input_cost_per_token}</td><td>{@code input}</td></tr>
 *   <tr><td>{@code output_cost_per_token}</td><td>{@code output}</td></tr>
 *   <tr><td>{@code cache_read_input_token_cost}</td><td>{@code cache_read}</td></tr>
 *   <tr><td>{@code cache_creation_input_token_cost}</td><td>{@code cache_write}</td></tr>
 *   <tr><td>{@code cache_creation_input_token_cost_above_1hr}</td><td>{@code cache_write_1h}</td></tr>
 *   <tr><td>{@code output_cost_per_reasoning_token}</td><td>{@code reasoning} (else reasoning is
 *       priced as output)</td></tr>
 *   <tr><td>any of these {@code _above_200k_tokens} (or {@code _128k_}...)</td><td>the same type,
 *       {@code above=200000}</td></tr>
 * </table>
 *
 * <p>Entries without a per-token price (images, audio seconds, the {@code sample_spec} entry) are
 * left out, and so are model ids Vigil cannot use as a label value and prices finer than a
 * nano-dollar per 1,000 tokens; the converter lists what it left out on standard error.
 */
public final class LiteLlmPrices {
  private static final Map<String, String> BASE_FIELDS = new TreeMap<>();

  static {
    BASE_FIELDS.put("input_cost_per_token", Pricing.INPUT);
    BASE_FIELDS.put("output_cost_per_token", Pricing.OUTPUT);
    BASE_FIELDS.put("cache_read_input_token_cost", Pricing.CACHE_READ);
    BASE_FIELDS.put("cache_creation_input_token_cost", Pricing.CACHE_WRITE);
    BASE_FIELDS.put("cache_creation_input_token_cost_above_1hr", Pricing.CACHE_WRITE_1H);
    BASE_FIELDS.put("output_cost_per_reasoning_token", Pricing.REASONING);
  }

  private static final Pattern TIERED = Pattern.compile("(.+)_above_(\\d+)k_tokens");
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  private LiteLlmPrices() {}

  /**
   * The prices of the models {@code include} accepts, over an empty table; {@code asOf} dates the
   * table (LiteLLM's file has no date of its own: use the day it was downloaded).
   *
   * @throws IllegalArgumentException naming the file, if it cannot be read or is not LiteLLM's
   *     format
   */
  public static Pricing read(Path json, Predicate<String> include, String asOf) {
    Pricing.Builder table = Pricing.builder().asOf(asOf);
    convert(json, include, table, new ArrayList<>());
    return table.build();
  }

  /** Adds the rows of {@code json} to {@code into}; what it leaves out goes to {@code skipped}. */
  static void convert(
      Path json, Predicate<String> include, Pricing.Builder into, List<String> skipped) {
    JsonNode root;
    try {
      root =
          new ObjectMapper()
              .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
              .readTree(Files.readString(json, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          json + " cannot be read as LiteLLM's model_prices_and_context_window.json (" + e + ")",
          e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          json
              + " is not LiteLLM's model_prices_and_context_window.json: not a JSON object of"
              + " models");
    }
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      String model = entry.getKey();
      JsonNode prices = entry.getValue();
      if (model.equals("sample_spec") || !prices.isObject() || !include.test(model)) {
        continue;
      }
      addModel(model, prices, into, skipped);
    }
  }

  private static void addModel(
      String model, JsonNode prices, Pricing.Builder into, List<String> skipped) {
    for (Map.Entry<String, JsonNode> field : prices.properties()) {
      String name = field.getKey();
      long above = 0;
      Matcher tiered = TIERED.matcher(name);
      if (tiered.matches()) {
        name = tiered.group(1);
        above = Long.parseLong(tiered.group(2)) * 1000;
      }
      String type = BASE_FIELDS.get(name);
      JsonNode value = field.getValue();
      if (type == null || !value.isNumber()) {
        continue;
      }
      BigDecimal per1k = value.decimalValue().multiply(THOUSAND);
      try {
        into.price(model, type, per1k, above, null);
      } catch (IllegalArgumentException e) {
        skipped.add(model + " " + field.getKey() + ": " + e.getMessage());
      }
    }
  }

  /**
   * Writes the CSV of {@code VIGIL_PRICING_FILE} for the models asked for: {@code
   * model_prices_and_context_window.json [--models a,b,..] [--providers openai,anthropic,..]
   * [--as-of yyyy-mm-dd]}.
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Path json = null;
    Set<String> models = new LinkedHashSet<>();
    Set<String> providers = new LinkedHashSet<>();
    String asOf = LocalDate.now(java.time.ZoneOffset.UTC).toString();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("--models") || a.equals("--providers") || a.equals("--as-of"))
          && i + 1 < args.length) {
        String v = args[++i];
        if (a.equals("--as-of")) {
          asOf = v;
        } else {
          for (String item : v.split(",")) {
            if (!item.isBlank()) {
              (a.equals("--models") ? models : providers).add(item.strip());
            }
          }
        }
      } else if (json == null && !a.startsWith("--")) {
        json = Path.of(a);
      } else {
        return usage(err, "unexpected argument '" + a + "'");
      }
    }
    if (json == null) {
      return usage(err, "the JSON file is missing");
    }
    try {
      Set<String> providerModels = providers.isEmpty() ? Set.of() : providerModels(json, providers);
      Predicate<String> include =
          m ->
              (models.isEmpty() && providers.isEmpty())
                  || models.contains(m)
                  || providerModels.contains(m);
      Pricing.Builder table = Pricing.builder().asOf(asOf);
      List<String> skipped = new ArrayList<>();
      convert(json, include, table, skipped);
      Pricing pricing = table.build();
      out.println("# USD per 1,000 tokens, from LiteLLM's model_prices_and_context_window.json");
      out.println("defaults,exclude");
      out.println("as_of," + pricing.asOf());
      for (Pricing.Price row : pricing.rows()) {
        out.println(
            "price,"
                + row.model()
                + ","
                + row.tokenType()
                + ","
                + row.usdPer1kTokens().toPlainString()
                + (row.aboveInputTokens() > 0 ? ",above=" + row.aboveInputTokens() : ""));
      }
      for (String s : skipped) {
        err.println("left out: " + s);
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  private static Set<String> providerModels(Path json, Set<String> providers) {
    Set<String> found = new LinkedHashSet<>();
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(json, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException(json + " cannot be read (" + e + ")", e);
    }
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      @Nullable JsonNode provider = e.getValue().get("litellm_provider");
      if (provider != null && providers.contains(provider.asText())) {
        found.add(e.getKey());
      }
    }
    return found;
  }

  private static int usage(PrintStream err, String problem) {
    err.println(
        problem
            + ". Usage: LiteLlmPrices model_prices_and_context_window.json [--models a,b,..]"
            + " [--providers openai,anthropic,gemini] [--as-of yyyy-mm-dd] > pricing.csv");
    return 2;
  }
}
