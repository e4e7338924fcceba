package dev.vigil;

import dev.vigil.internal.Printable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A limit on AI spend ({@code ai_cost_usd_total}) per window: for the whole service or one model
 * per calendar hour, day, week or month, or for each user over a sliding window of the top
 * spenders. Reaching each threshold (80% and 100% of the limit by default) raises one alert per
 * window through the alert channels, and {@code ai_budget_spend_usd} shows the spend so far in the
 * current window.
 *
 * <pre>{@code
 * Monitoring monitoring = Monitoring.builder("bot")
 *     .aiBudget(AiBudget.service(AiBudget.Window.DAY, new BigDecimal("100")))
 *     .aiBudget(AiBudget.service(AiBudget.Window.MONTH, new BigDecimal("2000")).alertAt(50, 80, 100))
 *     .aiBudget(AiBudget.model("gpt-4o", AiBudget.Window.DAY, new BigDecimal("40")))
 *     .aiBudget(AiBudget.perUser(Duration.ofHours(24), new BigDecimal("5")))
 *     .build();
 * }</pre>
 *
 * <p>Calendar windows start at midnight of the budget zone ({@code VIGIL_BUDGET_ZONE}, UTC by
 * default), weeks on Monday, months on the first. Spend is what this replica priced since the
 * window started (or since it started, whichever is later); with {@code vigil-redis}, thresholds
 * are checked against the spend of every replica and each alert is sent once for all of them. A
 * user's spend is the top-spender sketch's for a window of {@code VIGIL_ACTIVE_USER_WINDOWS}: only
 * users among the top spenders are seen, user ids never become labels. Instances are immutable.
 */
public final class AiBudget {
  /** The calendar window a service or model budget is counted over. */
  public enum Window {
    HOUR,
    DAY,
    WEEK,
    MONTH;

    /** The {@code window} label value: {@code hour}, {@code day}, {@code week}, {@code month}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a budget limits. */
  public enum Scope {
    /** Every model of the service. */
    SERVICE,
    /** One model. */
    MODEL,
    /** Each user on their own. */
    USER
  }

  /** The largest limit accepted, in US dollars; anything above is a typo. */
  static final BigDecimal MAX_USD = BigDecimal.valueOf(1_000_000_000);

  private static final int[] DEFAULT_THRESHOLDS = {80, 100};

  private final Scope scope;
  private final @Nullable String model;
  private final @Nullable Window window;
  private final @Nullable Duration userWindow;
  private final BigDecimal limitUsd;
  private final int[] thresholds;

  private AiBudget(
      Scope scope,
      @Nullable String model,
      @Nullable Window window,
      @Nullable Duration userWindow,
      BigDecimal limitUsd,
      int[] thresholds) {
    this.scope = scope;
    this.model = model;
    this.window = window;
    this.userWindow = userWindow;
    this.limitUsd = limitUsd;
    this.thresholds = thresholds;
  }

  /** A limit on the AI spend of the whole service per {@code window}. */
  public static AiBudget service(Window window, BigDecimal limitUsd) {
    Objects.requireNonNull(window, "window must not be null");
    return new AiBudget(
        Scope.SERVICE, null, window, null, limit(limitUsd, "service"), DEFAULT_THRESHOLDS);
  }

  /**
   * A limit on the AI spend of one {@code model} (as tracked, after the label rules) per {@code
   * window}.
   */
  public static AiBudget model(String model, Window window, BigDecimal limitUsd) {
    Objects.requireNonNull(model, "model must not be null");
    Objects.requireNonNull(window, "window must not be null");
    String m = model.strip();
    if (m.isEmpty() || m.length() > 256) {
      throw new IllegalArgumentException(
          "AiBudget.model: the model is a non-blank id of at most 256 characters, as tracked (e.g."
              + " gpt-4o), got '"
              + model
              + "'");
    }
    return new AiBudget(
        Scope.MODEL, m, window, null, limit(limitUsd, "model " + m), DEFAULT_THRESHOLDS);
  }

