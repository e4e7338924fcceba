package dev.vigil;

import dev.vigil.internal.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What AI tokens cost: US dollars per 1,000 tokens, per model and token type, so that every token
 * Vigil counts in {@code token_spend_total} also adds to {@code ai_cost_usd_total{model,type}}.
 *
 * <pre>{@code
 * // the seed's GPT-4 example: $0.03 per 1K input tokens, $0.06 per 1K output tokens
 * Pricing pricing = Pricing.defaults().toBuilder()
 *     .price("gpt-4", Pricing.INPUT, new BigDecimal("0.03"))
 *     .price("gpt-4", Pricing.OUTPUT, new BigDecimal("0.06"))
 *     .alias("gpt-4-0613", "gpt-4")                        // explicit: no prefix guessing
 *     .build();
 * Monitoring monitoring = Monitoring.builder("bot").pricing(pricing).build();
 * }</pre>
 *
 * <p>Models match exactly (after the label rules of the {@code model} label, if any) or through an
 * explicit {@link Builder#alias alias}; {@code gpt-4-0613} is never priced as {@code gpt-4} just
 * because the names start alike, since dated versions are often priced differently.
 *
 * <p><b>Token types.</b> Prices are given per kind of token: {@value #INPUT} (input at the full
 * rate), {@value #CACHE_READ} (input read from the provider's cache), {@value #CACHE_WRITE} and
 * {@value #CACHE_WRITE_1H} (input written to it, for 5 minutes or an hour), {@value #OUTPUT} and
 * {@value #REASONING}, or any other type name you track, such as {@code image}. Providers bill
 * reasoning as output (OpenAI, Anthropic, Google), so a model without a {@value #REASONING} price
 * prices it as {@value #OUTPUT}; no other type falls back to another. Tracked types are mapped to
 * priced types first; the defaults map the specification's {@code completion} to {@code output} (an
 * upper bound when a caller sends total tokens as completion: track input and output separately for
 * exact cost), {@code prompt} and {@code embedding} to {@code input}, and the earlier {@value
 * #CACHED_INPUT} to {@value #CACHE_READ}. Change them with {@link Builder#tokenType}.
 *
 * <p><b>Tiers.</b> Some providers charge more for every token of a request whose input passes a
 * size (Gemini 2.5 Pro and Claude Sonnet 4 above 200,000 input tokens). A price row may say {@code
 * above} that many input tokens; the request's whole input (the cache included) selects the tier,
 * which the provider usage entry points ({@code Kpi.openAiChatUsage(..)} and friends) know. A type
 * without a price in a tier keeps the price of the tier below. {@code Kpi.tokenSpend}, which
 * carries one kind at a time, is priced at the base tier.
 *
 * <p>A model or type without a price is never counted as $0: its tokens still go to {@code
 * token_spend_total}, they also go to {@code vigil_unpriced_tokens_total}, and Vigil warns once per
 * model.
 *
 * <p>The file format ({@link #fromFile}, or {@code VIGIL_PRICING_FILE}) is CSV whose first column
 * names the kind of row, so a finance spreadsheet can export it and model ids with dots and colons
 * ({@code gpt-3.5-turbo}, {@code ft:gpt-4o:acme:1}) need no escaping. A price row may end with
 * {@code above=<input tokens>} (its tier) and {@code as_of=<yyyy-mm-dd>} (when the price was taken;
 * rows without one have the table's date):
 *
 * <pre>
 * # USD per 1,000 tokens
 * as_of,2025-06-01
 * price,gpt-4,input,0.03
 * price,gpt-4,output,0.06
 * price,gemini-2.5-pro,input,0.0025,above=200000,as_of=2025-09-01
 * alias,gpt-4-0613,gpt-4
 * token_type,completion,output
 * defaults,exclude            # optional: start from an empty table instead of the defaults
 * </pre>
 *
 * <p>{@code LiteLlmPrices} in {@code vigil-pricing-litellm} turns LiteLLM's {@code
 * model_prices_and_context_window.json} into this format. Instances are immutable and thread-safe.
 */
public final class Pricing {
  /** Prompt tokens. */
  public static final String INPUT = "input";

  /** Generated tokens. */
  public static final String OUTPUT = "output";

  /** Input tokens read from the provider's cache, usually priced lower than {@link #INPUT}. */
  public static final String CACHE_READ = "cache_read";

  /** Input tokens written to the provider's cache (Anthropic: 5-minute writes). */
  public static final String CACHE_WRITE = "cache_write";

  /** Input tokens written to the provider's cache for an hour (Anthropic). */
  public static final String CACHE_WRITE_1H = "cache_write_1h";

  /** Output tokens spent reasoning; priced as {@link #OUTPUT} unless a model has its own price. */
  public static final String REASONING = "reasoning";

  /**
   * The type earlier versions tracked cache reads as: priced as {@link #CACHE_READ}, and a price
   * row for it sets the {@link #CACHE_READ} price.
   */
  public static final String CACHED_INPUT = "cached_input";

  /** The most tiers above the base price a model may have. */
  static final int MAX_TIERS = 8;

  /** The largest price accepted, in USD per 1,000 tokens; anything above is a typo. */
  static final BigDecimal MAX_PRICE = BigDecimal.valueOf(1_000_000);

  /** Prices are kept in nano-dollars per 1,000 tokens. */
  static final int PRICE_SCALE = 9;

  private static final Pattern TOKEN_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Pattern EXCLUDE_DEFAULTS =
      Pattern.compile("(?im)^[ \\t]*defaults[ \\t]*,[ \\t]*exclude[ \\t]*(#.*)?$");
  private static final String DEFAULT_TABLE = "default-pricing.csv";
  private static final Pricing DEFAULTS = loadDefaults();

  /** Model, then tier (0 is the base price), then priced type, to its row. */
  private final Map<String, Tiers> models;

  private final Map<String, Map<String, BigDecimal>> basePrices;
  private final Map<String, String> aliases;
  private final Map<String, String> tokenTypes;
  private final @Nullable String asOf;

  private Pricing(Builder b) {
    Map<String, Tiers> copy = new TreeMap<>();
    Map<String, Map<String, BigDecimal>> base = new TreeMap<>();
    b.rows.forEach(
        (model, byTier) -> {
          Tiers tiers = new Tiers(byTier, b.asOf);
          copy.put(model, tiers);
          Map<String, BigDecimal> byType = new TreeMap<>();
          Map<String, Price> baseRows = byTier.get(0L);
          if (baseRows != null) {
            baseRows.forEach((type, row) -> byType.put(type, row.usdPer1kTokens()));
          }
          base.put(model, Collections.unmodifiableMap(byType));
        });
    this.models = Collections.unmodifiableMap(copy);
    this.basePrices = Collections.unmodifiableMap(base);
    this.aliases = Collections.unmodifiableMap(new TreeMap<>(b.aliases));
    this.tokenTypes = Collections.unmodifiableMap(new TreeMap<>(b.tokenTypes));
    this.asOf = b.asOf;
  }

  /**
   * One price of the table.
   *
   * @param model the model it prices, as the provider spells it
   * @param tokenType the priced token type, such as {@value #INPUT} or {@value #CACHE_READ}
   * @param usdPer1kTokens US dollars per 1,000 tokens
   * @param aboveInputTokens 0 for the base price; else the price of requests whose input (the cache
   *     included) has more tokens than this
   * @param asOf when the price was taken from its source ({@code yyyy-mm-dd}): the row's own date,
   *     else the table's; null if neither is known
   */
  public record Price(
      String model,
      String tokenType,
      BigDecimal usdPer1kTokens,
      long aboveInputTokens,
      @Nullable String asOf) {}

  /**
   * The default table: list prices of common OpenAI, Anthropic and Google models, dated by {@link
   * #asOf()} and row by row. Provider prices change; override what you use, or replace the table.
   */
  public static Pricing defaults() {
    return DEFAULTS;
  }

  /** A table with no prices: every token is unpriced. */
  public static Pricing none() {
    return builder().build();
  }

  /**
   * An empty table with the default token-type mapping ({@code completion}, {@code prompt}, {@code
   * embedding} and {@code cached_input}); use {@code Pricing.defaults().toBuilder()} to start from
   * the defaults.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this table, to override or add prices. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.tokenTypes.clear();
    models.forEach(
        (model, tiers) -> {
          Map<Long, Map<String, Price>> byTier = new TreeMap<>();
          for (int t = 0; t < tiers.above.length; t++) {
            Map<String, Price> rows = new LinkedHashMap<>();
            for (Price row : tiers.rows.get(t).values()) {
              rows.put(row.tokenType(), tiers.ownDate.contains(row) ? row : undated(row));
            }
            byTier.put(tiers.above[t], rows);
          }
          b.rows.put(model, byTier);
        });
    b.aliases.putAll(aliases);
    b.tokenTypes.putAll(tokenTypes);
    b.asOf = asOf;
    return b;
  }

  private static Price undated(Price row) {
    return new Price(
        row.model(), row.tokenType(), row.usdPer1kTokens(), row.aboveInputTokens(), null);
  }

  /**
   * Reads a pricing file (the format is in the class description). Its rows override the {@link
   * #defaults()} unless it has a {@code defaults,exclude} row.
   *
   * @throws IllegalArgumentException naming the file and line, if the file cannot be read or a row
   *     is malformed
   */
  public static Pricing fromFile(Path file) {
    Objects.requireNonNull(file, "file must not be null");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Pricing file "
              + file
              + " cannot be read ("
              + e
              + "). Check the path in"
              + " VIGIL_PRICING_FILE or Pricing.fromFile(..).",
          e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses pricing rows given as text; {@code source} names them in error messages. Like {@link
   * #fromFile}, the rows override the defaults unless one says {@code defaults,exclude}.
   */
  public static Pricing parse(String csv, String source) {
    Objects.requireNonNull(csv, "csv must not be null");
    Objects.requireNonNull(source, "source must not be null");
    Builder table = EXCLUDE_DEFAULTS.matcher(csv).find() ? builder() : DEFAULTS.toBuilder();
    read(csv, source, table);
    try {
      return table.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * The base price of {@code tokenType} tokens of {@code model}, in USD per 1,000 tokens, after
   * token type mapping, aliases and the reasoning-as-output rule; {@code null} if there is none.
   */
  public @Nullable BigDecimal pricePer1k(String model, String tokenType) {
    return pricePer1k(model, tokenType, 0);
  }

  /**
   * The price of {@code tokenType} tokens of {@code model} in a request of {@code
   * requestInputTokens} input tokens (the cache included), which selects the tier; {@code null} if
   * there is none.
   */
  public @Nullable BigDecimal pricePer1k(String model, String tokenType, long requestInputTokens) {
    Price row = price(model, tokenType, requestInputTokens);
    return row == null ? null : row.usdPer1kTokens();
  }

  /**
   * The row that prices {@code tokenType} tokens of {@code model} in a request of {@code
   * requestInputTokens} input tokens, with its date and tier; {@code null} if there is none.
   */
  public @Nullable Price price(String model, String tokenType, long requestInputTokens) {
    Tiers tiers = models.get(resolveModel(model));
    if (tiers == null) {
      return null;
    }
    String type = pricedType(tokenType);
    int tier = tiers.tier(requestInputTokens);
    Price row = tiers.find(type, tier);
    if (row == null && type.equals(REASONING)) {
      row = tiers.find(OUTPUT, tier);
    }
    return row;
  }

  /**
   * The tiers of {@code model} (or the model it is an alias of): the input sizes, in ascending
   * order, above which a request is priced at a higher tier; empty for a model with one price.
   */
  public List<Long> tierThresholds(String model) {
    Tiers tiers = models.get(resolveModel(model));
    if (tiers == null || tiers.above.length == 1) {
      return List.of();
    }
    List<Long> thresholds = new ArrayList<>(tiers.above.length - 1);
    for (int t = 1; t < tiers.above.length; t++) {
      thresholds.add(tiers.above[t]);
    }
    return Collections.unmodifiableList(thresholds);
  }

  /** The model whose prices {@code model} uses: itself, or the model it is an alias of. */
  public String resolveModel(String model) {
    if (models.containsKey(model)) {
      return model;
    }
    String target = aliases.get(model);
    return target == null ? model : target;
  }

  /** The token type {@code trackedType} is priced as, such as {@code output} for completion. */
  public String pricedType(String trackedType) {
    String mapped = tokenTypes.get(trackedType);
    return mapped == null ? trackedType : mapped;
  }

  /** Whether {@code model} (or the model it is an alias of) has any price. */
  public boolean hasModel(String model) {
    return models.containsKey(resolveModel(model));
  }

  /** Model, then priced token type, to the base price in USD per 1,000 tokens. */
  public Map<String, Map<String, BigDecimal>> prices() {
    return basePrices;
  }

  /** Every price of the table, by model, tier and token type. */
  public List<Price> rows() {
    List<Price> all = new ArrayList<>();
    for (Tiers tiers : models.values()) {
      for (Map<String, Price> rows : tiers.rows) {
        all.addAll(rows.values());
      }
    }
    return Collections.unmodifiableList(all);
  }

  /** Alias to the model it is priced as. */
  public Map<String, String> aliases() {
    return aliases;
  }

  /** Tracked token type to the token type it is priced as. */
  public Map<String, String> tokenTypes() {
    return tokenTypes;
  }

  /**
   * The date of the table ({@code yyyy-mm-dd}), if known: its {@code as_of} row, the date of the
   * rows that have none of their own.
   */
  public @Nullable String asOf() {
    return asOf;
  }

  @Override
  public String toString() {
    return "Pricing{asOf="
        + asOf
        + ", models="
        + models.keySet()
        + ", aliases="
        + aliases.size()
        + ", tokenTypes="
        + tokenTypes
        + '}';
  }

  /** The rows of one model: base prices first, then each tier, by ascending threshold. */
  private static final class Tiers {
    final long[] above;
    final List<Map<String, Price>> rows;

    /** The rows that carry a date of their own (the others show the table's). */
    final java.util.Set<Price> ownDate = new java.util.HashSet<>();

    Tiers(Map<Long, Map<String, Price>> byTier, @Nullable String tableDate) {
      Map<Long, Map<String, Price>> sorted = new TreeMap<>(byTier);
      if (!sorted.containsKey(0L)) {
        sorted.put(0L, Map.of());
      }
      above = new long[sorted.size()];
      List<Map<String, Price>> all = new ArrayList<>(sorted.size());
      int t = 0;
      for (Map.Entry<Long, Map<String, Price>> e : sorted.entrySet()) {
        above[t] = e.getKey();
        Map<String, Price> dated = new TreeMap<>();
        for (Price row : e.getValue().values()) {
          if (row.asOf() != null || tableDate == null) {
            dated.put(row.tokenType(), row);
            if (row.asOf() != null) {
              ownDate.add(row);
            }
          } else {
            dated.put(
                row.tokenType(),
                new Price(
                    row.model(),
                    row.tokenType(),
                    row.usdPer1kTokens(),
                    row.aboveInputTokens(),
                    tableDate));
          }
        }
        all.add(Collections.unmodifiableMap(dated));
        t++;
      }
      rows = List.copyOf(all);
    }

    /** The highest tier whose threshold the request's input passes. */
    int tier(long requestInputTokens) {
      int t = 0;
      while (t + 1 < above.length && requestInputTokens > above[t + 1]) {
        t++;
      }
      return t;
    }

    /** The row of {@code type} at {@code tier}, or of the nearest tier below that has one. */
    @Nullable Price find(String type, int tier) {
      for (int t = tier; t >= 0; t--) {
        Price row = rows.get(t).get(type);
        if (row != null) {
          return row;
        }
      }
      return null;
    }
  }

  /** Applies the rows of {@code csv} to {@code into}, naming the source and line on errors. */
  private static void read(String csv, String source, Builder into) {
    String[] lines = csv.split("\r?\n|\r", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = stripComment(lines[n]).strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = source + " line " + (n + 1);
      if (line.indexOf('"') >= 0) {
        throw new IllegalArgumentException(
            where
                + ": quotes are not supported; model ids and token types never contain commas,"
                + " so write the values bare, e.g. price,gpt-4,input,0.03");
      }
      String[] cells = line.split(",", -1);
      for (int i = 0; i < cells.length; i++) {
        cells[i] = cells[i].strip();
      }
      String kind = cells[0].toLowerCase(Locale.ROOT);
      try {
        switch (kind) {
          case "price":
            priceRow(cells, into);
            break;
          case "alias":
            expect(cells, 3, "alias,<alias>,<model>");
            into.alias(cells[1], cells[2]);
            break;
          case "token_type":
            expect(cells, 3, "token_type,<tracked type>,<priced type>");
            into.tokenType(cells[1], cells[2]);
            break;
          case "as_of":
            expect(cells, 2, "as_of,<yyyy-mm-dd>");
            into.asOf(cells[1]);
            break;
          case "defaults":
            // Applied before reading (see EXCLUDE_DEFAULTS); only checked here.
            expect(cells, 2, "defaults,include or defaults,exclude");
            if (!cells[1].equalsIgnoreCase("exclude") && !cells[1].equalsIgnoreCase("include")) {
              throw new IllegalArgumentException(
                  "expected defaults,include or defaults,exclude, got '" + line + "'");
            }
            break;
          default:
            throw new IllegalArgumentException(
                "unknown row kind '"
                    + cells[0]
                    + "'; rows start with price, alias, token_type,"
                    + " as_of or defaults, e.g. price,gpt-4,input,0.03");
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
  }

  private static final String PRICE_FORM =
      "price,<model>,<token type>,<usd per 1000 tokens>[,above=<input tokens>][,as_of=<date>]";

  private static void priceRow(String[] cells, Builder into) {
    if (cells.length < 4 || cells.length > 6) {
      expect(cells, 4, PRICE_FORM);
    }
    long above = 0;
    String date = null;
    for (int i = 4; i < cells.length; i++) {
      String cell = cells[i];
      int eq = cell.indexOf('=');
      String key = eq < 0 ? "" : cell.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "" : cell.substring(eq + 1).strip();
      if (key.equals("above") && above == 0) {
        above = inputTokens(value);
      } else if (key.equals("as_of") && date == null) {
        date = value;
      } else {
        throw new IllegalArgumentException(
            "'"
                + cell
                + "' is neither above=<input tokens> nor as_of=<yyyy-mm-dd> (each at most once);"
                + " a price row is "
                + PRICE_FORM);
      }
    }
    into.price(cells[1], cells[2], decimal(cells[3]), above, date);
  }

  private static long inputTokens(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "above="
              + text
              + " is not a whole number of input tokens, such as above=200000 for requests of more"
              + " than 200,000 input tokens",
          e);
    }
  }

  private static String stripComment(String line) {
    int hash = line.indexOf('#');
    return hash < 0 ? line : line.substring(0, hash);
  }

  private static void expect(String[] cells, int count, String form) {
    if (cells.length != count) {
      throw new IllegalArgumentException(
          "expected "
              + count
              + " values ("
              + form
              + "), got "
              + cells.length
              + ": '"
              + String.join(",", cells)
              + "'");
    }
  }

  private static BigDecimal decimal(String text) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a decimal number of US dollars per 1,000 tokens, such as 0.03", e);
    }
  }

  private static Pricing loadDefaults() {
    try (InputStream in = Pricing.class.getResourceAsStream(DEFAULT_TABLE)) {
      if (in == null) {
        throw new IllegalStateException("Vigil's default pricing table is missing from the jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Builder b = builder();
      read(text, DEFAULT_TABLE, b);
      return b.build();
    } catch (IOException e) {
      throw new IllegalStateException("Vigil's default pricing table cannot be read", e);
    }
  }

  /**
   * Builds a {@link Pricing}. Each call checks its arguments at once and names the fix. A later
   * call for the same model, type and tier replaces the earlier price; {@link #price} and {@link
   * #alias} for the same name replace each other.
   */
  public static final class Builder {
    /** Model, then tier threshold (0 for the base price), then priced type, to its row. */
    private final Map<String, Map<Long, Map<String, Price>>> rows = new LinkedHashMap<>();

    private final Map<String, String> aliases = new LinkedHashMap<>();
    private final Map<String, String> tokenTypes = new LinkedHashMap<>();
    private @Nullable String asOf;

    private Builder() {
      tokenTypes.put("completion", OUTPUT);
      tokenTypes.put("prompt", INPUT);
      tokenTypes.put("embedding", INPUT);
      tokenTypes.put(CACHED_INPUT, CACHE_READ);
    }

    /**
     * Sets the base price of {@code tokenType} tokens of {@code model}.
     *
     * @param usdPer1kTokens US dollars per 1,000 tokens, at most 9 decimal places, such as {@code
     *     new BigDecimal("0.03")}
     */
    public Builder price(String model, String tokenType, BigDecimal usdPer1kTokens) {
      return price(model, tokenType, usdPer1kTokens, 0, null);
    }

    /** Same as {@link #price(String, String, BigDecimal)}, with the price as decimal text. */
    public Builder price(String model, String tokenType, String usdPer1kTokens) {
      Objects.requireNonNull(usdPer1kTokens, "price must not be null");
      if (usdPer1kTokens.length() > 64) {
        // Parsing decimal text costs time quadratic in its length; no price is this long.
        throw new IllegalArgumentException(
            "price of "
                + Printable.text(model)
                + "/"
                + Printable.text(tokenType)
                + " is not a decimal number of US dollars per"
                + " 1,000 tokens ("
                + Printable.text(usdPer1kTokens)
                + ")");
      }
      return price(model, tokenType, decimal(usdPer1kTokens.strip()));
    }

    /**
     * Sets a price with its tier and date.
     *
     * @param aboveInputTokens 0 for the base price; else the price applies to requests with more
     *     input tokens than this (the cache included), such as {@code 200_000}
     * @param asOf when the price was taken, {@code yyyy-mm-dd}; null for the table's date
     */
    public Builder price(
        String model,
        String tokenType,
        BigDecimal usdPer1kTokens,
        long aboveInputTokens,
        @Nullable String asOf) {
      String m = model(model, "price(model, ..)");
      String type = checkType(tokenType, "price(.., tokenType, ..)");
      if (type.equals(CACHED_INPUT)) {
        type = CACHE_READ; // the earlier name of the same price
      }
      Objects.requireNonNull(usdPer1kTokens, "price of " + m + "/" + type + " must not be null");
      if (usdPer1kTokens.signum() < 0 || usdPer1kTokens.compareTo(MAX_PRICE) > 0) {
        throw new IllegalArgumentException(
            "price of "
                + m
                + "/"
                + type
                + " must be between 0 and "
                + MAX_PRICE
                + " US dollars per 1,000 tokens, got "
                + Printable.decimal(usdPer1kTokens));
      }
      BigDecimal exact = usdPer1kTokens.stripTrailingZeros();
      if (exact.scale() > PRICE_SCALE) {
        throw new IllegalArgumentException(
            "price of "
                + m
                + "/"
                + type
                + " has more than "
                + PRICE_SCALE
                + " decimal places ("
                + Printable.decimal(usdPer1kTokens)
                + "); prices are kept in"
                + " nano-dollars per 1,000 tokens. Round it, e.g. 0.000000125 for $0.125 per"
                + " million tokens.");
      }
      if (aboveInputTokens < 0 || aboveInputTokens > 1_000_000_000_000L) {
        throw new IllegalArgumentException(
            "price of "
                + m
                + "/"
                + type
                + ": the tier's input size must be between 1 and 10^12 tokens (0 for the base"
                + " price), got "
                + aboveInputTokens);
      }
      String date = asOf == null ? null : date(asOf, "price(.., asOf) of " + m + "/" + type);
      Map<Long, Map<String, Price>> byTier = rows.computeIfAbsent(m, k -> new TreeMap<>());
      if (!byTier.containsKey(aboveInputTokens) && byTier.size() > MAX_TIERS) {
        throw new IllegalArgumentException(
            "model "
                + m
                + " has more than "
                + MAX_TIERS
                + " price tiers; a provider has one or two");
      }
      aliases.remove(m);
      byTier
          .computeIfAbsent(aboveInputTokens, k -> new LinkedHashMap<>())
          .put(
              type,
              new Price(
                  m, type, exact.scale() < 0 ? exact.setScale(0) : exact, aboveInputTokens, date));
      return this;
    }

    /**
     * Prices {@code alias} exactly as {@code model}, for dated versions and provider aliases
     * ({@code gpt-4-0613} as {@code gpt-4}). {@code model} must have prices when {@link #build()}
     * runs.
     */
    public Builder alias(String alias, String model) {
      String a = model(alias, "alias(alias, ..)");
      String m = model(model, "alias(.., model)");
      if (a.equals(m)) {
        throw new IllegalArgumentException("alias '" + a + "' must name a different model");
      }
      rows.remove(a);
      aliases.put(a, m);
      return this;
    }

    /**
     * Prices tokens tracked with type {@code trackedType} as {@code pricedType}, such as {@code
     * tokenType("completion", "output")} (a default).
     */
    public Builder tokenType(String trackedType, String pricedType) {
      String tracked = checkType(trackedType, "tokenType(trackedType, ..)");
      String priced = checkType(pricedType, "tokenType(.., pricedType)");
      if (tracked.equals(priced)) {
        tokenTypes.remove(tracked);
      } else {
        tokenTypes.put(tracked, priced);
      }
      return this;
    }

    /** The date of the table, {@code yyyy-mm-dd}: of every price without a date of its own. */
    public Builder asOf(String date) {
      this.asOf = date(date, "asOf");
      return this;
    }

    private static String date(String date, String where) {
      Objects.requireNonNull(date, where + " must not be null");
      try {
        java.time.LocalDate.parse(date.strip());
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            where + " must be a date such as 2025-06-01, got '" + Printable.text(date) + "'", e);
      }
      return date.strip();
    }

    /**
     * @throws IllegalArgumentException if an alias points to a model without prices
     */
    public Pricing build() {
      for (Map.Entry<String, String> alias : aliases.entrySet()) {
        if (!rows.containsKey(alias.getValue())) {
          throw new IllegalArgumentException(
              "alias '"
                  + alias.getKey()
                  + "' points to '"
                  + alias.getValue()
                  + "', which has no prices (aliases cannot point to aliases). Add"
                  + " price(\""
                  + alias.getValue()
                  + "\", ..) or point the alias to a priced"
                  + " model.");
        }
      }
      return new Pricing(this);
    }

    private static String model(@Nullable String model, String where) {
      Objects.requireNonNull(model, where + ": model must not be null");
      String m = model.strip();
      if (m.isEmpty() || m.length() > 256 || hasControlOrSpace(m)) {
        throw new IllegalArgumentException(
            where
                + ": a model id is a non-blank name without spaces or control characters, as"
                + " the provider spells it (e.g. gpt-4o-mini), got '"
                + model
                + "'");
      }
      return m;
    }

    private static String checkType(@Nullable String type, String where) {
      Objects.requireNonNull(type, where + ": token type must not be null");
      String t = type.strip();
      if (!TOKEN_TYPE.matcher(t).matches()) {
        throw new IllegalArgumentException(
            where
                + ": a token type is lower case letters, digits and underscores, such as "
                + INPUT
                + ", "
                + OUTPUT
                + " or "
                + CACHE_READ
                + ", got '"
                + type
                + "'");
      }
      return t;
    }

    private static boolean hasControlOrSpace(String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (Character.isISOControl(c) || Character.isWhitespace(c)) {
          return true;
        }
      }
      return false;
    }
  }
}
