package dev.vigil.internal;

import dev.vigil.Pricing;
import dev.vigil.Ticker;
import dev.vigil.spi.SharedUserActivity;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The business analytics plugged into the core: distinct users and top spenders ({@link
 * UserActivity}), AI cost ({@link AiCost}), revenue ({@link Revenue}), the {@code /kpi} document
 * ({@link KpiReport}) and the periodic top-spenders log line. Everything hangs off the core's
 * hooks: KPI listeners, a scrape-time collector, an extra endpoint and a close hook.
 */
public final class BusinessAnalytics {
  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.analytics");

  private final CoreMetrics core;
  private final @Nullable UserActivity activity;
  private final KpiReport report;
  private final AiCost cost;
  private final Revenue revenue;
  private final Duration logInterval;
  private final List<Duration> windows;
  private final int topN;
  private @Nullable ScheduledExecutorService scheduler; // guarded by this
  private @Nullable ScheduledFuture<?> logTask; // guarded by this
  private boolean closed; // guarded by this

  /**
   * @param windows the sliding windows of distinct users and top spenders; empty turns both off
   * @param logInterval how often the top spenders are logged; zero turns the log line off
   */
  public BusinessAnalytics(
      CoreMetrics core,
      Ticker ticker,
      Clock clock,
      Pricing pricing,
      List<Duration> windows,
      int topN,
      Duration logInterval) {
    this.core = core;
    this.logInterval = logInterval;
    this.windows = List.copyOf(windows);
    this.topN = topN;
    this.activity = windows.isEmpty() ? null : new UserActivity(core, ticker, windows, topN);
    this.cost = new AiCost(core, pricing, activity);
    this.revenue = new Revenue(core);
    if (activity != null) {
      core.kpis().addListener(activity);
      core.registerCollector(activity.collector());
    }
    core.kpis().addListener(cost);
    core.kpis().addListener(revenue);
    this.report = new KpiReport(core, clock, activity, cost, revenue);
    core.addEndpoint(
        "/kpi",
        exchange -> {
          String body;
          try {
            core.checkThreads();
            body = report.json();
          } catch (Throwable e) {
            Throwables.rethrowIfFatal(e);
            core.internalError("/kpi", e);
            MetricsServer.respond(
                exchange,
                500,
                "text/plain; charset=utf-8",
                "Vigil could not build /kpi; see the service log.\n");
            return;
          }
          MetricsServer.respond(exchange, 200, "application/json", body);
        });
    core.onClose(this::close);
  }

  /** The windows of distinct users and top spenders; empty when off. */
  public List<Duration> windows() {
    return windows;
  }

  public int topSpenders() {
    return topN;
  }

  /**
   * Shares distinct users and top spenders through {@code shared}; returns the collector the store
   * calls before each flush. See {@code ExtensionContext.shareUserActivity}.
   */
  public Runnable share(SharedUserActivity shared) {
    UserActivity users = activity;
    if (users == null) {
      return () -> {};
    }
    users.share(shared);
    core.registerCollector(users.systemCollector());
    return users::collect;
  }

  /** The AI cost series, which budgets read. */
  public AiCost aiCost() {
    return cost;
  }

  /** The per-user analytics (top spenders), or null when their windows are off. */
  public @Nullable UserActivity userActivity() {
    return activity;
  }

  /** The {@code /kpi} document. */
  public String kpiJson() {
    return report.json();
  }

  /** The business numbers now, as values: what the KPI page samples and shows beside /kpi. */
  public KpiReading reading() {
    return KpiReading.read(core, activity, cost, revenue);
  }

  /** The windows of distinct users and top spenders, such as {@code 5m}; empty when off. */
  public List<String> windowLabels() {
    return activity == null ? List.of() : activity.windowLabels();
  }

  /** Starts the periodic top-spenders log line, if configured. Calling it again does nothing. */
  public synchronized void start() {
    if (closed || scheduler != null || activity == null || logInterval.isZero()) {
      return;
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-top-spenders-" + core.service());
              t.setDaemon(true);
              return t;
            });
    scheduler = s;
    schedule();
    core.watch(this::restartIfDead);
  }

  private synchronized void schedule() {
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      long nanos = logInterval.toNanos();
      logTask = s.scheduleAtFixedRate(this::logTopSpenders, nanos, nanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * The watchdog's check: a periodic task that threw is never run again by its executor, and the
   * task catches everything but a {@link VirtualMachineError}; after one, it is scheduled anew.
   */
  private void restartIfDead() {
    synchronized (this) {
      ScheduledFuture<?> task = logTask;
      if (closed || task == null || !task.isDone()) {
        return;
      }
      schedule();
    }
    core.threadRestarted("top_spenders");
    LOG.warn(
        "Vigil's top-spenders log task for service '{}' had stopped and was scheduled again; see"
            + " vigil_thread_restarts_total.",
        core.service());
  }

  /**
   * Logs one INFO line per window with spend: the top spenders by cost and by tokens. The lists
   * name user ids, which belong in logs, never in labels.
   */
  public void logTopSpenders() {
    UserActivity users = activity;
    if (users == null) {
      return;
    }
    try {
      for (UserActivity.WindowSnapshot w : users.snapshot(true)) {
        if (w.topByTokens().isEmpty() && w.topByCostNanos().isEmpty()) {
          continue;
        }
        StringBuilder cost = new StringBuilder();
        for (UserActivity.Spender s : w.topByCostNanos()) {
          cost.append(cost.length() == 0 ? "" : ", ")
              .append(s.userId())
              .append('=')
              .append(JsonWriter.plain(BigDecimal.valueOf(s.amount(), AiCost.SCALE)));
        }
        StringBuilder tokens = new StringBuilder();
        for (UserActivity.Spender s : w.topByTokens()) {
          tokens
              .append(tokens.length() == 0 ? "" : ", ")
              .append(s.userId())
              .append('=')
              .append(s.amount());
        }
        if (w.spendersShared()) {
          LOG.info(
              "Top spenders of service '{}' in the last {} (all replicas): by cost USD [{}]; by"
                  + " tokens [{}]",
              core.service(),
              w.window(),
              cost,
              tokens);
          continue;
        }
        LOG.info(
            "Top spenders of service '{}' in the last {}: by cost USD [{}]; by tokens [{}]"
                + " (max error {} USD, {} tokens)",
            core.service(),
            w.window(),
            cost,
            tokens,
            JsonWriter.plain(BigDecimal.valueOf(w.maxErrorCostNanos(), AiCost.SCALE)),
            w.maxErrorTokens());
      }
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      core.internalError("top spenders log", e);
    }
  }

  private synchronized void close() {
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
