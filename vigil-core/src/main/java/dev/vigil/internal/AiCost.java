package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import dev.vigil.Pricing;
import io.prometheus.metrics.model.snapshots.Labels;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.helpers.MessageFormatter;

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

  private final CoreMetrics core;
  private final Pricing pricing;
  private final DecimalCounterFamily cost;
  private final DecimalCounterFamily uncached;
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
    this.uncached =
        DecimalCounterFamily.declare(
            core, MetricCatalog.AI_COST_UNCACHED, labels -> new UncachedCell(labels, pricing));
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
    UserActivity users = activity;
    boolean forUser = users != null && userId != null;
    long nanos = charge(tokens, model, type, series, 0, forUser);
    if (forUser) {
      users.spend(userId, tokens, nanos);
    }
  }

  @Override
  public void tokenUsage(
      UsageCell usage,
      @Nullable String userId,
      long input,
      long cacheRead,
      long cacheWrite,
      long cacheWrite1h,
      long output,
      long reasoning,
      long requestInput) {
    UserActivity users = activity;
    boolean forUser = users != null && userId != null;
    long nanos = 0;
    nanos += charge(usage, UsageCell.INPUT, input, requestInput, forUser);
    nanos += charge(usage, UsageCell.CACHE_READ, cacheRead, requestInput, forUser);
    nanos += charge(usage, UsageCell.CACHE_WRITE, cacheWrite, requestInput, forUser);
    nanos += charge(usage, UsageCell.CACHE_WRITE_1H, cacheWrite1h, requestInput, forUser);
    nanos += charge(usage, UsageCell.OUTPUT, output, requestInput, forUser);
    nanos += charge(usage, UsageCell.REASONING, reasoning, requestInput, forUser);
    if (forUser) {
      users.spend(
          userId, input + cacheRead + cacheWrite + cacheWrite1h + output + reasoning, nanos);
    }
  }

  private long charge(UsageCell usage, int kind, long tokens, long requestInput, boolean forUser) {
    if (tokens == 0) {
      return 0;
    }
    CounterCell series = usage.series(kind);
    if (series == null) {
      return 0;
    }
    return charge(tokens, usage.model(), UsageCell.label(kind), series, requestInput, forUser);
  }

  /**
   * Prices the tokens just counted in {@code series}: nothing per event for a priced series linked
   * to its cost series (its cost is its token count times the price, computed exactly when read)
   * but the tokens of a higher tier, which are kept apart; the cost of the event for the overflow
   * series (many models folded together) and when the caller needs it for a top spender.
   *
   * <p>Only the two cases of nearly every event are here: a linked series at its base tier, and a
   * series already known to have no price. Everything else is {@link #chargeEvent}'s. Kept this
   * small so that C2 inlines it, with {@link #tokenSpend}, into {@code KpiDispatch.record}; with
   * the rest in it, it was 420 bytes of bytecode, past {@code FreqInlineSize} (325), and every
   * token spend paid a call. {@code RecordEntryPointTest} guards the size.
   *
   * @return the cost of the event in nano-dollars when {@code wantCost} or not linked, else 0
   */
  private long charge(
      long tokens,
      @Nullable String model,
      @Nullable String type,
      CounterCell series,
      long requestInput,
      boolean wantCost) {
    Object companion = series.companion;
    if (companion instanceof CostCell) {
      CostCell cell = (CostCell) companion;
      if (requestInput <= cell.firstThreshold) {
        if (cell.source == series) {
          if (!wantCost) {
            return 0;
          }
        } else if (cell.nanos[0] < 0 && !cell.overflow && cell.warned) {
          // No price at the base tier, and its series and warning were taken care of already.
          CounterCell tokensWithoutPrice = cell.unpricedSeries;
          if (tokensWithoutPrice != null) {
            if (!tokensWithoutPrice.add(tokens)) {
              core.kpis().saturated(unpriced, tokens);
            }
            return 0;
          }
        }
      }
    }
    return chargeEvent(tokens, model, type, series, requestInput, wantCost);
  }

  /**
   * {@link #charge} for every event but the two common ones: first sight, tiers, cost per event.
   */
  private long chargeEvent(
      long tokens,
      @Nullable String model,
      @Nullable String type,
      CounterCell series,
      long requestInput,
      boolean wantCost) {
    // The cost series of a token series never changes: keep it with the token series, so the
    // hot path skips a second label lookup.
    Object companion = series.companion;
    CostCell cell =
        companion instanceof CostCell ? (CostCell) companion : attach(series, model, type);
    if (cell == null) {
      return 0;
    }
    boolean derived = cell.source == series;
    int tier = requestInput > cell.firstThreshold ? cell.tier(requestInput) : 0;
    long price = derived || !cell.overflow ? cell.nanos[tier] : rawPrice(model, type, requestInput);
    if (price < 0) {
      CounterCell tokensWithoutPrice = cell.unpricedSeries;
      if (tokensWithoutPrice == null) {
        tokensWithoutPrice = unpriced.series(model, type);
        if (!cell.overflow) {
          cell.unpricedSeries = tokensWithoutPrice;
        }
      }
      if (tokensWithoutPrice != null && !tokensWithoutPrice.add(tokens)) {
        core.kpis().saturated(unpriced, tokens);
      }
      if (cell.overflow) {
        warnUnpricedFolded(model, type);
      } else if (!cell.warned) {
        warnUnpriced(cell);
      }
      return 0;
    }
    if (derived && tier > 0) {
      cell.tierTokens[tier].add(tokens);
    }
    if (derived && !wantCost) {
      return 0;
    }
    long nanos = costNanos(tokens, price);
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
      return 0;
    }
    if (!derived && !cell.addUnits(nanos)) {
      core.kpis().saturated(cost, nanos);
    }
    UncachedCell asInput = cell.uncached;
    if (!derived && asInput != null && asInput.nanos[tier] >= 0) {
      long inputNanos = costNanos(tokens, asInput.nanos[tier]);
      if (inputNanos >= 0 && !asInput.addUnits(inputNanos)) {
        core.kpis().saturated(uncached, inputNanos);
      }
    }
    return nanos;
  }

  /** First event of a token series: find its cost series, and link the two when it can. */
  private @Nullable CostCell attach(
      CounterCell series, @Nullable String model, @Nullable String type) {
    CostCell cell = (CostCell) cost.series(model, type);
    // The overflow token series stands for many models: it gets no fixed cost series.
    if (cell != null && !Family.OVERFLOW_VALUE.equals(series.labels().get("model"))) {
      if (cell.pricedAtEveryTier() && !cell.overflow) {
        cell.source = series;
      }
      if (UncachedCell.CACHE_TYPES.contains(cell.pricedType)) {
        UncachedCell asInput = (UncachedCell) uncached.series(model, type);
        if (asInput != null) {
          asInput.cost = cell;
          cell.uncached = asInput;
        }
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
  private long rawPrice(@Nullable String model, @Nullable String type, long requestInput) {
    if (model == null || type == null) {
      return -1;
    }
    return nanos(pricing.pricePer1k(model.strip(), type.strip(), requestInput));
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
    warn(
        key,
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

  /**
   * Tokens of a model without a price arrived while ai_cost_usd_total is past its label-set limit:
   * the advice names the model the caller sent, never the overflow series' {@code __overflow__},
   * for which no price can be set.
   */
  private void warnUnpricedFolded(@Nullable String model, @Nullable String type) {
    if (model == null || model.isBlank() || type == null || type.isBlank()) {
      return; // already reported as a null or blank label
    }
    String shown = Printable.text(model.strip());
    String key = "folded|" + shown;
    if (warned.size() >= MAX_WARNED || !warned.add(key)) {
      return;
    }
    String pricedType = pricing.pricedType(type.strip());
    warn(
        key,
        "AI cost: no price for model '{}' (token type '{}'), whose tokens arrive while"
            + " ai_cost_usd_total is over its label-set limit: they are counted in"
            + " vigil_unpriced_tokens_total, not in ai_cost_usd_total. Add the price with"
            + " Pricing.defaults().toBuilder().price(\"{}\", \"{}\", usdPer1kTokens) or a row"
            + " 'price,{},{},<usd per 1000 tokens>' in the file named by VIGIL_PRICING_FILE, and"
            + " keep the models and token types few, or raise the limit with"
            + " maxLabelSets(\"ai_cost_usd_total\", n). Warned once for this model.",
        shown,
        Printable.text(type.strip()),
        shown,
        pricedType,
        shown,
        pricedType);
  }

  /** Through the monitoring's warnings, so that the line names its service. */
  private void warn(String key, String pattern, Object... args) {
    core.warnings()
        .warn("ai_cost|" + key, MessageFormatter.arrayFormat(pattern, args).getMessage());
  }

  /**
   * A cost series and the prices of its label set, resolved when the series is created: the base
   * price and one per tier of the model, each in nano-dollars per 1,000 tokens (-1: no price).
   */
  static final class CostCell extends DecimalCounterCell {
    final String model;
    final String type;
    final String pricedType;
    final boolean overflow;
    volatile boolean warned;

    /** The input sizes above which each tier applies; {@code thresholds[0]} is 0 (the base). */
    final long[] thresholds;

    /** The price of each tier. */
    final long[] nanos;

    /** The first tier's threshold, or {@link Long#MAX_VALUE}: one compare for untiered models. */
    final long firstThreshold;

    /** Tokens of the linked series counted at each tier above the base (index 0 unused). */
    final LongAdder[] tierTokens;

    /** The unpriced-tokens series of this label set, once needed (see CounterCell#companion). */
    @Nullable CounterCell unpricedSeries;

    /** For cache reads and writes: what they would have cost as input, once linked. */
    volatile @Nullable UncachedCell uncached;

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
      List<Long> tiers = overflow ? List.of() : pricing.tierThresholds(model);
      this.thresholds = new long[tiers.size() + 1];
      this.nanos = new long[tiers.size() + 1];
      this.tierTokens = new LongAdder[tiers.size() + 1];
      nanos[0] = overflow ? -1 : nanos(pricing.pricePer1k(model, type));
      for (int t = 1; t < thresholds.length; t++) {
        thresholds[t] = tiers.get(t - 1);
        nanos[t] = nanos(pricing.pricePer1k(model, type, thresholds[t] + 1));
        tierTokens[t] = new LongAdder();
      }
      this.firstThreshold = thresholds.length > 1 ? thresholds[1] : Long.MAX_VALUE;
    }

    private static String value(Labels labels, String name) {
      String v = labels.get(name);
      return v == null ? LabelPolicy.UNKNOWN : v;
    }

    /** The tier of a request with {@code requestInput} input tokens. */
    int tier(long requestInput) {
      int t = 0;
      while (t + 1 < thresholds.length && requestInput > thresholds[t + 1]) {
        t++;
      }
      return t;
    }

    /**
     * Cost added event by event, plus the tokens of the linked series times the base price, plus
     * the tokens counted at each tier times what that tier adds, exactly.
     */
    @Override
    public BigDecimal decimalValue() {
      BigDecimal added = super.decimalValue();
      CounterCell tokens = source;
      if (tokens == null) {
        return added;
      }
      BigDecimal nanoUsdTimes1k =
          BigDecimal.valueOf(tokens.wholeValue()).multiply(BigDecimal.valueOf(nanos[0]));
      for (int t = 1; t < nanos.length; t++) {
        nanoUsdTimes1k =
            nanoUsdTimes1k.add(
                BigDecimal.valueOf(tierTokens[t].sum())
                    .multiply(BigDecimal.valueOf(nanos[t] - nanos[0])));
      }
      return added.add(nanoUsdTimes1k.movePointLeft(SCALE + 3));
    }

    /** Unpriced series stay out of the exposition: a $0 series would look like a free model. */
    @Override
    boolean exposed() {
      return priced() || overflow;
    }

    boolean priced() {
      for (long n : nanos) {
        if (n >= 0) {
          return true;
        }
      }
      return false;
    }

    /** Whether every tier has a price: only then can the cost be derived from the token count. */
    boolean pricedAtEveryTier() {
      for (long n : nanos) {
        if (n < 0) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * What the cache reads and writes of one label set would have cost at the model's input price, at
   * the same tiers: beside their {@code ai_cost_usd_total}, the difference is what the cache saved
   * (negative when writes cost more than the reads saved).
   */
  static final class UncachedCell extends DecimalCounterCell {
    static final Set<String> CACHE_TYPES =
        Set.of(Pricing.CACHE_READ, Pricing.CACHE_WRITE, Pricing.CACHE_WRITE_1H);

    /** The model's input price at each tier, -1 without one. */
    final long[] nanos;

    /** The cost series whose tokens (and tier tokens) this one prices as input. */
    volatile @Nullable CostCell cost;

    UncachedCell(Labels labels, Pricing pricing) {
      super(labels, SCALE);
      String model = labels.get("model");
      String type = labels.get("type");
      boolean cache =
          model != null
              && type != null
              && !Family.OVERFLOW_VALUE.equals(model)
              && CACHE_TYPES.contains(pricing.pricedType(type));
      List<Long> tiers = cache ? pricing.tierThresholds(model) : List.of();
      this.nanos = new long[tiers.size() + 1];
      nanos[0] = cache ? nanos(pricing.pricePer1k(model, Pricing.INPUT)) : -1;
      for (int t = 1; t < nanos.length; t++) {
        nanos[t] = nanos(pricing.pricePer1k(model, Pricing.INPUT, tiers.get(t - 1) + 1));
      }
    }

    @Override
    public BigDecimal decimalValue() {
      BigDecimal added = super.decimalValue();
      CostCell priced = cost;
      CounterCell tokens = priced == null ? null : priced.source;
      if (tokens == null || nanos[0] < 0 || priced.nanos.length != nanos.length) {
        return added;
      }
      BigDecimal nanoUsdTimes1k =
          BigDecimal.valueOf(tokens.wholeValue()).multiply(BigDecimal.valueOf(nanos[0]));
      for (int t = 1; t < nanos.length; t++) {
        nanoUsdTimes1k =
            nanoUsdTimes1k.add(
                BigDecimal.valueOf(priced.tierTokens[t].sum())
                    .multiply(BigDecimal.valueOf(nanos[t] - nanos[0])));
      }
      return added.add(nanoUsdTimes1k.movePointLeft(SCALE + 3));
    }

    /** Only cache types of models with an input price, once they have cost something. */
    @Override
    boolean exposed() {
      CostCell priced = cost;
      return nanos[0] >= 0 && ((priced != null && priced.priced()) || units() > 0);
    }
  }
}
