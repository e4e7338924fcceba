package dev.vigil.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The specification's untyped form, {@code trackKpi("token_spend", Map.of("tokens", 1500, ...))}:
 * reads the fields of one event out of the caller's map and records it through {@link
 * CoreMetrics#record}, as the typed {@code Kpi} overloads do.
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
          core.record(CoreMetrics.ACTIVE_USER, 0, text(data, "userId"), null, null, null);
          break;
        case GENERATION_SUCCESS:
          core.record(CoreMetrics.GENERATION_SUCCESS, 0, text(data, "type"), null, null, null);
          break;
        case GENERATION_FAILURE:
          core.record(
              CoreMetrics.GENERATION_FAILURE,
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
          core.record(
              CoreMetrics.PAYMENT_CONVERSION,
              0,
              text(data, "paymentMethod"),
              text(data, "plan"),
              text(data, "currency"),
              amount(get(data, "amount")));
          break;
        case PAYMENT_FAILURE:
          core.record(
              CoreMetrics.PAYMENT_FAILURE,
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
      return data.get(field);
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      throw new Unreadable(field, t);
    }
  }

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
        core.rejectTokens(InvalidReason.NON_FINITE_VALUE, Double.toString(d));
      } else if (Math.abs(d) >= 0x1p63) {
        outOfRange(d < 0, Double.toString(d));
      } else if (d != Math.rint(d)) {
        core.rejectTokens(InvalidReason.WRONG_TYPE, Double.toString(d));
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
      core.rejectTokens(
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
      core.rejectTokens(InvalidReason.ZERO_VALUE, "0");
    } else if (tokens.scale() > MAX_TOKEN_SCALE) {
      core.rejectTokens(InvalidReason.WRONG_TYPE, Printable.decimal(tokens));
    } else if ((long) tokens.precision() - tokens.scale() > 19) {
      outOfRange(signum < 0, Printable.decimal(tokens));
    } else {
      try {
        record(tokens.longValueExact(), model, type, userId);
      } catch (ArithmeticException notWhole) {
        core.rejectTokens(InvalidReason.WRONG_TYPE, Printable.decimal(tokens));
      }
    }
  }

  private void outOfRange(boolean negative, String given) {
    if (negative) {
      core.rejectTokens(InvalidReason.NEGATIVE_VALUE, given);
    } else {
      core.tokensOutOfRange(given);
    }
  }

  private void record(
      long tokens, @Nullable String model, @Nullable String type, @Nullable String userId) {
    core.record(CoreMetrics.TOKEN_SPEND, tokens, model, type, userId, null);
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
