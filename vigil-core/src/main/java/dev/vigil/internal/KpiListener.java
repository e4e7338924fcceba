package dev.vigil.internal;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Receives each KPI event after it has been validated and counted, for features built on top of the
 * counters (distinct users, cost, revenue, automatic alerts). Listeners run on the caller's thread,
 * so they must be cheap and must not throw; {@link CoreMetrics} guards them anyway. Label arguments
 * are the raw values the caller passed.
 */
public interface KpiListener {
  default void activeUser(String userId) {}

  default void generation(@Nullable String type, boolean success, @Nullable String errorType) {}

  /**
   * @param series the {@code token_spend_total} series the tokens were counted in; a listener may
   *     keep per-series state in {@link CounterCell#companion}
   */
  default void tokenSpend(
      long tokens,
      @Nullable String model,
      @Nullable String type,
      @Nullable String userId,
      CounterCell series) {}

  /**
   * A provider usage event, counted in the series of {@code usage}, one count per token kind (0 for
   * a kind it has none of; each token in exactly one kind).
   *
   * @param requestInput every input token of the request, the cache included: what tiered prices
   *     are selected by
   */
  default void tokenUsage(
      UsageCell usage,
      @Nullable String userId,
      long input,
      long cacheRead,
      long cacheWrite,
      long cacheWrite1h,
      long output,
      long reasoning,
      long requestInput) {}

  default void paymentConversion(
      @Nullable String paymentMethod,
      @Nullable String plan,
      @Nullable BigDecimal amount,
      @Nullable String currency) {}

  default void paymentFailure(
      @Nullable String paymentId, @Nullable String paymentMethod, @Nullable String errorType) {}
}
