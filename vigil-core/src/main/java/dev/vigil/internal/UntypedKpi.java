package dev.vigil.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The specification's untyped form, {@code trackKpi("token_spend", Map.of("tokens", 1500, ...))}:
 * reads the fields of one event out of the caller's map and records it through {@link
 * KpiDispatch#record}, as the typed {@code Kpi} overloads do.
 *
 * <p>The map and its values come from code Vigil does not control, so every read is bounded and
 * guarded: only the specification's fields are looked up (never iterated, so a huge or
 * self-referential map costs nothing more), a label field must be text or a plain scalar (a map or
 * list is the wrong type, never printed), a {@code toString()} or {@code get} that throws drops the
 * event as {@code unreadable_value}, and numbers are range-checked before any arithmetic whose cost
 * grows with them ({@code BigDecimal} scale, {@code BigInteger} length).
 */
public final class UntypedKpi {
  static final String ACTIVE_USER = "active_user";
  static final String GENERATION_SUCCESS = "generation_success";
  static final String GENERATION_FAILURE = "generation_failure";
  static final String TOKEN_SPEND = "token_spend";
  static final String PAYMENT_CONVERSION = "payment_conversion";
  static final String PAYMENT_FAILURE = "payment_failure";

  private static final int MAX_TYPE_LENGTH = 64;

  /** Decimal text longer than this is not an amount of money (parsing it costs quadratic time). */
  private static final int MAX_AMOUNT_TEXT = 64;

  /** The largest scale of a token count that is still looked at ({@code 1500.000} is 1500). */
  private static final int MAX_TOKEN_SCALE = 1100;

  private final CoreMetrics core;
  private final String knownTypes;

  public UntypedKpi(CoreMetrics core, String knownTypes) {
    this.core = core;
    this.knownTypes = knownTypes;
  }

  /** Thrown inside {@link #track} when a field cannot be read; reported once, event dropped. */
  private static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;
    final String field;
    final transient Throwable failure;

