package dev.vigil.internal.page;

import dev.vigil.Ticker;
import dev.vigil.internal.KpiReading;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The thread that fills the {@link History}: every interval of the {@link Ticker} (10 s), one
 * {@link KpiReading} becomes one row. It reads what the metric families already hold, so the
 * business threads never notice it: it adds nothing to {@code trackKpi}, the timers or the HTTP
 * filters.
 *
 * <p>Time is the injected ticker's: the thread parks until the next sample is due, but never longer
 * than {@code maxParkNanos}, so with a fake ticker a test moves time and the sample follows within
 * that bound; {@link #sampleIfDue()} takes it on the caller's thread instead. A failure of any
 * kind, {@link Error}s included, is counted, reported, and the next sample is taken as usual.
 */
final class HistorySampler implements Runnable {
  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  static final long MAX_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String service;
  private final Ticker ticker;
  private final Clock clock;
  private final Supplier<KpiReading> source;
  private final History history;
  private final Runnable countFailure;
  private final Consumer<Throwable> reportFailure;
  private final long intervalNanos;
  private final long maxParkNanos;
  private final History.Row row;
  private long[] previousHttp = new long[0];
  private Map<String, long[]> previousQueues = new HashMap<>();
  private boolean first = true;
  private long due; // guarded by this
  private boolean scheduled; // guarded by this
  private @Nullable Thread thread; // guarded by this
  private volatile boolean closed;

  HistorySampler(
      String service,
      Ticker ticker,
      Clock clock,
      Supplier<KpiReading> source,
      History history,
      Runnable countFailure,
      Consumer<Throwable> reportFailure,
      long intervalNanos,
      long maxParkNanos) {
    this.service = service;
    this.ticker = ticker;
    this.clock = clock;
    this.source = source;
    this.history = history;
    this.countFailure = countFailure;
    this.reportFailure = reportFailure;
    this.intervalNanos = intervalNanos;
    this.maxParkNanos = maxParkNanos;
    this.row = new History.Row(history.windows().size());
  }

  /** Starts the daemon thread; the first sample is taken at once. Calling it again does nothing. */
  synchronized void start() {
    if (closed || thread != null) {
      return;
    }
    Thread t = new Thread(this, "vigil-kpi-page-" + service);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** Stops the thread and waits for it briefly. */
  void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(TimeUnit.NANOSECONDS.toMillis(maxParkNanos) + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void run() {
    while (!closed) {
      long wait;
      try {
        sampleIfDue();
      } catch (Throwable t) { // the sampler must outlive anything, even an Error
        failed(t);
      }
      synchronized (this) {
        wait = due - ticker.read();
      }
      if (closed) {
        break;
      }
      if (wait > 0) {
        LockSupport.parkNanos(this, Math.min(wait, maxParkNanos));
      }
      Thread.interrupted(); // an interrupt is no reason to stop; close() is
    }
  }

  private void failed(Throwable t) {
    try {
      countFailure.run();
      reportFailure.accept(t);
    } catch (Throwable ignored) { // reporting must not end the thread either
      // nothing left to tell it to
    }
  }

  /**
   * Takes a sample if one is due by the ticker; the next is due an interval later (after a stall,
   * an interval after now: no burst of catch-up samples).
   *
   * @return whether a sample was taken
   */
  synchronized boolean sampleIfDue() {
    long now = ticker.read();
    if (scheduled && now - due < 0) {
      return false;
    }
    scheduled = true;
    due = now + intervalNanos;
    sample(source.get());
    return true;
  }

  private void sample(KpiReading r) {
    History.Row out = row;
    out.clear();
    out.time = clock.millis();
    double[] s = out.scalars;
    s[History.INTERACTIONS] = r.interactions;
    s[History.GENERATION_SUCCESS] = r.generationSuccess;
    s[History.GENERATION_FAILURE] = r.generationFailure;
    s[History.CONVERSIONS] = r.paymentConversions;
    s[History.PAYMENT_FAILURES] = r.paymentFailures;
    s[History.TOKENS] = r.tokens;
    s[History.COST_USD] = r.costUsd.doubleValue();
    s[History.HTTP_REQUESTS] = r.http.requests;
    s[History.HTTP_CLIENT_ERRORS] = r.http.clientErrors;
    s[History.HTTP_SERVER_ERRORS] = r.http.serverErrors;
    long[] http = r.http.cumulative();
    long[] httpInterval = first ? http : minus(http, previousHttp);
    s[History.HTTP_P95] = KpiReading.quantile(0.95, r.httpBounds, httpInterval);
    s[History.HTTP_P99] = KpiReading.quantile(0.99, r.httpBounds, httpInterval);
    previousHttp = http;
    s[History.ERRORS] = r.errors;
    for (int w = 0; w < out.distinct.length; w++) {
      out.distinct[w] = w < r.distinct.size() ? r.distinct.get(w).users() : Double.NaN;
    }
    generation(r, out);
    models(r, out);
    queues(r, out);
    history.append(out);
    first = false;
  }

  private static void generation(KpiReading r, History.Row out) {
    List<Map.Entry<String, KpiReading.SuccessFailure>> top =
        KpiReading.top(
            r.generationByType, History.TOP, (a, b) -> Double.compare(a.total(), b.total()));
    double success = r.generationSuccess;
    double failure = r.generationFailure;
    int g = History.GENERATION;
    for (int j = 0; j < top.size(); j++) {
      KpiReading.SuccessFailure sf = top.get(j).getValue();
      out.names[g][j] = top.get(j).getKey();
      out.values[g][0][j] = sf.success;
      out.values[g][1][j] = sf.failure;
      success -= sf.success;
      failure -= sf.failure;
    }
    out.others[g][0] = success;
    out.others[g][1] = failure;
  }

  private static void models(KpiReading r, History.Row out) {
    List<Map.Entry<String, KpiReading.TokensCost>> top =
        KpiReading.top(r.tokensByModel, History.TOP, (a, b) -> Double.compare(a.tokens, b.tokens));
    double tokens = r.tokens;
    BigDecimal cost = r.costUsd;
    int g = History.MODELS;
    for (int j = 0; j < top.size(); j++) {
      KpiReading.TokensCost tc = top.get(j).getValue();
      out.names[g][j] = top.get(j).getKey();
      out.values[g][0][j] = tc.tokens;
      out.values[g][1][j] = tc.costUsd.doubleValue();
      tokens -= tc.tokens;
      cost = cost.subtract(tc.costUsd);
    }
    out.others[g][0] = tokens;
    out.others[g][1] = cost.doubleValue();
  }

  /**
   * Per queue: jobs so far, active jobs, and the median and p95 of the jobs that finished since the
   * previous sample (null when none did, or when the queue was not among the kept ones then).
   */
  private void queues(KpiReading r, History.Row out) {
    List<Map.Entry<String, KpiReading.Queue>> top =
        KpiReading.top(
            r.queues,
            History.TOP,
            (a, b) -> Double.compare(a.observations() + a.active, b.observations() + b.active));
    double jobs = 0;
    double active = 0;
    for (KpiReading.Queue q : r.queues.values()) {
      jobs += q.observations();
      active += q.active;
    }
    Map<String, long[]> buckets = new HashMap<>();
    int g = History.QUEUES;
    for (int j = 0; j < top.size(); j++) {
      String name = top.get(j).getKey();
      KpiReading.Queue q = top.get(j).getValue();
      long[] counts = q.cumulative();
      long[] before = previousQueues.get(name);
      long[] interval = before != null ? minus(counts, before) : first ? counts : new long[0];
      out.names[g][j] = name;
      out.values[g][0][j] = q.observations();
      out.values[g][1][j] = q.active;
      out.values[g][2][j] = KpiReading.quantile(0.5, r.queueBounds, interval);
      out.values[g][3][j] = KpiReading.quantile(0.95, r.queueBounds, interval);
      jobs -= q.observations();
      active -= q.active;
      buckets.put(name, counts);
    }
    out.others[g][0] = jobs;
    out.others[g][1] = active;
    previousQueues = buckets;
  }

  /** {@code now - before}, bucket by bucket; empty when the shapes differ or nothing is known. */
  private static long[] minus(long[] now, long[] before) {
    if (now.length == 0) {
      return now;
    }
    if (before.length == 0) {
      return now;
    }
    if (before.length != now.length) {
      return new long[0];
    }
    long[] d = new long[now.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = now[i] - before[i];
    }
    return d;
  }
}
