package dev.vigil.redis.internal;

import dev.vigil.KpiCounter;
import dev.vigil.KpiGauge;
import dev.vigil.KpiHistogram;
import dev.vigil.MetricCatalog;
import dev.vigil.redis.internal.Keys.Level;
import dev.vigil.spi.ExtensionContext;
import dev.vigil.spi.SharedCounters;
import dev.vigil.spi.SharedUserActivity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.resps.Tuple;

/**
 * Distinct users, top spenders and alert thresholds shared through Redis: the buffer the analytics
 * hand events to, the flusher thread, and the figures it last read.
 *
 * <p><b>One flush</b> (every flush interval, sooner when the buffer is half full) is one pipelined
 * round trip: the ids since the last flush, de-duplicated, as variadic PFADDs into this minute's
 * HyperLogLog of the service and of the whole namespace; the spends, summed per user, as ZINCRBYs
 * into the sorted sets of the buckets the windows need, each trimmed to a bounded size; the
 * threshold counters' increments; once a minute, the roll-up of the minute before last into its
 * hour (and of the hour before last into its day) with PFMERGE, which is idempotent, so every
 * replica may do it; and the reads: the counters' windows (MGET) every flush, distinct users
 * (PFCOUNT over a window's buckets) and top spenders (ZUNIONSTORE, ZREVRANGE) every refresh
 * interval. Every key expires.
 *
 * <p><b>Faults.</b> A failed round trip keeps its batches (bounded by the buffer size, oldest
 * dropped first, counted) for the next flush, marks Redis down, and makes every figure unavailable,
 * so Vigil shows its local ones; the first flush that succeeds writes what was kept, reads again
 * and brings the figures back.
 */
final class RedisShare implements SharedUserActivity, SharedCounters, Runnable {
  private static final int CHUNK = 8192;
  private static final String ACTIVITY = "activity";
  private static final String SPEND = "spend";

  private final ExtensionContext context;
  private final RedisLink link;
  private final Keys keys;
  private final Clock clock;
  private final String replica;
  private final Duration[] windows;
  private final Level[] levels;
  private final Set<Level> spendLevels = EnumSet.noneOf(Level.class);
  private final boolean rollUpHours;
  private final boolean rollUpDays;
  private final long minuteTtl;
  private final long hourTtl;
  private final long dayTtl;
  private final int topN;
  private final int spendersKept;
  private final long flushNanos;
  private final long refreshNanos;
  private final long staleNanos;
  private final EventBuffer buffer;
  private final int maxPending;
  private final List<Counter> counters = new ArrayList<>();

  // The flusher's reused buffers: one run of hashes, its PFADD elements, spare sets of hashes.
  private final long[] run = new long[CHUNK];
  private final HashElement[] elements = new HashElement[CHUNK];
  private final ArrayDeque<LongSet> spareSets = new ArrayDeque<>();

  private final KpiCounter dropped;
  private final KpiCounter flushed;
  private final KpiCounter fallbacks;
  private final KpiGauge buffered;
  private final KpiHistogram flushDuration;

  private volatile Runnable collect = () -> {};
  private volatile @Nullable Thread thread;
  private volatile boolean sleeping;
  private volatile boolean stopping;

  // The flusher thread's own state.
  private final ArrayDeque<Batch> pending = new ArrayDeque<>();
  private int pendingIds;
  private long mergedMinute = Long.MIN_VALUE;
  private long mergedHour = Long.MIN_VALUE;
  private long lastRefresh;
  private long lastCollect = Long.MIN_VALUE / 2;
  private long reportedDroppedActivity;
  private long reportedDroppedSpend;

  // What the last refresh read, published together.
  private volatile @Nullable Figures figures;

