package dev.vigil;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A business event to count: the six KPI types of the specification, built with the static
 * factories below and passed to {@link Monitoring#trackKpi(Kpi)}.
 *
 * <pre>{@code
 * monitoring.trackKpi(Kpi.activeUser(userId));
 * monitoring.trackKpi(Kpi.generationSuccess("image"));
 * monitoring.trackKpi(Kpi.generationFailure("image", e));            // error_type = "TimeoutException"
 * monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
 * monitoring.trackKpi(Kpi.paymentConversion("card", "premium"));
 * monitoring.trackKpi(Kpi.paymentFailure(paymentId, "card", "insufficient_funds"));
 * }</pre>
 *
 * <p>Factories never throw: bad values (null, blank, negative tokens) are dealt with when the event
 * is tracked, by the rules in the README, so building an event can never break the business code
 * around it. Label values must come from small fixed sets; ids (user, payment) are never labels.
 */
public sealed interface Kpi
    permits Kpi.ActiveUser,
        Kpi.GenerationSuccess,
        Kpi.GenerationFailure,
        Kpi.TokenSpend,
        Kpi.PaymentConversion,
        Kpi.PaymentFailure {

  /**
   * The KPI type names of the generic entry point {@link Monitoring#trackKpi(String,
   * java.util.Map)}.
   */
  List<String> TYPES =
      List.of(
          ActiveUser.TYPE,
          GenerationSuccess.TYPE,
          GenerationFailure.TYPE,
          TokenSpend.TYPE,
          PaymentConversion.TYPE,
          PaymentFailure.TYPE);

  /** The specification's name for this KPI type, such as {@code "token_spend"}. */
  String kpiType();

  /** A user interacted with the service: counts {@code active_users_total}. */
  static ActiveUser activeUser(@Nullable String userId) {
    return new ActiveUser(userId);
  }

  /** An AI generation of this content type succeeded: counts {@code generation_success_total}. */
  static GenerationSuccess generationSuccess(@Nullable String type) {
    return new GenerationSuccess(type);
  }

  /** An AI generation failed: counts {@code generation_failure_total{type,error_type}}. */
  static GenerationFailure generationFailure(@Nullable String type, @Nullable String errorType) {
    return new GenerationFailure(type, errorType);
  }

  /** An AI generation failed with this exception; its simple class name is the error type. */
  static GenerationFailure generationFailure(@Nullable String type, @Nullable Throwable error) {
    return new GenerationFailure(type, errorType(error));
  }

  /** Tokens consumed: adds to {@code token_spend_total{model,type}}. */
  static TokenSpend tokenSpend(long tokens, @Nullable String model, @Nullable String type) {
    return new TokenSpend(tokens, model, type, null);
  }

  /** A payment succeeded: counts {@code payment_conversions_total{payment_method,plan}}. */
  static PaymentConversion paymentConversion(
      @Nullable String paymentMethod, @Nullable String plan) {
    return new PaymentConversion(paymentMethod, plan, null, null);
  }

  /**
   * A payment of {@code amount} in {@code currency} (ISO 4217, such as {@code "USD"}) succeeded.
   * Money is a {@link BigDecimal}, never a float.
   */
  static PaymentConversion paymentConversion(
      @Nullable String paymentMethod,
      @Nullable String plan,
      @Nullable BigDecimal amount,
      @Nullable String currency) {
    return new PaymentConversion(paymentMethod, plan, amount, currency);
  }

  /**
   * A payment failed: counts {@code payment_failures_total{payment_method,error_type}}. The payment
   * id goes to logs and alerts, never to a label.
   */
  static PaymentFailure paymentFailure(
      @Nullable String paymentId, @Nullable String paymentMethod, @Nullable String errorType) {
    return new PaymentFailure(paymentId, paymentMethod, errorType);
  }

  /** The error type Vigil derives from an exception: its simple class name. */
  static String errorType(@Nullable Throwable error) {
    if (error == null) {
      return "unknown";
    }
    String name = error.getClass().getSimpleName();
    return name.isEmpty() ? error.getClass().getName() : name;
  }

  /** See {@link Kpi#activeUser(String)}. */
  record ActiveUser(@Nullable String userId) implements Kpi {
    static final String TYPE = "active_user";

    @Override
    public String kpiType() {
      return TYPE;
    }
  }

  /** See {@link Kpi#generationSuccess(String)}. */
  record GenerationSuccess(@Nullable String type) implements Kpi {
    static final String TYPE = "generation_success";

    @Override
    public String kpiType() {
      return TYPE;
    }
  }

  /** See {@link Kpi#generationFailure(String, String)}. */
  record GenerationFailure(@Nullable String type, @Nullable String errorType) implements Kpi {
    static final String TYPE = "generation_failure";

    @Override
    public String kpiType() {
      return TYPE;
    }
  }

  /**
   * See {@link Kpi#tokenSpend(long, String, String)}.
   *
   * @param userId who spent them, for cost per user; never a label
   */
  record TokenSpend(
      long tokens, @Nullable String model, @Nullable String type, @Nullable String userId)
      implements Kpi {
    static final String TYPE = "token_spend";

    /** The same spend, attributed to a user (for cost per user, never a label). */
    public TokenSpend forUser(@Nullable String userId) {
      return new TokenSpend(tokens, model, type, userId);
    }

    @Override
    public String kpiType() {
      return TYPE;
    }
  }

  /** See {@link Kpi#paymentConversion(String, String, BigDecimal, String)}. */
  record PaymentConversion(
      @Nullable String paymentMethod,
      @Nullable String plan,
      @Nullable BigDecimal amount,
      @Nullable String currency)
      implements Kpi {
    static final String TYPE = "payment_conversion";

    @Override
    public String kpiType() {
      return TYPE;
    }
  }

  /** See {@link Kpi#paymentFailure(String, String, String)}. */
  record PaymentFailure(
      @Nullable String paymentId, @Nullable String paymentMethod, @Nullable String errorType)
      implements Kpi {
    static final String TYPE = "payment_failure";

    @Override
    public String kpiType() {
      return TYPE;
    }
  }
}
