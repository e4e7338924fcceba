package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import dev.vigil.Pricing;
import io.prometheus.metrics.model.snapshots.Labels;
import java.math.BigDecimal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices every {@code token_spend} event: {@code ai_cost_usd_total{model,type}} for priced tokens,
 * {@code vigil_unpriced_tokens_total{model,type}} and one warning per model for the rest, and the
 * spend per user handed to {@link UserActivity} for the top spenders.
 *
 * <p>The price of a label set is looked up once, when its series is created, and kept in the
 * series: the hot path is the family's lock-free lookup, a multiplication and an adder.
 */
public final class AiCost implements KpiListener {
  /** Cost is counted in nano-dollars. */
  static final int SCALE = 9;

  private static final int MAX_WARNED = 1000;
  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil");

  private final CoreMetrics core;
  private final Pricing pricing;
  private final DecimalCounterFamily cost;
  private final CounterFamily unpriced;
  private final @Nullable UserActivity activity;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public AiCost(CoreMetrics core, Pricing pricing, @Nullable UserActivity activity) {
    this.core = core;
    this.pricing = pricing;
    this.activity = activity;
    this.cost =
        DecimalCounterFamily.declare(
            core, MetricCatalog.AI_COST, labels -> new CostCell(labels, pricing));
    this.unpriced =
        core.declare(
            MetricCatalog.UNPRICED_TOKENS,
            (d, service, guard, policy, max) ->
                new CounterFamily(d, service, guard, policy, max, false));
  }

  public DecimalCounterFamily costFamily() {
    return cost;
  }

  public CounterFamily unpricedFamily() {
    return unpriced;
  }

  public Pricing pricing() {
    return pricing;
  }

  @Override
  public void tokenSpend(
      long tokens,
      @Nullable String model,
      @Nullable String type,
      @Nullable String userId,
      CounterCell series) {
    // The cost series of a token series never changes: keep it with the token series, so the
    // hot path skips a second label lookup.
    Object companion = series.companion;
    CostCell cell =
        companion instanceof CostCell ? (CostCell) companion : attach(series, model, type);
    if (cell == null) {
      return;
    }
    // A priced series linked to its token series costs nothing per event: its cost is the
    // token count times the price, computed exactly when read. Only the overflow series (many
    // models folded together) and top spenders need the cost of each event.
    boolean derived = cell.source == series;
    long price = derived || !cell.overflow ? cell.nanoUsdPer1k : rawPrice(model, type);
    long nanos = 0;
    if (price >= 0) {
      if (!derived || (userId != null && activity != null)) {
        nanos = costNanos(tokens, price);
        if (nanos < 0) {
          core.guard()
              .reject(
                  MetricCatalog.AI_COST.name(),
                  InvalidReason.OUT_OF_RANGE,
                  "token_spend: "
                      + tokens
                      + " tokens of "
                      + Printable.text(model)
                      + " cost more than Vigil can"
                      + " count in one event; the tokens are counted, the cost is not. Check the"
                      + " token count.");
          nanos = 0;
        } else if (!derived && !cell.addUnits(nanos)) {
          core.saturated(cost, nanos);
        }
      }
    } else {
      CounterCell tokensWithoutPrice = cell.unpricedSeries;
      if (tokensWithoutPrice == null) {
        tokensWithoutPrice = unpriced.series(model, type);
        if (!cell.overflow) {
          cell.unpricedSeries = tokensWithoutPrice;
        }
      }
      if (tokensWithoutPrice != null && !tokensWithoutPrice.add(tokens)) {
        core.saturated(unpriced, tokens);
      }
      if (!cell.warned) {
        warnUnpriced(cell);
      }
    }
    UserActivity users = activity;
    if (users != null && userId != null) {
      users.spend(userId, tokens, nanos);
    }
  }

  /** First event of a token series: find its cost series, and link the two when it can. */
  private @Nullable CostCell attach(
      CounterCell series, @Nullable String model, @Nullable String type) {
    CostCell cell = (CostCell) cost.series(model, type);
    // The overflow token series stands for many models: it gets no fixed cost series.
    if (cell != null && !Family.OVERFLOW_VALUE.equals(series.labels().get("model"))) {
      if (cell.priced() && !cell.overflow) {
        cell.source = series;
      }
      series.companion = cell;
    }
    return cell;
  }