  RedisShare(RedisConfig config, ExtensionContext context, RedisLink link, String replica) {
    this.context = context;
    this.link = link;
    this.keys = new Keys(config.namespace(), context.service());
    this.clock = context.clock();
    this.replica = replica;
    List<Duration> configured = context.activeUserWindows();
    this.windows = configured.toArray(new Duration[0]);
    this.levels = new Level[windows.length];
    long maxMinute = 0;
    long maxHour = 0;
    long maxDay = 0;
    for (int w = 0; w < windows.length; w++) {
      long millis = windows[w].toMillis();
      levels[w] = Level.of(millis);
      spendLevels.add(levels[w]);
      switch (levels[w]) {
        case MINUTE:
          maxMinute = Math.max(maxMinute, millis);
          break;
        case HOUR:
          maxHour = Math.max(maxHour, millis);
          break;
        default:
          maxDay = Math.max(maxDay, millis);
      }
    }
    this.rollUpDays = maxDay > 0;
    this.rollUpHours = maxHour > 0 || rollUpDays;
    // A minute key is read for its windows and merged into its hour two minutes after it ends; an
    // hour key likewise, into its day. Each lives a little longer than the longest use.
    this.minuteTtl = maxMinute + 5 * Level.MINUTE.millis;
    this.hourTtl = Math.max(maxHour, 3 * Level.HOUR.millis) + 2 * Level.HOUR.millis;
    this.dayTtl = maxDay + 2 * Level.DAY.millis;
    this.topN = context.topSpenders();
    this.spendersKept = Math.max(64, 8 * topN);
    this.flushNanos = config.flushInterval().toNanos();
    this.refreshNanos = Math.max(flushNanos, config.refreshInterval().toNanos());
    this.staleNanos = 3 * refreshNanos + 2 * config.timeout().toNanos();
    this.buffer = new EventBuffer(Integer.highestOneBit(config.bufferSize()));
    this.maxPending = buffer.capacity();
    this.dropped = context.counter(MetricCatalog.REDIS_IDS_DROPPED);
    this.flushed = context.counter(MetricCatalog.REDIS_IDS_FLUSHED);
    this.fallbacks = context.counter(MetricCatalog.REDIS_LOCAL_FALLBACKS);
    this.buffered = context.gauge(MetricCatalog.REDIS_BUFFERED_IDS);
    this.flushDuration = context.histogram(MetricCatalog.REDIS_FLUSH_DURATION);
    for (int k = 0; k < CHUNK; k++) {
      elements[k] = new HashElement();
    }
  }

  void collector(Runnable collect) {
    this.collect = collect;
  }

  // What the analytics hand over, on the threads that drain them: buffered, never sent here.

  @Override
  public void accept(
      @Nullable String[] userIds, long[] tokens, long[] costNanoUsd, int from, int to) {
    acceptHashed(userIds, null, tokens, costNanoUsd, from, to);
  }

  @Override
  public void acceptHashed(
      @Nullable String[] userIds,
      long @Nullable [] userHashes,
      long[] tokens,
      long[] costNanoUsd,
      int from,
      int to) {
    buffer.offer(userIds, userHashes, tokens, costNanoUsd, from, to);
    Thread t = thread;
    if (t != null && sleeping && buffer.size() >= buffer.capacity() / 2) {
      LockSupport.unpark(t);
    }
  }

  @Override
  public SharedCounter counter(String name, Duration window, LongConsumer totals) {
    Counter c = new Counter(name, window.toMillis(), totals);
    synchronized (counters) {
      counters.add(c);
    }
    return c.pending::increment;
  }

  // The shared figures, read from memory: the flusher thread refreshes them.

  @Override
  public long distinctUsers(Duration window, Scope scope) {
    Figures f = current();
    int w = index(window);
    if (f == null || w < 0) {
      fallbacks.inc(scope == Scope.SERVICE ? "distinct_users" : "system_distinct_users");
      return SharedUserActivity.UNAVAILABLE;
    }
    return scope == Scope.SERVICE ? f.service[w] : f.system[w];
  }

