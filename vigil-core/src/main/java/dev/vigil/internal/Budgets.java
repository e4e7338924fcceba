package dev.vigil.internal;

import dev.vigil.AiBudget;
import dev.vigil.MetricCatalog;
import dev.vigil.alert.Alert;
import dev.vigil.alert.Alerts;
import dev.vigil.alert.Severity;
import dev.vigil.spi.SharedCounters;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AI budgets: spend per calendar window for the service and per model, from the exact cost
 * series ({@code ai_cost_usd_total} less its value when the window started), and per user from the
 * top-spender sketches. Checked on a thread of its own every interval and at every window boundary,
 * and at every scrape; nothing is added to {@code trackKpi}.
 *
 * <p>With a shared store ({@code vigil-redis}), each replica adds its spend, in cents, to a shared
 * counter per budget, and the thresholds are checked against the total of every replica. Three
 * counters per budget take turns, one per window: a sliding-window counter read during window
 * {@code k} holds only window {@code k}'s spend, since window {@code k - 3} ended two windows ago.
 */
public final class Budgets {
  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.budgets");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final long NANOS_PER_CENT = 10_000_000L;

  /** Increments handed to a shared counter per check at most; the rest waits for the next one. */
  static final long MAX_CENTS_PER_CHECK = 1_000_000;

  /** Users remembered as alerted, per user budget. */
  static final int MAX_ALERTED_USERS = 1000;

  private final CoreMetrics core;
  private final AiCost cost;
  private final @Nullable UserActivity activity;
  private final Alerts alerts;
  private final Clock clock;
  private final ZoneId zone;
  private final Duration interval;
  private final List<WindowBudget> windowBudgets = new ArrayList<>();
  private final List<UserBudget> userBudgets = new ArrayList<>();
  private @Nullable ScheduledExecutorService scheduler; // guarded by this
  private @Nullable ScheduledFuture<?> task; // guarded by this
  private boolean closed; // guarded by this
  private boolean shared; // guarded by this

  public Budgets(
      CoreMetrics core,
      AiCost cost,
      @Nullable UserActivity activity,
      Alerts alerts,
      Clock clock,
      List<AiBudget> budgets,
      ZoneId zone,
      Duration interval) {
    this.core = core;
    this.cost = cost;
    this.activity = activity;
    this.alerts = alerts;
    this.clock = clock;
    this.zone = zone;
    this.interval = interval;
    for (AiBudget b : budgets) {
      if (b.scope() == AiBudget.Scope.USER) {
        userBudgets.add(new UserBudget(b));
      } else {
        windowBudgets.add(new WindowBudget(b));
      }
    }
    if (!budgets.isEmpty()) {
      registerGauges();
      core.onClose(this::close);
    }
  }

  public boolean configured() {
    return !windowBudgets.isEmpty() || !userBudgets.isEmpty();
  }