  /**
   * A limit on what each user spends over the sliding {@code window}, which must be one of the
   * windows of the top spenders ({@code activeUserWindows}, 5m, 1h and 24h by default).
   */
  public static AiBudget perUser(Duration window, BigDecimal limitUsd) {
    Objects.requireNonNull(window, "window must not be null");
    return new AiBudget(
        Scope.USER, null, null, window, limit(limitUsd, "each user"), DEFAULT_THRESHOLDS);
  }

  /**
   * The percentages of the limit that raise an alert, each once per window; default 80 and 100.
   * Below 100 the alert is a warning, from 100 on an error.
   */
  public AiBudget alertAt(int... percents) {
    Objects.requireNonNull(percents, "alertAt must not be null");
    if (percents.length == 0 || percents.length > 10) {
      throw new IllegalArgumentException(
          "alertAt: give 1 to 10 percentages of the limit, such as alertAt(80, 100); got "
              + percents.length);
    }
    int[] sorted = percents.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] < 1 || sorted[i] > 1000 || (i > 0 && sorted[i] == sorted[i - 1])) {
        throw new IllegalArgumentException(
            "alertAt: each percentage is a whole number from 1 to 1000, given once, such as 80 or"
                + " 100; got "
                + Arrays.toString(percents));
      }
    }
    return new AiBudget(scope, model, window, userWindow, limitUsd, sorted);
  }

  private static BigDecimal limit(@Nullable BigDecimal usd, String what) {
    Objects.requireNonNull(usd, "the limit of the AI budget of " + what + " must not be null");
    // A plain copy first: a subclass's own scale() or toString() is never called.
    BigDecimal plain = usd.stripTrailingZeros();
    if (plain.signum() <= 0 || plain.compareTo(MAX_USD) > 0 || plain.scale() > 9) {
      throw new IllegalArgumentException(
          "the limit of the AI budget of "
              + what
              + " must be more than 0 and at most "
              + MAX_USD
              + " US dollars, with at most 9 decimal places, such as 100 or 12.50; got "
              + Printable.decimal(plain));
    }
    return plain.scale() < 0 ? plain.setScale(0) : plain;
  }

  public Scope scope() {
    return scope;
  }

  /** The model of a {@link Scope#MODEL} budget, else null. */
  public @Nullable String model() {
    return model;
  }

  /** The calendar window of a service or model budget, else null. */
  public @Nullable Window window() {
    return window;
  }

  /** The sliding window of a {@link Scope#USER} budget, else null. */
  public @Nullable Duration userWindow() {
    return userWindow;
  }

  /** The limit, in US dollars. */
  public BigDecimal limitUsd() {
    return limitUsd;
  }

  /** The percentages of the limit that raise an alert, ascending. */
  public int[] thresholds() {
    return thresholds.clone();
  }

  /** The {@code window} label value: {@code day} for a calendar day, {@code 24h} for users. */
  public String windowLabel() {
    if (window != null) {
      return window.label();
    }
    long seconds = Objects.requireNonNull(userWindow).getSeconds();
    return seconds % 3600 == 0
        ? seconds / 3600 + "h"
        : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  /** What the budget limits, as alerts name it: {@code service}, the model, or {@code user}. */
  public String name() {
    switch (scope) {
      case SERVICE:
        return "service";
      case MODEL:
        return Objects.requireNonNull(model);
      default:
        return "user";
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AiBudget)) {
      return false;
    }
    AiBudget b = (AiBudget) o;
    return scope == b.scope
        && Objects.equals(model, b.model)
        && window == b.window
        && Objects.equals(userWindow, b.userWindow)
        && limitUsd.compareTo(b.limitUsd) == 0
        && Arrays.equals(thresholds, b.thresholds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scope, model, window, userWindow, limitUsd.stripTrailingZeros());
  }

  @Override
  public String toString() {
    return "AiBudget{"
        + name()
        + " "
        + limitUsd.toPlainString()
        + " USD per "
        + windowLabel()
        + ", alert at "
        + Arrays.toString(thresholds)
        + "%}";
  }
}