  @Override
  public @Nullable List<Spender> topSpenders(Duration window, Ranking ranking) {
    Figures f = current();
    int w = index(window);
    if (f == null || w < 0) {
      if (ranking == Ranking.COST) {
        fallbacks.inc("top_spenders");
      }
      return null;
    }
    return ranking == Ranking.COST ? f.byCost.get(w) : f.byTokens.get(w);
  }

  private @Nullable Figures current() {
    Figures f = figures;
    if (f == null || !link.up() || System.nanoTime() - f.readAt > staleNanos) {
      return null;
    }
    return f;
  }

  private int index(Duration window) {
    for (int i = 0; i < windows.length; i++) {
      if (windows[i].equals(window)) {
        return i;
      }
    }
    return -1;
  }

  void start() {
    Thread t = new Thread(this, "vigil-redis-" + context.service());
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** Stops the thread after one last flush, waiting at most {@code timeout}. */
  void stop(Duration timeout) {
    stopping = true;
    Thread t = thread;
    if (t == null) {
      return;
    }
    LockSupport.unpark(t);
    try {
      t.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    long next = System.nanoTime();
    while (true) {
      boolean last = stopping;
      try {
        flush();
      } catch (Throwable e) { // the flusher survives anything but a failing JVM
        if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
          figures = null;
          throw (VirtualMachineError) e;
        }
        figures = null;
        context.warn("redis|flusher", "Vigil's Redis flusher failed and carries on: " + e);
      }
      if (last) {
        return;
      }
      next += flushNanos;
      long wait = next - System.nanoTime();
      if (wait <= 0) {
        next = System.nanoTime(); // behind: flush again at once, do not accumulate debt
        continue;
      }
      sleeping = true;
      try {
        if (!stopping && buffer.size() < buffer.capacity() / 2) {
          LockSupport.parkNanos(this, wait);
        }
      } finally {
        sleeping = false;
      }
    }
  }

  /** One flush: take in, write, roll up, read; one round trip. */
  void flush() {
    long started = System.nanoTime();
    try {
      // Once per interval, not on every early wake-up of a busy buffer: collecting takes the
      // analytics' stripe locks, which busy callers would then find taken.
      if (stopping || started - lastCollect >= flushNanos) {
        lastCollect = started;
        collect.run();
      }
    } catch (RuntimeException e) {
      context.warn("redis|collect", "Vigil could not collect user activity for Redis: " + e);
    }
    long nowMillis = clock.millis();
    takeIn(nowMillis);
    long minute = Math.floorDiv(nowMillis, Level.MINUTE.millis);
    long hour = Math.floorDiv(nowMillis, Level.HOUR.millis);
    boolean refresh = figures == null || started - lastRefresh >= refreshNanos;
    List<Counter> counterList;
    synchronized (counters) {
      counterList = List.copyOf(counters);
    }
    Reads reads;
    try {
      reads = roundTrip(counterList, nowMillis, minute, hour, refresh);
    } catch (RuntimeException e) {
      reads = null;
      if (RedisLink.moved(e)) {
        // The cluster moved the namespace's slot: nothing was written (every key is in that
        // slot), so the same round trip goes to its new primary at once.
        link.topologyChanged();
        try {
          reads = roundTrip(counterList, nowMillis, minute, hour, refresh);
        } catch (RuntimeException again) {
          e = again;
        }
      }
      if (reads == null) {
        link.failed(RedisLink.FLUSH, e);
        figures = null;
        for (Counter c : counterList) {
          safely(c.totals, SharedCounters.UNAVAILABLE);
          fallbacks.inc("alert_threshold");
        }
        buffered.set(buffer.size() + pendingIds);
        return;
      }
    }
    link.succeeded();
    for (Batch b : pending) {
      flushed.add(b.activityEvents, ACTIVITY);
      flushed.add(b.spendEvents, SPEND);
    }
    for (Batch b : pending) {
      recycle(b);
    }
    pending.clear();
    pendingIds = 0;
    for (int i = 0; i < counterList.size(); i++) {
      safely(counterList.get(i).totals, reads.counterTotal(i));
    }
    if (refresh) {
      figures = reads.figures(started);
      lastRefresh = started;
    }
    buffered.set(buffer.size());
    flushDuration.observe((System.nanoTime() - started) / 1e9);
  }

  private void safely(LongConsumer totals, long total) {
    try {
      totals.accept(total);
    } catch (RuntimeException e) {
      context.warn("redis|threshold", "A shared alert threshold failed: " + e);
    }
  }

  /** An empty set of hashes for a new batch: a spare one when there is one. */
  private LongSet freshSet() {
    LongSet spare = spareSets.pollFirst();
    return spare != null ? spare : new LongSet(maxPending);
  }

  /** Keeps a written or dropped batch's set for a later batch: its room need not grow again. */
  private void recycle(Batch b) {
    if (spareSets.size() < 2) {
      b.users.clear();
      spareSets.addLast(b.users);
    }
  }

  /** Moves the buffer's events into this minute's batch, and the counters' increments. */
  private void takeIn(long nowMillis) {
    long minute = Math.floorDiv(nowMillis, Level.MINUTE.millis);
    Batch last = pending.peekLast();
    Batch b =
        last != null && last.minute == minute ? last : new Batch(minute, nowMillis, freshSet());
    if (b != last) {
      pending.addLast(b);
    }
    int before = b.size();
    long[] lost = new long[2];
    buffer.drainTo(
        new EventBuffer.Sink() {
          @Override
          public void activity(long userHash) {
            b.activityEvents++;
            if (!b.users.add(userHash) && b.users.isFull()) {
              lost[0]++;
            }
          }

          @Override
          public void spend(String id, long tokens, long cost) {
            b.spendEvents++;
            long[] sums = b.spends.get(id);
            if (sums == null) {
              if (b.spends.size() >= maxPending) {
                lost[1]++;
                return;
              }
              sums = new long[2];
              b.spends.put(id, sums);
            }
            sums[0] += tokens;
            sums[1] += cost;
          }
        });
    synchronized (counters) {
      for (Counter c : counters) {
        b.counts.merge(c, c.pending.sumThenReset(), Long::sum);
      }
    }
    pendingIds += b.size() - before;
    // Redis down for long: keep the newest batches only, within the buffer's size.
    while (pendingIds > maxPending && pending.size() > 1) {
      Batch oldest = pending.removeFirst();
      pendingIds -= oldest.size();
      lost[0] += oldest.users.size();
      lost[1] += oldest.spends.size();
      recycle(oldest);
    }
    long droppedActivity = buffer.droppedActivity();
    long droppedSpend = buffer.droppedSpend();
    lost[0] += droppedActivity - reportedDroppedActivity;
    lost[1] += droppedSpend - reportedDroppedSpend;
    reportedDroppedActivity = droppedActivity;
    reportedDroppedSpend = droppedSpend;
    if (lost[0] > 0) {
      dropped.add(lost[0], ACTIVITY);
    }
    if (lost[1] > 0) {
      dropped.add(lost[1], SPEND);
    }
    if (lost[0] + lost[1] > 0) {
      context.warn(
          "redis|dropped",
          "Vigil dropped "
              + (lost[0] + lost[1])
              + " user ids on their way to Redis: the buffer of "
              + buffer.capacity()
              + " was full (traffic above what one flush per interval carries, or Redis down for"
              + " long). This replica's own figures still count them; see"
              + " vigil_redis_ids_dropped_total, and raise VIGIL_REDIS_BUFFER_SIZE or lower"
              + " VIGIL_REDIS_FLUSH_INTERVAL.");
    }
  }

  /**
   * One pipelined round trip: the pending batches, the roll-ups and the reads.
   *
   * @throws RuntimeException what Jedis threw, or the first error any command answered with
   */
  private Reads roundTrip(
      List<Counter> counterList, long nowMillis, long minute, long hour, boolean refresh) {
    link.prepare();
    List<Response<?>> writes = new ArrayList<>();
    Reads reads;
    try (Pipeline p = link.pipeline()) {
      for (Batch b : pending) {
        write(p, b, counterList, writes);
      }
      long mergeMinuteTo = minute - 2;
      long mergeHourTo = hour - 2;
      if (rollUpHours) {
        rollUpMinutes(p, mergeMinuteTo, writes);
      }
      if (rollUpDays) {
        rollUpHours(p, mergeHourTo, writes);
      }
      reads = read(p, counterList, nowMillis, minute, hour, refresh);
      p.sync();
      for (Response<?> w : writes) {
        w.get(); // an error reply (MOVED, OOM, NOPERM) fails the flush: the batch is kept
      }
      reads.check();
      mergedMinute = rollUpHours ? mergeMinuteTo : mergedMinute;
      mergedHour = rollUpDays ? mergeHourTo : mergedHour;
    }
    return reads;
  }

  private void write(Pipeline p, Batch b, List<Counter> counterList, List<Response<?>> writes) {
    if (!b.users.isEmpty()) {
      byte[] service = bytes(keys.users(false, Level.MINUTE, b.minute));
      byte[] system = bytes(keys.users(true, Level.MINUTE, b.minute));
      b.users.forEachRun(
          run,
          (hashes, count) -> {
            for (int k = 0; k < count; k++) {
              elements[k].set(hashes[k]);
            }
            writes.add(pfadd(p, service, count));
            writes.add(pfadd(p, system, count));
          });
      writes.add(p.pexpire(service, minuteTtl));
      writes.add(p.pexpire(system, minuteTtl));
    }
    if (!b.spends.isEmpty()) {
      for (Level level : spendLevels) {
        long index = Math.floorDiv(b.millis, level.millis);
        String cost = keys.spenders(true, level, index);
        String tokens = keys.spenders(false, level, index);
        for (Map.Entry<String, long[]> e : b.spends.entrySet()) {
          writes.add(p.zincrby(tokens, e.getValue()[0], e.getKey()));
          if (e.getValue()[1] > 0) {
            writes.add(p.zincrby(cost, e.getValue()[1], e.getKey()));
          }
        }
        long ttl = windowOf(level) + level.millis + Level.MINUTE.millis;
        for (String key : new String[] {cost, tokens}) {
          writes.add(p.zremrangeByRank(key, 0, -spendersKept - 1));
          writes.add(p.pexpire(key, ttl));
        }
      }
    }
    for (Counter c : counterList) {
      long n = b.counts.getOrDefault(c, 0L);
      if (n > 0) {
        String key = keys.counter(c.name, c.bucketMillis, Math.floorDiv(b.millis, c.bucketMillis));
        writes.add(p.incrBy(key, n));
        writes.add(p.pexpire(key, c.windowMillis + 2 * c.bucketMillis));
      }
    }
  }

  /**
   * PFADD of the first {@code count} {@link #elements}: Jedis writes a command out as it is
   * appended, so the same element objects serve every command, and a flush allocates nothing per
   * id.
   */
  private Response<Long> pfadd(Pipeline p, byte[] key, int count) {
    CommandArguments args = new CommandArguments(Protocol.Command.PFADD).key(key);
    for (int k = 0; k < count; k++) {
      args.add(elements[k]);
    }
    return p.appendCommand(new CommandObject<>(args, BuilderFactory.LONG));
  }

  /** One PFADD element: a user hash as 8 big-endian bytes, rewritten for each command. */
  private static final class HashElement implements Rawable {
    private final byte[] raw = new byte[8];

    void set(long v) {
      for (int i = 7; i >= 0; i--) {
        raw[i] = (byte) v;
        v >>>= 8;
      }
    }

    @Override
    public byte[] getRaw() {
      return raw;
    }
  }

  /** The longest window read in buckets of {@code level}. */
  private long windowOf(Level level) {
    long max = 0;
    for (int w = 0; w < windows.length; w++) {
      if (levels[w] == level) {
        max = Math.max(max, windows[w].toMillis());
      }
    }
    return max;
  }

  private void rollUpMinutes(Pipeline p, long to, List<Response<?>> writes) {
    long from = Math.max(mergedMinute + 1, to - 61);
    for (long m = from; m <= to; m++) {
      long hour = Math.floorDiv(m * Level.MINUTE.millis, Level.HOUR.millis);
      for (boolean system : new boolean[] {false, true}) {
        String dest = keys.users(system, Level.HOUR, hour);
        writes.add(p.pfmerge(dest, keys.users(system, Level.MINUTE, m)));
        writes.add(p.pexpire(dest, hourTtl));
      }
    }
  }

  private void rollUpHours(Pipeline p, long to, List<Response<?>> writes) {
    long from = Math.max(mergedHour + 1, to - 25);
    for (long h = from; h <= to; h++) {
      long day = Math.floorDiv(h * Level.HOUR.millis, Level.DAY.millis);
      for (boolean system : new boolean[] {false, true}) {
        String dest = keys.users(system, Level.DAY, day);
        writes.add(p.pfmerge(dest, keys.users(system, Level.HOUR, h)));
        writes.add(p.pexpire(dest, dayTtl));
      }
    }
  }

  /**
   * The HyperLogLogs that cover {@code window} at minute {@code m}: whole buckets of its level back
   * to the window's start, plus, for hours and days, the finer buckets not rolled up yet.
   */
  List<String> userKeys(boolean system, int w, long minute, long hour) {
    Level level = levels[w];
    long span = windows[w].toMillis() / level.millis;
    List<String> result = new ArrayList<>();
    long nowIndex = level == Level.MINUTE ? minute : level == Level.HOUR ? hour : hour / 24;
    for (long i = nowIndex - span; i <= nowIndex; i++) {
      result.add(keys.users(system, level, i));
    }
    if (level != Level.MINUTE) {
      result.add(keys.users(system, Level.MINUTE, minute - 1));
      result.add(keys.users(system, Level.MINUTE, minute));
    }
    if (level == Level.DAY) {
      result.add(keys.users(system, Level.HOUR, hour - 1));
      result.add(keys.users(system, Level.HOUR, hour));
    }
    return result;
  }

  private Reads read(
      Pipeline p,
      List<Counter> counterList,
      long nowMillis,
      long minute,
      long hour,
      boolean refresh) {
    Reads reads = new Reads();
    for (int i = 0; i < counterList.size(); i++) {
      Counter c = counterList.get(i);
      long now = Math.floorDiv(nowMillis, c.bucketMillis);
      long span = c.windowMillis / c.bucketMillis;
      String[] bucketKeys = new String[(int) span + 1];
      for (int k = 0; k <= span; k++) {
        bucketKeys[k] = keys.counter(c.name, c.bucketMillis, now - span + k);
      }
      reads.counters.add(p.mget(bucketKeys));
    }
    if (!refresh) {
      return reads;
    }
    for (int w = 0; w < windows.length; w++) {
      reads.service.add(p.pfcount(userKeys(false, w, minute, hour).toArray(new String[0])));
      reads.system.add(p.pfcount(userKeys(true, w, minute, hour).toArray(new String[0])));
      Level level = levels[w];
      long span = windows[w].toMillis() / level.millis;
      long nowIndex = Math.floorDiv(nowMillis, level.millis);
      for (boolean cost : new boolean[] {true, false}) {
        String[] sources = new String[(int) span + 1];
        for (int k = 0; k <= span; k++) {
          sources[k] = keys.spenders(cost, level, nowIndex - span + k);
        }
        String scratch = keys.scratch(replica, 2 * w + (cost ? 0 : 1));
        p.zunionstore(scratch, sources);
        p.pexpire(scratch, Level.MINUTE.millis); // gone even if this round trip breaks off here
        Response<List<Tuple>> top = p.zrevrangeWithScores(scratch, 0, topN - 1);
        p.del(scratch);
        (cost ? reads.byCost : reads.byTokens).add(top);
      }
    }
    reads.refreshed = true;
    return reads;
  }

  private static byte[] bytes(String key) {
    return key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The events of one minute, waiting to be written. */
  private static final class Batch {
    final long minute;
    final long millis;
    final LongSet users;
    final Map<String, long[]> spends = new HashMap<>();
    final Map<Counter, Long> counts = new HashMap<>();
    long activityEvents;
    long spendEvents;

    Batch(long minute, long millis, LongSet users) {
      this.minute = minute;
      this.millis = millis;
      this.users = users;
    }

    int size() {
      return users.size() + spends.size();
    }
  }

  /** One shared threshold counter. */
  private static final class Counter {
    final String name;
    final long windowMillis;
    final long bucketMillis;
    final LongConsumer totals;
    final LongAdder pending = new LongAdder();

    Counter(String name, long windowMillis, LongConsumer totals) {
      this.name = name;
      this.windowMillis = windowMillis;
      // Thirty buckets: the total covers the window and at most a thirtieth more.
      this.bucketMillis = Math.max(1000, windowMillis / 30);
      this.totals = totals;
    }
  }

  /** The answers of one round trip's reads. */
  private final class Reads {
    final List<Response<Long>> service = new ArrayList<>();
    final List<Response<Long>> system = new ArrayList<>();
    final List<Response<List<Tuple>>> byCost = new ArrayList<>();
    final List<Response<List<Tuple>>> byTokens = new ArrayList<>();
    final List<Response<List<String>>> counters = new ArrayList<>();
    boolean refreshed;

    /** Throws what a command answered with an error, so the flush counts as failed. */
    void check() {
      for (Response<List<String>> r : counters) {
        r.get();
      }
      if (refreshed) {
        for (int w = 0; w < service.size(); w++) {
          service.get(w).get();
          system.get(w).get();
          byCost.get(w).get();
          byTokens.get(w).get();
        }
      }
    }

    long counterTotal(int i) {
      long total = 0;
      for (String v : counters.get(i).get()) {
        if (v != null) {
          total += Long.parseLong(v);
        }
      }
      return total;
    }

    Figures figures(long readAt) {
      long[] s = new long[service.size()];
      long[] a = new long[system.size()];
      List<List<Spender>> cost = new ArrayList<>();
      List<List<Spender>> tokens = new ArrayList<>();
      for (int w = 0; w < s.length; w++) {
        s[w] = service.get(w).get();
        a[w] = system.get(w).get();
        cost.add(spenders(byCost.get(w).get()));
        tokens.add(spenders(byTokens.get(w).get()));
      }
      return new Figures(readAt, s, a, cost, tokens);
    }

    private List<Spender> spenders(List<Tuple> tuples) {
      List<Spender> list = new ArrayList<>(tuples.size());
      for (Tuple t : tuples) {
        list.add(new Spender(t.getElement(), Math.round(t.getScore())));
      }
      return List.copyOf(list);
    }
  }

  /** What one refresh read. */
  private static final class Figures {
    final long readAt;
    final long[] service;
    final long[] system;
    final List<List<Spender>> byCost;
    final List<List<Spender>> byTokens;

    Figures(
        long readAt,
        long[] service,
        long[] system,
        List<List<Spender>> byCost,
        List<List<Spender>> byTokens) {
      this.readAt = readAt;
      this.service = service;
      this.system = system;
      this.byCost = byCost;
      this.byTokens = byTokens;
    }
  }
}