    Unreadable(String field, Throwable failure) {
      super(null, null, false, false);
      this.field = field;
      this.failure = failure;
    }
  }

  /** A label field that is a map, a list or an array: never printed, the event is dropped. */
  private static final class NotText extends Exception {
    private static final long serialVersionUID = 1L;
    final String field;
    final String type;

    NotText(String field, String type) {
      super(null, null, false, false);
      this.field = field;
      this.type = type;
    }
  }

  /** Never throws, except {@link IllegalArgumentException} in strict mode. */
  public void track(@Nullable String type, @Nullable Map<String, ?> data) {
    String kpiType = type == null ? "" : type.length() > MAX_TYPE_LENGTH ? type : type.strip();
    try {
      switch (kpiType) {
        case ACTIVE_USER:
          core.kpis().record(KpiDispatch.ACTIVE_USER, 0, text(data, "userId"), null, null, null);
          break;
        case GENERATION_SUCCESS:
          core.kpis()
              .record(KpiDispatch.GENERATION_SUCCESS, 0, text(data, "type"), null, null, null);
          break;
        case GENERATION_FAILURE:
          core.kpis()
              .record(
                  KpiDispatch.GENERATION_FAILURE,
                  0,
                  text(data, "type"),
                  text(data, "errorType"),
                  null,
                  null);
          break;
        case TOKEN_SPEND:
          tokens(data);
          break;
        case PAYMENT_CONVERSION:
          core.kpis()
              .record(
                  KpiDispatch.PAYMENT_CONVERSION,
                  0,
                  text(data, "paymentMethod"),
                  text(data, "plan"),
                  text(data, "currency"),
                  amount(get(data, "amount")));
          break;
        case PAYMENT_FAILURE:
          core.kpis()
              .record(
                  KpiDispatch.PAYMENT_FAILURE,
                  0,
                  text(data, "paymentId"),
                  text(data, "paymentMethod"),
                  text(data, "errorType"),
                  null);
          break;
        default:
          core.guard()
              .reject(
                  "trackKpi",
                  InvalidReason.UNKNOWN_KPI_TYPE,
                  "trackKpi: unknown KPI type '"
                      + Printable.text(type)
                      + "'; event dropped. Use one of "
                      + knownTypes
                      + ", or declare a custom KPI with monitoring.metrics().counter(..).");
      }
    } catch (Unreadable e) {
      core.guard().unreadable(kpiType, "the '" + e.field + "' field", e.failure, "event dropped");
    } catch (NotText e) {
      core.guard()
          .reject(
              kpiType,
              InvalidReason.WRONG_TYPE,
              kpiType
                  + ": the '"
                  + e.field
                  + "' field is a "
                  + e.type
                  + ", but label fields are text; event dropped. Pass a string from a small"
                  + " fixed set, such as \"image\".");
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      if (core.guard().strict() && e instanceof IllegalArgumentException) {
        throw (IllegalArgumentException) e;
      }
      core.internalError("trackKpi", e);
    }
  }

  private static @Nullable Object get(@Nullable Map<String, ?> data, String field)
      throws Unreadable {
    if (data == null) {
      return null;
    }
    try {
      Object value = data.get(field);
      String label = LABEL_SPELLING.get(field);
      // The specification writes errorType; the label is error_type: take either, camelCase first.
      return value == null && label != null ? data.get(label) : value;
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      throw new Unreadable(field, t);
    }
  }

  private static final Map<String, String> LABEL_SPELLING =
      Map.of(
          "userId", "user_id",
          "errorType", "error_type",
          "paymentMethod", "payment_method",
          "paymentId", "payment_id");

  /** A label field as text: strings as they are, scalars printed, anything else refused. */
  private static @Nullable String text(@Nullable Map<String, ?> data, String field)
      throws Unreadable, NotText {
    Object value = get(data, field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    if (value instanceof Map
        || value instanceof Collection
        || value instanceof Iterable
        || value.getClass().isArray()) {
      throw new NotText(field, value.getClass().getSimpleName());
    }
    if (value instanceof BigInteger || value instanceof BigDecimal) {
      return Printable.value(value); // bounded: a huge one's decimal text is slow to build
    }
    try {
      return value.toString();
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      throw new Unreadable(field, t);
    }
  }

  private void tokens(@Nullable Map<String, ?> data) throws Unreadable, NotText {
    Object usage = get(data, "usage");
    if (usage != null) {
      usage(data, usage);
      return;
    }
    Object tokens = get(data, "tokens");
    String model = text(data, "model");
    String tokenType = text(data, "type");
    String userId = text(data, "userId");
    if (tokens instanceof Long
        || tokens instanceof Integer
        || tokens instanceof Short
        || tokens instanceof Byte) {
      record(((Number) tokens).longValue(), model, tokenType, userId);
    } else if (tokens instanceof Double || tokens instanceof Float) {
      double d = ((Number) tokens).doubleValue();
      if (!Double.isFinite(d)) {
        core.kpis().rejectTokens(InvalidReason.NON_FINITE_VALUE, Double.toString(d));
      } else if (Math.abs(d) >= 0x1p63) {
        outOfRange(d < 0, Double.toString(d));
      } else if (d != Math.rint(d)) {
        core.kpis().rejectTokens(InvalidReason.WRONG_TYPE, Double.toString(d));
      } else {
        record((long) d, model, tokenType, userId);
      }
    } else if (tokens instanceof BigInteger) {
      BigInteger whole = (BigInteger) tokens;
      if (whole.bitLength() < 64) {
        record(whole.longValue(), model, tokenType, userId);
      } else {
        outOfRange(whole.signum() < 0, "a " + whole.bitLength() + "-bit integer");
      }
    } else if (tokens instanceof BigDecimal) {
      decimalTokens((BigDecimal) tokens, model, tokenType, userId);
    } else {
      core.kpis()
          .rejectTokens(
              InvalidReason.WRONG_TYPE,
              tokens == null
                  ? "no 'tokens' field"
                  : tokens.getClass().getSimpleName() + " " + Printable.value(tokens));
    }
  }

  private void decimalTokens(
      BigDecimal tokens, @Nullable String model, @Nullable String type, @Nullable String userId) {
    int signum = tokens.signum();
    if (signum == 0) {
      core.kpis().rejectTokens(InvalidReason.ZERO_VALUE, "0");
    } else if (tokens.scale() > MAX_TOKEN_SCALE) {
      core.kpis().rejectTokens(InvalidReason.WRONG_TYPE, Printable.decimal(tokens));
    } else if ((long) tokens.precision() - tokens.scale() > 19) {
      outOfRange(signum < 0, Printable.decimal(tokens));
    } else {
      try {
        record(tokens.longValueExact(), model, type, userId);
      } catch (ArithmeticException notWhole) {
        core.kpis().rejectTokens(InvalidReason.WRONG_TYPE, Printable.decimal(tokens));
      }
    }
  }

  private void outOfRange(boolean negative, String given) {
    if (negative) {
      core.kpis().rejectTokens(InvalidReason.NEGATIVE_VALUE, given);
    } else {
      core.kpis().tokensOutOfRange(given);
    }
  }

  private void record(
      long tokens, @Nullable String model, @Nullable String type, @Nullable String userId) {
    core.kpis().record(KpiDispatch.TOKEN_SPEND, tokens, model, type, userId, null);
  }

  /** The most entries of a usage object looked at; a provider's has about ten. */
  private static final int MAX_USAGE_FIELDS = 64;

  /** The fields each shape reads (first), and the ones it knows to carry nothing to price. */
  private static final Map<Integer, java.util.Set<String>> KNOWN =
      Map.of(
          KpiDispatch.OPENAI_CHAT,
          java.util.Set.of(
              "prompt_tokens",
              "completion_tokens",
              "total_tokens",
              "prompt_tokens_details",
              "completion_tokens_details"),
          KpiDispatch.OPENAI_RESPONSES,
          java.util.Set.of(
              "input_tokens",
              "output_tokens",
              "total_tokens",
              "input_tokens_details",
              "output_tokens_details"),
          KpiDispatch.ANTHROPIC,
          java.util.Set.of(
              "input_tokens",
              "output_tokens",
              "cache_creation_input_tokens",
              "cache_read_input_tokens",
              "cache_creation",
              "service_tier",
              "server_tool_use"),
          KpiDispatch.GEMINI,
          java.util.Set.of(
              "promptTokenCount",
              "cachedContentTokenCount",
              "candidatesTokenCount",
              "thoughtsTokenCount",
              "toolUsePromptTokenCount",
              "totalTokenCount",
              "promptTokensDetails",
              "cacheTokensDetails",
              "candidatesTokensDetails",
              "toolUsePromptTokensDetails",
              "trafficType"));

  /** Details the shapes know inside their nested objects, priced or not. */
  private static final java.util.Set<String> KNOWN_DETAILS =
      java.util.Set.of(
          "cached_tokens",
          "audio_tokens",
          "reasoning_tokens",
          "accepted_prediction_tokens",
          "rejected_prediction_tokens",
          "ephemeral_5m_input_tokens",
          "ephemeral_1h_input_tokens",
          "web_search_requests",
          "web_fetch_requests");

  /**
   * {@code trackKpi("token_spend", Map.of("model", m, "usage", usage))}: the provider's usage
   * object as a map (parsed JSON), its shape told by its field names or by a {@code provider} field
   * ({@code openai}, {@code anthropic}, {@code gemini}).
   */
  private void usage(@Nullable Map<String, ?> data, Object usage) throws Unreadable, NotText {
    String model = text(data, "model");
    String userId = text(data, "userId");
    String provider = text(data, "provider");
    if (!(usage instanceof Map)) {
      core.guard()
          .reject(
              "token_spend",
              InvalidReason.WRONG_TYPE,
              "token_spend: the 'usage' field is a "
                  + usage.getClass().getSimpleName()
                  + ", not the provider's usage object as a map; event dropped. Pass the usage"
                  + " object parsed from the response, such as Map.of(\"prompt_tokens\", 2006,"
                  + " ...).");
      return;
    }
    Map<?, ?> u = (Map<?, ?>) usage;
    int shape = shape(u, provider);
    if (shape < 0) {
      core.guard()
          .reject(
              "token_spend",
              InvalidReason.WRONG_TYPE,
              "token_spend: the 'usage' map has none of the fields of an OpenAI, Anthropic or"
                  + " Gemini usage object (prompt_tokens, input_tokens, promptTokenCount) for"
                  + " provider "
                  + Printable.text(provider)
                  + "; event dropped. Pass the usage object as the provider returned it, or use"
                  + " Kpi.tokenUsage(model) for another provider.");
      return;
    }
    String unknown = unknownField(u, shape);
    if (unknown != null) {
      core.guard()
          .reject(
              "token_spend",
              InvalidReason.UNKNOWN_FIELD,
              "token_spend: the usage object of "
                  + Printable.text(model)
                  + " has a field Vigil does not know, '"
                  + Printable.text(unknown)
                  + "', with a count in it; the known fields are counted, this one is not. If the"
                  + " provider bills it, track it with Kpi.tokenSpend(n, model, \"<type>\") and a"
                  + " price for that type.");
    }
    long a;
    long b;
    long c = 0;
    long d;
    long e;
    switch (shape) {
      case KpiDispatch.OPENAI_CHAT:
        a = count(u, "prompt_tokens");
        b = count(nested(u, "prompt_tokens_details"), "cached_tokens");
        d = count(u, "completion_tokens");
        e = count(nested(u, "completion_tokens_details"), "reasoning_tokens");
        break;
      case KpiDispatch.OPENAI_RESPONSES:
        a = count(u, "input_tokens");
        b = count(nested(u, "input_tokens_details"), "cached_tokens");
        d = count(u, "output_tokens");
        e = count(nested(u, "output_tokens_details"), "reasoning_tokens");
        break;
      case KpiDispatch.ANTHROPIC:
        a = count(u, "input_tokens");
        b = count(u, "cache_creation_input_tokens");
        c = count(u, "cache_read_input_tokens");
        d = count(u, "output_tokens");
        e = count(nested(u, "cache_creation"), "ephemeral_1h_input_tokens");
        break;
      default:
        a = count(u, "promptTokenCount");
        b = count(u, "cachedContentTokenCount");
        c = count(u, "toolUsePromptTokenCount");
        d = count(u, "candidatesTokenCount");
        e = count(u, "thoughtsTokenCount");
        break;
    }
    core.kpis().usage(shape, model, a, b, c, d, e, userId);
  }

  private static int shape(Map<?, ?> u, @Nullable String provider) throws Unreadable {
    String p = provider == null ? "" : provider.strip().toLowerCase(java.util.Locale.ROOT);
    boolean anyProvider = p.isEmpty();
    if ((anyProvider || p.equals("gemini") || p.equals("google"))
        && (has(u, "promptTokenCount") || has(u, "candidatesTokenCount"))) {
      return KpiDispatch.GEMINI;
    }
    if ((anyProvider || p.equals("openai"))
        && (has(u, "prompt_tokens") || has(u, "completion_tokens"))) {
      return KpiDispatch.OPENAI_CHAT;
    }
    boolean inputOutput = has(u, "input_tokens") || has(u, "output_tokens");
    if ((anyProvider || p.equals("anthropic"))
        && (has(u, "cache_creation_input_tokens")
            || has(u, "cache_read_input_tokens")
            || (p.equals("anthropic") && inputOutput))) {
      return KpiDispatch.ANTHROPIC;
    }
    // Without cache fields, Anthropic's input_tokens and output_tokens count as the Responses
    // API's do: either reading gives the same numbers.
    if ((anyProvider || p.equals("openai")) && inputOutput) {
      return KpiDispatch.OPENAI_RESPONSES;
    }
    return -1;
  }

  private static boolean has(Map<?, ?> u, String field) throws Unreadable {
    try {
      return u.get(field) != null;
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      throw new Unreadable("usage." + field, t);
    }
  }

  /** The first field, of at most {@value #MAX_USAGE_FIELDS}, that is unknown and holds a count. */
  private static @Nullable String unknownField(Map<?, ?> u, int shape) throws Unreadable {
    java.util.Set<String> known = KNOWN.get(shape);
    try {
      int seen = 0;
      for (Map.Entry<?, ?> entry : u.entrySet()) {
        if (++seen > MAX_USAGE_FIELDS) {
          return null;
        }
        Object key = entry.getKey();
        if (!(key instanceof String)) {
          continue;
        }
        String name = (String) key;
        Object value = entry.getValue();
        if (known.contains(name)) {
          if (value instanceof Map && name.endsWith("_details") || name.equals("cache_creation")) {
            String inner = unknownDetail(value);
            if (inner != null) {
              return name + "." + inner;
            }
          }
        } else if (holdsCount(value)) {
          return name;
        }
      }
      return null;
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      throw new Unreadable("usage", t);
    }
  }

  private static @Nullable String unknownDetail(@Nullable Object details) {
    if (!(details instanceof Map)) {
      return null;
    }
    int seen = 0;
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) details).entrySet()) {
      if (++seen > MAX_USAGE_FIELDS) {
        return null;
      }
      Object key = entry.getKey();
      if (key instanceof String && !KNOWN_DETAILS.contains(key) && holdsCount(entry.getValue())) {
        return (String) key;
      }
    }
    return null;
  }

  private static boolean holdsCount(@Nullable Object value) {
    if (value instanceof Number) {
      Number n = (Number) value;
      if (n instanceof BigDecimal) {
        return ((BigDecimal) n).signum() != 0;
      }
      if (n instanceof BigInteger) {
        return ((BigInteger) n).signum() != 0;
      }
      return n.doubleValue() != 0;
    }
    return value instanceof Map && !((Map<?, ?>) value).isEmpty();
  }

  private static @Nullable Map<?, ?> nested(Map<?, ?> u, String field) throws Unreadable {
    Object value;
    try {
      value = u.get(field);
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      throw new Unreadable("usage." + field, t);
    }
    return value instanceof Map ? (Map<?, ?>) value : null;
  }

  /**
   * A count of the usage object: a whole number as any boxed or big number, 0 when absent or null;
   * -1 (reported as a negative count) for anything that is not a whole number of tokens.
   */
  private static long count(@Nullable Map<?, ?> u, String field) throws Unreadable {
    if (u == null) {
      return 0;
    }
    Object value;
    try {
      value = u.get(field);
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      throw new Unreadable("usage." + field, t);
    }
    if (value == null) {
      return 0;
    }
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p62 ? (long) d : -1;
    }
    if (value instanceof BigInteger) {
      BigInteger whole = (BigInteger) value;
      return whole.bitLength() < 63 ? whole.longValue() : whole.signum() < 0 ? -1 : Long.MAX_VALUE;
    }
    if (value instanceof BigDecimal) {
      BigDecimal dec = (BigDecimal) value;
      if (dec.scale() > MAX_TOKEN_SCALE || (long) dec.precision() - dec.scale() > 19) {
        return dec.signum() < 0 ? -1 : Long.MAX_VALUE;
      }
      try {
        return dec.longValueExact();
      } catch (ArithmeticException notWhole) {
        return -1;
      }
    }
    return -1;
  }

  /** The {@code amount} field as a decimal, or null when it is none. */
  private static @Nullable BigDecimal amount(@Nullable Object value) throws Unreadable {
    if (value == null || value instanceof BigDecimal) {
      return (BigDecimal) value;
    }
    if (value instanceof BigInteger) {
      return new BigDecimal((BigInteger) value);
    }
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      // The decimal text of the double, so 19.99 stays 19.99, not 19.989999...
      return Double.isFinite(d) ? new BigDecimal(Double.toString(d)) : null;
    }
    if (value instanceof Map
        || value instanceof Collection
        || value instanceof Number
        || value.getClass().isArray()) {
      return null; // not an amount, and never printed to find out
    }
    String text;
    try {
      text = value instanceof String ? (String) value : value.toString();
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      throw new Unreadable("amount", t);
    }
    if (text == null || text.length() > MAX_AMOUNT_TEXT) {
      return null;
    }
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