  /** Checks on a thread of its own from now on. Calling it again does nothing. */
  public synchronized void start() {
    if (closed || scheduler != null || !configured()) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-budgets-" + core.service());
              t.setDaemon(true);
              return t;
            });
    schedule(0);
  }

  private synchronized void schedule(long delayNanos) {
    ScheduledExecutorService s = scheduler;
    if (s != null && !closed) {
      task = s.schedule(this::run, delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * One check, then the next one scheduled: after the interval, or just after the next window
   * boundary if that comes first, so a window's spend is taken when it ends. The next run is
   * scheduled even after a {@link VirtualMachineError}, which the executor's future keeps.
   */
  private void run() {
    long next = interval.toNanos();
    try {
      next = Math.min(next, check());
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      core.internalError("AI budgets", t);
    } finally {
      schedule(Math.max(TimeUnit.MILLISECONDS.toNanos(10), next));
    }
  }

  /**
   * Each service and model budget adds its spend to shared counters from now on, and checks its
   * thresholds against their total while the store answers.
   */
  public synchronized void share(SharedCounters counters) {
    if (shared) {
      throw new IllegalStateException(
          "AI budgets are already shared; install one shared-store extension only");
    }
    shared = true;
    for (WindowBudget b : windowBudgets) {
      b.share(counters, core.service());
    }
  }

  /**
   * Brings every budget up to date: the spend of each window, the thresholds it reached.
   *
   * @return nanoseconds until the next window boundary of any budget
   */
  public synchronized long check() {
    Instant now = clock.instant();
    Map<String, BigDecimal> byModel = new HashMap<>();
    BigDecimal all = BigDecimal.ZERO;
    for (DecimalCounterCell cell : cost.costFamily().cells()) {
      if (!cell.exposed()) {
        continue;
      }
      BigDecimal usd = cell.decimalValue();
      all = all.add(usd);
      String model = cell.labels().get("model");
      if (model != null) {
        byModel.merge(model, usd, BigDecimal::add);
      }
    }
    long untilBoundary = Long.MAX_VALUE;
    for (WindowBudget b : windowBudgets) {
      BigDecimal total =
          b.budget.scope() == AiBudget.Scope.SERVICE
              ? all
              : byModel.getOrDefault(b.budget.model(), BigDecimal.ZERO);
      untilBoundary = Math.min(untilBoundary, b.update(now, total));
    }
    if (!userBudgets.isEmpty() && activity != null) {
      List<UserActivity.WindowSnapshot> windows = activity.snapshot(true);
      for (UserBudget b : userBudgets) {
        b.update(now, windows);
      }
    }
    return untilBoundary;
  }

  private synchronized void close() {
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  /** A service or model budget over calendar windows. */
  private final class WindowBudget {
    final AiBudget budget;
    final int[] thresholds;
    final long[] alertedIn;
    final Labels labels;
    long window = Long.MIN_VALUE;
    Instant windowStart = Instant.EPOCH;
    Instant windowEnd = Instant.EPOCH;
    BigDecimal baseline = BigDecimal.ZERO;
    BigDecimal spend = BigDecimal.ZERO;

    /** Shared counters and what the store last said of them; null until shared. */
    SharedCounters.@Nullable SharedCounter[] counters;

    final long[] sharedCents = {SharedCounters.UNAVAILABLE, SharedCounters.UNAVAILABLE, -1};
    long fedNanos; // of the current window, handed to the counters so far
    long fedWindow = Long.MIN_VALUE;

    WindowBudget(AiBudget budget) {
      this.budget = budget;
      this.thresholds = budget.thresholds();
      this.alertedIn = new long[thresholds.length];
      java.util.Arrays.fill(alertedIn, Long.MIN_VALUE);
      String window = budget.windowLabel();
      this.labels =
          budget.scope() == AiBudget.Scope.SERVICE
              ? Labels.of(MetricCatalog.SERVICE_LABEL, core.service(), "window", window)
              : Labels.of(
                  MetricCatalog.SERVICE_LABEL,
                  core.service(),
                  "model",
                  budget.model(),
                  "window",
                  window);
    }

    void share(SharedCounters store, String service) {
      SharedCounters.SharedCounter[] made = new SharedCounters.SharedCounter[3];
      Duration length = longest(budget.window());
      for (int k = 0; k < 3; k++) {
        int slot = k;
        made[k] =
            store.counter(
                "ai_budget:" + budget.name() + ":" + budget.windowLabel() + ":" + k,
                length,
                total -> {
                  synchronized (Budgets.this) {
                    sharedCents[slot] = total;
                  }
                });
      }
      counters = made;
    }

    /**
     * @return nanoseconds until the window ends
     */
    long update(Instant now, BigDecimal total) {
      ZonedDateTime start = windowStart(now, budget.window());
      long index = windowIndex(start, budget.window());
      if (index != window) {
        feedShared(total); // what the old window spent since the last check
        baseline = window == Long.MIN_VALUE ? BigDecimal.ZERO : total;
        window = index;
        windowStart = start.toInstant();
        windowEnd = next(start, budget.window()).toInstant();
        fedWindow = index;
        fedNanos = 0;
      }
      spend = total.subtract(baseline).max(BigDecimal.ZERO);
      feedShared(total);
      BigDecimal decided = spend;
      SharedCounters.SharedCounter[] c = counters;
      if (c != null) {
        long cents = sharedCents[(int) Math.floorMod(window, 3L)];
        if (cents >= 0) {
          decided = decided.max(BigDecimal.valueOf(cents).movePointLeft(2));
        }
      }
      for (int i = 0; i < thresholds.length; i++) {
        if (alertedIn[i] == window) {
          continue;
        }
        BigDecimal level =
            budget.limitUsd().multiply(BigDecimal.valueOf(thresholds[i])).divide(HUNDRED);
        if (decided.compareTo(level) >= 0) {
          alertedIn[i] = window;
          raise(i, decided, c != null && decided.compareTo(spend) > 0, start);
        }
      }
      return Duration.between(now, windowEnd).toNanos() + TimeUnit.MILLISECONDS.toNanos(1);
    }

    /** Hands this window's spend since the last call to the shared counter of the window. */
    private void feedShared(BigDecimal total) {
      SharedCounters.SharedCounter[] c = counters;
      if (c == null || window == Long.MIN_VALUE) {
        return;
      }
      long spentNanos =
          total.subtract(baseline).movePointRight(9).setScale(0, RoundingMode.DOWN).longValue();
      long cents = Math.min((spentNanos - fedNanos) / NANOS_PER_CENT, MAX_CENTS_PER_CHECK);
      if (cents <= 0) {
        return;
      }
      SharedCounters.SharedCounter counter = c[(int) Math.floorMod(fedWindow, 3L)];
      for (long i = 0; i < cents; i++) {
        counter.increment();
      }
      fedNanos += cents * NANOS_PER_CENT;
    }

    private void raise(int threshold, BigDecimal spent, boolean replicas, ZonedDateTime start) {
      int percent = thresholds[threshold];
      String period = period(start, budget.window());
      String whose =
          budget.scope() == AiBudget.Scope.SERVICE
              ? "service '" + core.service() + "'"
              : "model " + budget.model() + " of service '" + core.service() + "'";
      String message =
          "AI spend of "
              + whose
              + " reached "
              + usd(spent)
              + ", "
              + percent
              + "% of its budget of "
              + usd(budget.limitUsd())
              + " per "
              + budget.windowLabel()
              + (replicas ? " across its replicas" : "")
              + " ("
              + budget.windowLabel()
              + " of "
              + period
              + ", "
              + zone.getId()
              + ")";
      alerts.send(
          Alert.builder("ai_budget", percent < 100 ? Severity.WARNING : Severity.ERROR, message)
              .groupBy("budget", budget.name())
              .groupBy("window", budget.windowLabel())
              .groupBy("threshold", Integer.toString(percent))
              .groupBy("period", period)
              .context("spendUsd", spent.setScale(2, RoundingMode.HALF_UP).toPlainString())
              .context("limitUsd", budget.limitUsd().toPlainString())
              .context("windowStart", windowStart.toString())
              .context("windowEnd", windowEnd.toString())
              .time(clock.instant())
              .build());
      LOG.debug("AI budget alert raised: {}", message);
    }
  }

  /** A limit on each user's spend over a sliding window of the top spenders. */
  private final class UserBudget {
    final AiBudget budget;
    final int[] thresholds;
    final String window;
    final Labels labels;

    /** User and threshold to when the alert was raised, oldest first. */
    final LinkedHashMap<String, Instant> alerted = new LinkedHashMap<>();

    int over;

    UserBudget(AiBudget budget) {
      this.budget = budget;
      this.thresholds = budget.thresholds();
      this.window = budget.windowLabel();
      this.labels = Labels.of(MetricCatalog.SERVICE_LABEL, core.service(), "window", window);
    }

    void update(Instant now, List<UserActivity.WindowSnapshot> windows) {
      Duration length = java.util.Objects.requireNonNull(budget.userWindow());
      for (Iterator<Instant> it = alerted.values().iterator(); it.hasNext(); ) {
        if (!it.next().plus(length).isAfter(now)) {
          it.remove();
        }
      }
      UserActivity.WindowSnapshot w = null;
      for (UserActivity.WindowSnapshot candidate : windows) {
        if (candidate.window().equals(window)) {
          w = candidate;
        }
      }
      if (w == null) {
        over = 0;
        return;
      }
      long limitNanos =
          budget.limitUsd().movePointRight(9).setScale(0, RoundingMode.CEILING).longValue();
      int count = 0;
      for (int i = thresholds.length - 1; i >= 0; i--) {
        long level = limitNanos / 100 * thresholds[i];
        List<String> newly = new ArrayList<>();
        for (UserActivity.Spender s : w.topByCostNanos()) {
          // The sketch's estimate less its maximum error: no user is called over budget by error.
          long atLeast = s.amount() - w.maxErrorCostNanos();
          if (atLeast < level) {
            continue;
          }
          if (thresholds[i] >= 100) {
            count++;
          }
          String key = s.userId() + '\u0000' + thresholds[i];
          if (!alerted.containsKey(key)) {
            if (alerted.size() >= MAX_ALERTED_USERS) {
              Iterator<String> oldest = alerted.keySet().iterator();
              oldest.next();
              oldest.remove();
            }
            alerted.put(key, now);
            newly.add(s.userId() + "=" + usd(BigDecimal.valueOf(atLeast, 9)));
          }
        }
        if (!newly.isEmpty()) {
          raise(thresholds[i], newly);
        }
      }
      over = thresholds[thresholds.length - 1] >= 100 ? count : 0;
    }

    private void raise(int percent, List<String> users) {
      String message =
          users.size()
              + (users.size() == 1 ? " user" : " users")
              + " of service '"
              + core.service()
              + "' spent "
              + percent
              + "% or more of the AI budget of "
              + usd(budget.limitUsd())
              + " per user in the last "
              + window
              + ": "
              + String.join(", ", users);
      alerts.send(
          Alert.builder("ai_budget", percent < 100 ? Severity.WARNING : Severity.ERROR, message)
              .groupBy("budget", "user")
              .groupBy("window", window)
              .groupBy("threshold", Integer.toString(percent))
              .context("users", String.join(", ", users))
              .context("limitUsd", budget.limitUsd().toPlainString())
              .time(clock.instant())
              .build());
    }
  }

  private static String usd(BigDecimal amount) {
    return "$" + amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
  }

  private ZonedDateTime windowStart(Instant now, AiBudget.@Nullable Window window) {
    ZonedDateTime t = now.atZone(zone);
    switch (java.util.Objects.requireNonNull(window)) {
      case HOUR:
        return t.truncatedTo(ChronoUnit.HOURS);
      case DAY:
        return t.toLocalDate().atStartOfDay(zone);
      case WEEK:
        return t.toLocalDate()
            .with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
            .atStartOfDay(zone);
      default:
        return t.toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
    }
  }

  private static ZonedDateTime next(ZonedDateTime start, AiBudget.@Nullable Window window) {
    switch (java.util.Objects.requireNonNull(window)) {
      case HOUR:
        return start.plusHours(1);
      case DAY:
        return start.toLocalDate().plusDays(1).atStartOfDay(start.getZone());
      case WEEK:
        return start.toLocalDate().plusWeeks(1).atStartOfDay(start.getZone());
      default:
        return start.toLocalDate().plusMonths(1).atStartOfDay(start.getZone());
    }
  }

  /** Consecutive windows have consecutive numbers (the shared counters take turns by them). */
  private static long windowIndex(ZonedDateTime start, AiBudget.@Nullable Window window) {
    LocalDate day = start.toLocalDate();
    switch (java.util.Objects.requireNonNull(window)) {
      case HOUR:
        return Math.floorDiv(start.toLocalDateTime().toEpochSecond(java.time.ZoneOffset.UTC), 3600);
      case DAY:
        return day.toEpochDay();
      case WEEK:
        return Math.floorDiv(day.toEpochDay() + 3, 7); // 1970-01-01 was a Thursday
      default:
        return day.getYear() * 12L + day.getMonthValue() - 1;
    }
  }

  /** The window's name in alerts: 2026-12-01T13:00, 2026-12-01, week of 2026-11-30, 2026-12. */
  private static String period(ZonedDateTime start, AiBudget.@Nullable Window window) {
    switch (java.util.Objects.requireNonNull(window)) {
      case HOUR:
        return start.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
      case DAY:
      case WEEK:
        return start.toLocalDate().toString();
      default:
        return start.format(DateTimeFormatter.ofPattern("yyyy-MM"));
    }
  }

  /** The longest a window can be, DST and month lengths included: the shared counters' window. */
  private static Duration longest(AiBudget.@Nullable Window window) {
    switch (java.util.Objects.requireNonNull(window)) {
      case HOUR:
        return Duration.ofHours(1);
      case DAY:
        return Duration.ofHours(25);
      case WEEK:
        return Duration.ofDays(7).plusHours(1);
      default:
        return Duration.ofDays(31).plusHours(1);
    }
  }

  /** One budget gauge, read at scrape time after a check, so it is never stale. */
  private final class BudgetGauge implements Collector {
    private final MetricCatalog.Definition definition;
    private final java.util.function.Consumer<GaugeSnapshot.Builder> points;

    BudgetGauge(
        MetricCatalog.Definition definition,
        java.util.function.Consumer<GaugeSnapshot.Builder> points) {
      this.definition = definition;
      this.points = points;
    }

    @Override
    public MetricSnapshot collect() {
      check();
      GaugeSnapshot.Builder builder =
          GaugeSnapshot.builder().name(definition.name()).help(definition.help());
      synchronized (Budgets.this) {
        points.accept(builder);
      }
      return builder.build();
    }

    @Override
    public MetricFamilyDescriptor getMetricFamilyDescriptor() {
      List<String> labels = new ArrayList<>();
      labels.add(MetricCatalog.SERVICE_LABEL);
      labels.addAll(definition.labelNames());
      return MetricFamilyDescriptor.of(
          MetricType.GAUGE, new MetricMetadata(definition.name(), definition.help()), labels);
    }
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private void registerGauges() {
    boolean service = false;
    boolean model = false;
    for (WindowBudget b : windowBudgets) {
      service |= b.budget.scope() == AiBudget.Scope.SERVICE;
      model |= b.budget.scope() == AiBudget.Scope.MODEL;
    }
    if (service) {
      core.registerCollector(
          new BudgetGauge(MetricCatalog.AI_BUDGET_SPEND, g -> windowPoints(g, true, true)));
      core.registerCollector(
          new BudgetGauge(MetricCatalog.AI_BUDGET_LIMIT, g -> windowPoints(g, true, false)));
    }
    if (model) {
      core.registerCollector(
          new BudgetGauge(MetricCatalog.AI_BUDGET_MODEL_SPEND, g -> windowPoints(g, false, true)));
      core.registerCollector(
          new BudgetGauge(MetricCatalog.AI_BUDGET_MODEL_LIMIT, g -> windowPoints(g, false, false)));
    }
    if (!userBudgets.isEmpty()) {
      core.registerCollector(
          new BudgetGauge(
              MetricCatalog.AI_BUDGET_USERS_OVER,
              g -> {
                for (UserBudget b : userBudgets) {
                  g.dataPoint(point(b.labels, b.over));
                }
              }));
      core.registerCollector(
          new BudgetGauge(
              MetricCatalog.AI_BUDGET_USER_LIMIT,
              g -> {
                for (UserBudget b : userBudgets) {
                  g.dataPoint(point(b.labels, b.budget.limitUsd().doubleValue()));
                }
              }));
    }
  }

  private void windowPoints(GaugeSnapshot.Builder g, boolean service, boolean spend) {
    for (WindowBudget b : windowBudgets) {
      if ((b.budget.scope() == AiBudget.Scope.SERVICE) == service) {
        g.dataPoint(
            point(b.labels, spend ? b.spend.doubleValue() : b.budget.limitUsd().doubleValue()));
      }
    }
  }
}
