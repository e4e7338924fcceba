package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Revenue from payment conversions that carry an amount: {@code
 * payment_revenue_total{currency,plan}}, in units of the currency, summed exactly.
 *
 * <p>Money arrives as a {@link BigDecimal}. The currency must be an ISO 4217 code the JDK knows
 * (case does not matter). A negative amount, an amount without a currency (or the reverse), an
 * unknown currency or an amount of a trillion units or more is bad input: the revenue is not
 * counted (the conversion still is), and the problem is counted in {@code
 * vigil_invalid_inputs_total{metric="payment_revenue_total"}} and warned about, or thrown in strict
 * mode. An amount finer than the currency's minor unit ({@code new BigDecimal(19.99)} gives
 * 19.989999999999998436...) is rounded half-even to it, counted and warned about as {@code
 * too_precise}.
 */
public final class Revenue implements KpiListener {
  /** Revenue is counted in ten-thousandths of a unit: ISO 4217 has no finer minor unit. */
  static final int SCALE = 4;

  static final BigDecimal MAX_AMOUNT = BigDecimal.TEN.pow(12);

  /**
   * The most decimal places of an amount Vigil rounds: {@code new BigDecimal(double)} gives at most
   * 1,074, and rounding more costs work that grows with the scale (10^9 places exhaust the heap).
   */
  static final int MAX_SCALE = 1100;

  private static final Map<String, Integer> MINOR_DIGITS = minorDigits();
  private static final String METRIC = MetricCatalog.PAYMENT_REVENUE.name();

  private final CoreMetrics core;
  private final InputGuard guard;
  private final DecimalCounterFamily revenue;

  public Revenue(CoreMetrics core) {
    this.core = core;
    this.guard = core.guard();
    this.revenue = DecimalCounterFamily.declare(core, MetricCatalog.PAYMENT_REVENUE, SCALE);
  }

  public DecimalCounterFamily family() {
    return revenue;
  }

  @Override
  public void paymentConversion(
      @Nullable String paymentMethod,
      @Nullable String plan,
      @Nullable BigDecimal amount,
      @Nullable String currency) {
    if (amount == null && currency == null) {
      return; // a conversion without money: counted by payment_conversions_total alone
    }
    // A currency code is three letters: a longer text is unknown without being copied first.
    String code =
        currency == null
            ? ""
            : currency.length() > 16 ? currency : currency.strip().toUpperCase(Locale.ROOT);
    if (amount == null) {
      guard.reject(
          METRIC,
          InvalidReason.NULL_VALUE,
          "payment_conversion: currency '"
              + Printable.text(code, 16)
              + "' came without an amount (or the amount is not"
              + " a decimal number); revenue not counted, the conversion is. Pass the amount as a"
              + " BigDecimal, e.g. Kpi.paymentConversion(\"card\", \"premium\", new"
              + " BigDecimal(\"19.99\"), \"USD\").");
      return;
    }
    if (code.isEmpty()) {
      guard.reject(
          METRIC,
          currency == null ? InvalidReason.NULL_VALUE : InvalidReason.BLANK_VALUE,
          "payment_conversion: amount "
              + Printable.decimal(amount)
              + " came without a currency;"
              + " revenue not counted, the conversion is. Pass the ISO 4217 code, such as"
              + " \"USD\" or \"EUR\".");
      return;
    }
    Integer minorDigits = MINOR_DIGITS.get(code);
    if (minorDigits == null) {
      guard.reject(
          METRIC,
          InvalidReason.UNKNOWN_CURRENCY,
          "payment_conversion: '"
              + Printable.text(currency, 16)
              + "' is not an ISO 4217 currency code;"
              + " revenue not counted, the conversion is. Pass a three-letter code such as"
              + " \"USD\", \"EUR\" or \"RUB\".");
      return;
    }
    if (amount.signum() < 0) {
      guard.reject(
          METRIC,
          InvalidReason.NEGATIVE_VALUE,
          "payment_conversion: amount "
              + Printable.decimal(amount)
              + " "
              + code
              + " is negative;"
              + " revenue not counted, the conversion is. Track refunds separately, e.g. with a"
              + " custom counter.");
      return;
    }
    if (amount.compareTo(MAX_AMOUNT) >= 0) {
      guard.reject(
          METRIC,
          InvalidReason.OUT_OF_RANGE,
          "payment_conversion: amount "
              + Printable.decimal(amount)
              + " "
              + code
              + " is a trillion"
              + " units or more; revenue not counted, the conversion is. Pass the amount in units"
              + " of the currency (19.99), not in minor units or with a stray exponent.");
      return;
    }
    if (amount.scale() > MAX_SCALE) {
      // Rounding divides by ten to the power of the scale: bounded here, before it is done.
      guard.reject(
          METRIC,
          InvalidReason.OUT_OF_RANGE,
          "payment_conversion: amount "
              + Printable.decimal(amount)
              + " "
              + code
              + " has "
              + amount.scale()
              + " decimal places, more than Vigil rounds (at most "
              + MAX_SCALE
              + "); revenue not counted, the conversion is. Build amounts from text or minor"
              + " units (new BigDecimal(\"19.99\"), BigDecimal.valueOf(1999, 2)).");
      return;
    }
    BigDecimal exact = amount;
    if (amount.scale() > minorDigits) {
      exact = amount.setScale(minorDigits, RoundingMode.HALF_EVEN);
      if (exact.compareTo(amount) != 0) {
        guard.reject(
            METRIC,
            InvalidReason.TOO_PRECISE,
            "payment_conversion: amount "
                + Printable.decimal(amount)
                + " "
                + code
                + " is finer than"
                + " the currency's minor unit; counted as "
                + exact.toPlainString()
                + ". Build"
                + " amounts from text or minor units (new BigDecimal(\"19.99\"),"
                + " BigDecimal.valueOf(1999, 2)), never new BigDecimal(double).");
      }
    }
    DecimalCounterCell cell = revenue.series(code, plan);
    if (cell != null) {
      long units = exact.movePointRight(SCALE).longValueExact();
      if (!cell.addUnits(units)) {
        core.kpis().saturated(revenue, units);
      }
    }
  }

  /** ISO 4217 code to minor-unit digits; codes without a minor unit (gold, XXX) get the finest. */
  private static Map<String, Integer> minorDigits() {
    Map<String, Integer> digits = new HashMap<>();
    for (Currency c : Currency.getAvailableCurrencies()) {
      int d = c.getDefaultFractionDigits();
      digits.put(c.getCurrencyCode(), d < 0 ? SCALE : Math.min(d, SCALE));
    }
    return Map.copyOf(digits);
  }
}
