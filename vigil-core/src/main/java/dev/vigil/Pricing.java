package dev.vigil;

import dev.vigil.internal.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What AI tokens cost: US dollars per 1,000 tokens, per model and token type, so that every {@code
 * token_spend} event also adds to {@code ai_cost_usd_total{model,type}}.
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
 * <p>Token types: prices are given for {@value #INPUT}, {@value #OUTPUT} and {@value #CACHED_INPUT}
 * (where a provider prices cached input), or for any other type name you use, such as {@code
 * image}. Tracked types are mapped to priced types first; the defaults map the specification's
 * {@code completion} to {@code output} (an upper bound when a caller sends total tokens as
 * completion: track input and output separately for exact cost), {@code prompt} to {@code input}
 * and {@code embedding} to {@code input}. Change them with {@link Builder#tokenType}.
 *
 * <p>A model or type without a price is never counted as $0: its tokens still go to {@code
 * token_spend_total}, they also go to {@code vigil_unpriced_tokens_total}, and Vigil warns once per
 * model.
 *
 * <p>The file format ({@link #fromFile}, or {@code VIGIL_PRICING_FILE}) is CSV whose first column
 * names the kind of row, so a finance spreadsheet can export it and model ids with dots and colons
 * ({@code gpt-3.5-turbo}, {@code ft:gpt-4o:acme:1}) need no escaping:
 *
 * <pre>
 * # USD per 1,000 tokens
 * as_of,2025-06-01
 * price,gpt-4,input,0.03
 * price,gpt-4,output,0.06
 * alias,gpt-4-0613,gpt-4
 * token_type,completion,output
 * defaults,exclude            # optional: start from an empty table instead of the defaults
 * </pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Pricing {
  /** Prompt tokens. */
  public static final String INPUT = "input";

  /** Generated tokens. */
  public static final String OUTPUT = "output";

  /** Prompt tokens served from the provider's cache, where the provider prices them lower. */
  public static final String CACHED_INPUT = "cached_input";

  /** The largest price accepted, in USD per 1,000 tokens; anything above is a typo. */
  static final BigDecimal MAX_PRICE = BigDecimal.valueOf(1_000_000);

  /** Prices are kept in nano-dollars per 1,000 tokens. */
  static final int PRICE_SCALE = 9;

  private static final Pattern TOKEN_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Pattern EXCLUDE_DEFAULTS =
      Pattern.compile("(?im)^[ \\t]*defaults[ \\t]*,[ \\t]*exclude[ \\t]*(#.*)?$");
  private static final String DEFAULT_TABLE = "default-pricing.csv";
  private static final Pricing DEFAULTS = loadDefaults();

  private final Map<String, Map<String, BigDecimal>> prices;
  private final Map<String, String> aliases;
  private final Map<String, String> tokenTypes;
  private final @Nullable String asOf;

  private Pricing(Builder b) {
    Map<String, Map<String, BigDecimal>> copy = new TreeMap<>();
    b.prices.forEach(
        (model, byType) -> copy.put(model, Collections.unmodifiableMap(new TreeMap<>(byType))));
    this.prices = Collections.unmodifiableMap(copy);
    this.aliases = Collections.unmodifiableMap(new TreeMap<>(b.aliases));
    this.tokenTypes = Collections.unmodifiableMap(new TreeMap<>(b.tokenTypes));
    this.asOf = b.asOf;
  }

  /**
   * The default table: list prices of common OpenAI and Anthropic models, dated by {@link #asOf()}.
   * Provider prices change; override what you use, or replace the table.
   */
  public static Pricing defaults() {
    return DEFAULTS;
  }

  /** A table with no prices: every token is unpriced. */
  public static Pricing none() {
    return builder().build();
  }

  /**
   * An empty table with the default token-type mapping ({@code completion} and {@code prompt} and
   * {@code embedding}); use {@code Pricing.defaults().toBuilder()} to start from the defaults.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this table, to override or add prices. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.tokenTypes.clear();
    prices.forEach((model, byType) -> b.prices.put(model, new LinkedHashMap<>(byType)));
    b.aliases.putAll(aliases);
    b.tokenTypes.putAll(tokenTypes);
    b.asOf = asOf;
    return b;
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
   * The price of {@code tokenType} tokens of {@code model}, in USD per 1,000 tokens, after token
   * type mapping and aliases; {@code null} if there is none.
   */
  public @Nullable BigDecimal pricePer1k(String model, String tokenType) {
    Map<String, BigDecimal> byType = prices.get(resolveModel(model));
    return byType == null ? null : byType.get(pricedType(tokenType));
  }

  /** The model whose prices {@code model} uses: itself, or the model it is an alias of. */
  public String resolveModel(String model) {
    if (prices.containsKey(model)) {
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
    return prices.containsKey(resolveModel(model));
  }

  /** Model, then priced token type, to USD per 1,000 tokens. */
  public Map<String, Map<String, BigDecimal>> prices() {
    return prices;
  }

  /** Alias to the model it is priced as. */
  public Map<String, String> aliases() {
    return aliases;
  }

  /** Tracked token type to the token type it is priced as. */
  public Map<String, String> tokenTypes() {
    return tokenTypes;
  }

  /** The date the prices were taken from their source ({@code yyyy-mm-dd}), if known. */
  public @Nullable String asOf() {
    return asOf;
  }

  @Override
  public String toString() {
    return "Pricing{asOf="
        + asOf
        + ", models="
        + prices.keySet()
        + ", aliases="
        + aliases.size()
        + ", tokenTypes="
        + tokenTypes
        + '}';
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
            expect(cells, 4, "price,<model>,<token type>,<usd per 1000 tokens>");
            into.price(cells[1], cells[2], decimal(cells[3]));
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
   * call for the same model and type replaces the earlier price; {@link #price} and {@link #alias}
   * for the same name replace each other.
   */
  public static final class Builder {
    private final Map<String, Map<String, BigDecimal>> prices = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private final Map<String, String> tokenTypes = new LinkedHashMap<>();
    private @Nullable String asOf;

    private Builder() {
      tokenTypes.put("completion", OUTPUT);
      tokenTypes.put("prompt", INPUT);
      tokenTypes.put("embedding", INPUT);
    }

    /**
     * Sets the price of {@code tokenType} tokens of {@code model}.
     *
     * @param usdPer1kTokens US dollars per 1,000 tokens, at most 9 decimal places, such as {@code
     *     new BigDecimal("0.03")}
     */
    public Builder price(String model, String tokenType, BigDecimal usdPer1kTokens) {
      String m = model(model, "price(model, ..)");
      String type = checkType(tokenType, "price(.., tokenType, ..)");
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
      aliases.remove(m);
      prices
          .computeIfAbsent(m, k -> new LinkedHashMap<>())
          .put(type, exact.scale() < 0 ? exact.setScale(0) : exact);
      return this;
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
      prices.remove(a);
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

    /** The date the prices were taken from their source, as {@code yyyy-mm-dd}. */
    public Builder asOf(String date) {
      Objects.requireNonNull(date, "asOf must not be null");
      try {
        java.time.LocalDate.parse(date.strip());
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            "asOf must be a date such as 2025-06-01, got '" + date + "'", e);
      }
      this.asOf = date.strip();
      return this;
    }

    /**
     * @throws IllegalArgumentException if an alias points to a model without prices
     */
    public Pricing build() {
      for (Map.Entry<String, String> alias : aliases.entrySet()) {
        if (!prices.containsKey(alias.getValue())) {
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
                + CACHED_INPUT
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