  /**
   * {@code tokens * nanoUsdPer1k / 1000}, rounded half up, or -1 if it overflows. Rounding loses at
   * most half a nano-dollar per event.
   */
  static long costNanos(long tokens, long nanoUsdPer1k) {
    long product;
    try {
      product = Math.multiplyExact(tokens, nanoUsdPer1k);
    } catch (ArithmeticException e) {
      return -1;
    }
    return product / 1000 + (product % 1000 >= 500 ? 1 : 0);
  }

  /** The price of raw label values, for events folded into the overflow series. */
  private long rawPrice(@Nullable String model, @Nullable String type) {
    if (model == null || type == null) {
      return -1;
    }
    return nanos(pricing.pricePer1k(model.strip(), type.strip()));
  }

  private static long nanos(@Nullable BigDecimal usdPer1k) {
    return usdPer1k == null ? -1 : usdPer1k.movePointRight(SCALE).longValueExact();
  }

  private void warnUnpriced(CostCell cell) {
    cell.warned = true;
    boolean knownModel = pricing.hasModel(cell.model);
    String key = knownModel ? cell.model + '/' + cell.pricedType : cell.model;
    if (warned.size() >= MAX_WARNED || !warned.add(key)) {
      return;
    }
    String what =
        knownModel
            ? "model '"
                + cell.model
                + "' has no price for token type '"
                + cell.type
                + "'"
                + (cell.type.equals(cell.pricedType)
                    ? ""
                    : " (priced as '" + cell.pricedType + "')")
            : "no price for model '" + cell.model + "'";
    LOG.warn(
        "AI cost: {}; its tokens are counted in token_spend_total and vigil_unpriced_tokens_total"
            + " but not in ai_cost_usd_total (never as $0). Add the price with"
            + " Pricing.defaults().toBuilder().price(\"{}\", \"{}\", usdPer1kTokens) or a row"
            + " 'price,{},{},<usd per 1000 tokens>' in the file named by VIGIL_PRICING_FILE{}."
            + " Pricing table as of {}. Warned once{}.",
        what,
        cell.model,
        cell.pricedType,
        cell.model,
        cell.pricedType,
        knownModel ? "" : ", or alias it to a priced model with 'alias," + cell.model + ",<model>'",
        pricing.asOf() == null ? "unknown" : pricing.asOf(),
        knownModel ? " for this model and type" : " for this model");
  }

  /** A cost series and the price of its label set, resolved when the series is created. */
  static final class CostCell extends DecimalCounterCell {
    final String model;
    final String type;
    final String pricedType;
    final long nanoUsdPer1k;
    final boolean overflow;
    volatile boolean warned;

    /** The unpriced-tokens series of this label set, once needed (see CounterCell#companion). */
    @Nullable CounterCell unpricedSeries;

    /**
     * The token series whose count, times the price, is this series' cost; null for the overflow
     * series, which adds the cost of each event instead.
     */
    volatile @Nullable CounterCell source;

    CostCell(Labels labels, Pricing pricing) {
      super(labels, SCALE);
      this.model = value(labels, "model");
      this.type = value(labels, "type");
      this.pricedType = pricing.pricedType(type);
      this.overflow = Family.OVERFLOW_VALUE.equals(model) && Family.OVERFLOW_VALUE.equals(type);
      this.nanoUsdPer1k = overflow ? -1 : nanos(pricing.pricePer1k(model, type));
    }

    private static String value(Labels labels, String name) {
      String v = labels.get(name);
      return v == null ? LabelPolicy.UNKNOWN : v;
    }

    /** Cost added event by event, plus tokens of the linked series times the price, exactly. */
    @Override
    public BigDecimal decimalValue() {
      BigDecimal added = super.decimalValue();
      CounterCell tokens = source;
      if (tokens == null) {
        return added;
      }
      return added.add(
          BigDecimal.valueOf(tokens.wholeValue())
              .multiply(BigDecimal.valueOf(nanoUsdPer1k))
              .movePointLeft(SCALE + 3));
    }

    /** Unpriced series stay out of the exposition: a $0 series would look like a free model. */
    @Override
    boolean exposed() {
      return nanoUsdPer1k >= 0 || overflow;
    }

    boolean priced() {
      return nanoUsdPer1k >= 0;
    }
  }
}
