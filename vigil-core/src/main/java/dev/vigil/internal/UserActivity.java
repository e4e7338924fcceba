package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import dev.vigil.Ticker;
import dev.vigil.spi.SharedUserActivity;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.jspecify.annotations.Nullable;

/**
 * Per-user analytics in fixed memory: distinct active users and top spenders (by cost and by
 * tokens) per sliding window, from DataSketches sketches. User ids never become labels.
 *
 * <p><b>Windows.</b> Each window (5m, 1h and 24h by default) is a ring of {@value #SLICES} + 1 time
 * slices of a twelfth of the window; a read merges the slices that overlap the window. A user
 * therefore counts in a window for at least the window's length after their last event, and at most
 * a twelfth longer. Slices are indexed by the {@link Ticker}, so tests move time by hand.
 *
 * <p><b>Hot path.</b> Sketches are not thread-safe, and a lock per event would make every business
 * thread queue on one monitor. Instead a caller reads the ticker, claims a slot in a bounded ring
 * with one atomic increment, writes the event into preallocated arrays and publishes it with a
 * release store: no lock and no allocation. Whoever finds the ring half full drains it into the
 * sketches under a lock, with {@code tryLock}, so callers never wait for each other; a read
 * (scrape, {@code /kpi}, the periodic log) drains it first. Only when the ring is completely full
 * does a caller wait for the lock, which bounds memory instead of dropping users.
 *
 * <p><b>Stripes.</b> The sketch updates are most of the cost, and one ring drained by one thread at
 * a time would cap the whole service at one core's worth of them (measured: two threads were slower
 * together than one alone). So there is one ring, lock and set of sketches per stripe, up to
 * {@value #MAX_STRIPES} stripes (the processors, rounded down to a power of two), and a caller uses
 * the stripe of its thread id: the threads of a pool, numbered in sequence, spread evenly. A read
 * merges the stripes' sketches; HyperLogLog and frequent-items sketches merge without losing
 * anything, so a user seen on two stripes counts once and their spend adds up.
 *
 * <p><b>Memory.</b> A slice holds one HyperLogLog sketch (lgK {@value #LG_K}, 4-bit registers: at
 * most 16,936 bytes, so at most 220,168 bytes per window and stripe; about 0.6% relative error at
 * one standard deviation once merged, within 2% at a million users) and, once a spend with a user
 * id arrives, two frequent-items sketches of 8 &times; top-N entries (rounded up to a power of two,
 * at least 64), each under 3 KB for the default top 10 plus the user ids it holds.
 */
public final class UserActivity implements KpiListener {
  static final int SLICES = 12;
  static final int LG_K = 15;
  static final TgtHllType HLL_TYPE = TgtHllType.HLL_4;

  /** 16,936 bytes: the most one slice's sketch holds, however many users it sees. */
  static final int MAX_HLL_BYTES = HllSketch.getMaxUpdatableSerializationBytes(LG_K, HLL_TYPE);

  static final int RING = 1024;
  private static final int MASK = RING - 1;

  /** User ids longer than this are truncated in the top-spender lists (not in distinct counts). */
  static final int MAX_USER_ID_LENGTH = 128;

  /** User ids longer than this are stored in a bounded form (see {@link #bounded}). */
  static final int MAX_STORED_ID_LENGTH = 1024;

  /**
   * The most weight (tokens, or nano-dollars) one slice's frequent-items sketch takes. A read
   * merges at most (12 + 1) slices of {@value #MAX_STRIPES} stripes, 52 sketches, so their sum
   * stays below 2^62 and the sketch's own long counts never wrap (a wrapped count makes the merge
   * throw, and {@code /kpi} with it). Past it a slice's spend saturates.
   */
  static final long MAX_SLICE_WEIGHT = 1L << 56;

  /** Stripes at most, whatever the number of processors: each adds its own sketches. */
  static final int MAX_STRIPES = 4;

  private final CoreMetrics core;
  private final Ticker ticker;
  private final List<Duration> windowLengths;
  private final int topN;
  private final int itemsMapSize;
  private final Stripe[] stripes;
  private final int stripeMask;
  private volatile @Nullable SharedUserActivity shared;

  public UserActivity(CoreMetrics core, Ticker ticker, List<Duration> windows, int topN) {
    this(core, ticker, windows, topN, defaultStripes());
  }

  UserActivity(CoreMetrics core, Ticker ticker, List<Duration> windows, int topN, int stripes) {
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("at least one window is needed");
    }
    if (stripes < 1 || Integer.bitCount(stripes) != 1) {
      throw new IllegalArgumentException("stripes must be a power of two: " + stripes);
    }
    this.core = core;
    this.ticker = ticker;
    this.windowLengths = List.copyOf(windows);
    this.topN = topN;
    this.itemsMapSize = Integer.highestOneBit(Math.max(64, topN * 8) * 2 - 1);
    this.stripes = new Stripe[stripes];
    for (int i = 0; i < stripes; i++) {
      this.stripes[i] = new Stripe();
    }
    this.stripeMask = stripes - 1;
  }

  /** The processors, rounded down to a power of two, at most {@value #MAX_STRIPES}. */
  public static int defaultStripes() {
    return Math.min(MAX_STRIPES, Integer.highestOneBit(Runtime.getRuntime().availableProcessors()));
  }

  /**
   * From now on, hands every event to {@code activity} as it is drained, and takes distinct users
   * and top spenders from it whenever it has them.
   *
   * @throws IllegalStateException if another one is already set
   */
  public synchronized void share(SharedUserActivity activity) {
    if (shared != null) {
      throw new IllegalStateException(
          "User activity is already shared through "
              + shared.getClass().getName()
              + "; install one shared-store extension only");
    }
    shared = activity;
  }

  /**
   * Drains every stripe now, so the shared store receives what the rings hold: with little traffic
   * they fill slowly. Waits for each stripe's lock (a caller holds it only to drain).
   */
  public void collect() {
    for (Stripe stripe : stripes) {
      stripe.lock.lock();
      try {
        stripe.drain();
      } finally {
        stripe.lock.unlock();
      }
    }
  }

  /** How many stripes this instance has: its sketch memory is that many times one stripe's. */
  public int stripes() {
    return stripes.length;
  }

  /** The window label Prometheus users expect: {@code 30s}, {@code 5m}, {@code 24h}. */
  public static String label(Duration window) {
    long seconds = window.getSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  @Override
  public void activeUser(String userId) {
    offer(userId, 0, 0);
  }

  /** A spend of {@code tokens} (and {@code costNanos}, 0 when unpriced) by a user. */
  public void spend(String userId, long tokenCount, long costNanos) {
    if (userId.isBlank()) {
      return; // no user to attribute it to; the spend itself is counted elsewhere
    }
    offer(userId, tokenCount, costNanos);
  }

  private void offer(String user, long tokenCount, long costNanos) {
    // Thread ids are handed out in sequence, so a pool's threads land on different stripes.
    @SuppressWarnings("deprecation") // getId(): threadId() is Java 19+; the same number
    long id = Thread.currentThread().getId();
    stripes[(int) id & stripeMask].offer(bounded(user), tokenCount, costNanos);
  }

  /**
   * The ring holds the caller's id until it is drained: an id of megabytes would be pinned up to
   * {@value #RING} times per stripe. A longer id than {@value #MAX_STORED_ID_LENGTH} characters is
   * kept as its first characters and a 64-bit hash of the whole, which still tells users apart.
   */
  static String bounded(String user) {
    if (user.length() <= MAX_STORED_ID_LENGTH) {
      return user;
    }
    return LabelPolicy.truncate(user, MAX_USER_ID_LENGTH - 17)
        + "#"
        + Long.toHexString(hash64(user));
  }

  /** One ring of events, the lock that drains it and the sketches it drains into. */
  private final class Stripe {
    private final AtomicLong tail = new AtomicLong();
    private volatile long head; // written under lock only
    private final AtomicLongArray published = new AtomicLongArray(RING);
    private final @Nullable String[] users = new String[RING];
    private final long[] tokens = new long[RING];
    private final long[] costs = new long[RING];
    private final long[] ticks = new long[RING];
    private final long[] hashes = new long[RING]; // interactions' user hashes, for a shared store
    private final ReentrantLock lock = new ReentrantLock();
    private final Window[] windows = new Window[windowLengths.size()];

    Stripe() {
      for (int i = 0; i < windows.length; i++) {
        windows[i] = new Window(windowLengths.get(i));
      }
      for (int i = 0; i < RING; i++) {
        published.set(i, -1);
      }
    }

    void offer(String user, long tokenCount, long costNanos) {
      long now = ticker.read();
      long seq = tail.getAndIncrement();
      if (seq - head >= RING) {
        waitForRoom(seq);
      }
      int i = (int) (seq & MASK);
      users[i] = user;
      tokens[i] = tokenCount;
      costs[i] = costNanos;
      ticks[i] = now;
      published.lazySet(i, seq);
      if (seq - head >= RING / 2 && lock.tryLock()) {
        try {
          drain();
        } finally {
          lock.unlock();
        }
      }
    }

    private void waitForRoom(long seq) {
      while (seq - head >= RING) {
        lock.lock();
        try {
          drain();
        } finally {
          lock.unlock();
        }
        if (seq - head >= RING) {
          // The oldest slot is claimed but not yet published by a thread that was descheduled.
          Thread.onSpinWait();
        }
      }
    }

    /**
     * Hands the published events to the shared store, if any, then applies them, oldest first, to
     * the sketches. Holds {@link #lock}.
     */
    void drain() {
      long h = head;
      long end = h;
      while (end - h < RING && published.get((int) (end & MASK)) == end) {
        end++;
      }
      if (end == h) {
        return;
      }
      SharedUserActivity s = shared;
      if (s != null) {
        // Hashed once, for the store and the sketches: the store need not read the ids.
        for (long k = h; k != end; k++) {
          int i = (int) (k & MASK);
          String user = users[i];
          hashes[i] = user != null && tokens[i] == 0 ? hash64(user) : 0;
        }
        forward(s, h, end);
      }
      for (; h != end; ) {
        int i = (int) (h & MASK);
        String user = users[i];
        users[i] = null;
        try {
          if (user != null) {
            long hash = tokens[i] != 0 ? 0 : s != null ? hashes[i] : hash64(user);
            apply(user, hash, tokens[i], costs[i], ticks[i]);
          }
        } catch (Throwable e) {
          Throwables.rethrowIfFatal(e);
          core.internalError("active user analytics", e);
        }
        h++;
        if ((h & 63) == 0) {
          head = h; // let waiting callers in early
        }
      }
      head = h;
    }

    /** The ring positions of {@code [from, to)}, in at most two runs (it may wrap). */
    private void forward(SharedUserActivity s, long from, long to) {
      try {
        int start = (int) (from & MASK);
        int n = (int) (to - from);
        int first = Math.min(n, RING - start);
        s.acceptHashed(users, hashes, tokens, costs, start, start + first);
        if (first < n) {
          s.acceptHashed(users, hashes, tokens, costs, 0, n - first);
        }
      } catch (Throwable e) { // the store's code: everything but a failing JVM
        Throwables.rethrowIfFatal(e);
        core.internalError("shared user activity", e);
      }
    }

    /** {@code hash} is the user's {@link #hash64} for an interaction ({@code tokenCount == 0}). */
    private void apply(String user, long hash, long tokenCount, long costNanos, long tick) {
      if (tokenCount == 0) {
        for (Window w : windows) {
          Slice s = w.slice(tick);
          if (s != null) {
            s.users().update(hash);
          }
        }
        return;
      }
      String key = spenderKey(user);
      for (Window w : windows) {
        Slice s = w.slice(tick);
        if (s != null) {
          addSaturating(s.tokens(itemsMapSize), key, tokenCount);
          if (costNanos > 0) {
            addSaturating(s.cost(itemsMapSize), key, costNanos);
          }
        }
      }
    }
  }

  private static void addSaturating(ItemsSketch<String> sketch, String key, long weight) {
    long room = MAX_SLICE_WEIGHT - sketch.getStreamLength();
    long add = Math.min(weight, room);
    if (add > 0) {
      sketch.update(key, add);
    }
  }

  /**
   * {@link SharedUserActivity#userHash}: a 64-bit hash computed without copying the string (the
   * sketches' own {@code update(String)} encodes it to a new byte array). The sketch hashes this
   * value again with MurmurHash3, so only its uniqueness matters here.
   */
  static long hash64(String id) {
    return SharedUserActivity.userHash(id);
  }

  private static String spenderKey(String user) {
    String key =
        user.length() > MAX_USER_ID_LENGTH ? LabelPolicy.truncate(user, MAX_USER_ID_LENGTH) : user;
    if (LabelPolicy.hasControlCharacters(key)) {
      // User ids go to a log line: a newline in one must not forge a second line.
      StringBuilder clean = new StringBuilder(key.length());
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        clean.append(Character.isISOControl(c) ? '?' : c);
      }
      key = clean.toString();
    }
    return key;
  }

  /** The window labels, in configuration order. */
  public List<String> windowLabels() {
    List<String> labels = new ArrayList<>(windowLengths.size());
    for (Duration w : windowLengths) {
      labels.add(label(w));
    }
    return labels;
  }

  public int topN() {
    return topN;
  }

  /**
   * Everything per window, at one instant: each stripe is drained and merged under its own lock,
   * one stripe after the other.
   */
  public List<WindowSnapshot> snapshot(boolean withSpenders) {
    long now = ticker.read();
    Merge[] merges = new Merge[windowLengths.size()];
    for (int w = 0; w < merges.length; w++) {
      merges[w] = new Merge(withSpenders);
    }
    for (Stripe stripe : stripes) {
      stripe.lock.lock();
      try {
        stripe.drain();
        for (int w = 0; w < merges.length; w++) {
          stripe.windows[w].mergeInto(merges[w], now);
        }
      } finally {
        stripe.lock.unlock();
      }
    }
    long maxBytes = (long) stripes.length * (SLICES + 1) * MAX_HLL_BYTES;
    SharedUserActivity s = shared;
    List<WindowSnapshot> result = new ArrayList<>(merges.length);
    for (int w = 0; w < merges.length; w++) {
      Merge m = merges[w];
      Duration length = windowLengths.get(w);
      long local = Math.round(m.users.getEstimate());
      long service =
          s == null ? UNSHARED : sharedCount(s, length, SharedUserActivity.Scope.SERVICE);
      long system = s == null ? UNSHARED : sharedCount(s, length, SharedUserActivity.Scope.SYSTEM);
      List<Spender> byCost =
          withSpenders ? sharedTop(s, length, SharedUserActivity.Ranking.COST) : null;
      List<Spender> byTokens =
          withSpenders ? sharedTop(s, length, SharedUserActivity.Ranking.TOKENS) : null;
      boolean spendersShared = byCost != null && byTokens != null;
      result.add(
          new WindowSnapshot(
              label(length),
              service >= 0 ? service : local,
              m.bytes,
              maxBytes,
              spendersShared ? byCost : top(m.cost),
              spendersShared ? byTokens : top(m.tokens),
              spendersShared || m.cost == null ? 0 : m.cost.getMaximumError(),
              spendersShared || m.tokens == null ? 0 : m.tokens.getMaximumError(),
              local,
              service >= 0,
              s == null ? UNSHARED : system >= 0 ? system : local,
              system >= 0,
              spendersShared));
    }
    return result;
  }

  /** What a snapshot says of a shared figure when nothing is shared. */
  static final long UNSHARED = -1;

  private long sharedCount(SharedUserActivity s, Duration window, SharedUserActivity.Scope scope) {
    try {
      long n = s.distinctUsers(window, scope);
      return n >= 0 ? n : UNSHARED;
    } catch (Throwable e) { // the store's code: everything but a failing JVM
      Throwables.rethrowIfFatal(e);
      core.internalError("shared distinct users", e);
      return UNSHARED;
    }
  }

  private @Nullable List<Spender> sharedTop(
      @Nullable SharedUserActivity s, Duration window, SharedUserActivity.Ranking ranking) {
    if (s == null) {
      return null;
    }
    try {
      List<SharedUserActivity.Spender> top = s.topSpenders(window, ranking);
      if (top == null) {
        return null;
      }
      List<Spender> result = new ArrayList<>(Math.min(topN, top.size()));
      for (SharedUserActivity.Spender spender : top) {
        if (result.size() == topN) {
          break;
        }
        result.add(new Spender(spenderKey(spender.userId()), spender.amount()));
      }
      return List.copyOf(result);
    } catch (Throwable e) { // the store's code: everything but a failing JVM
      Throwables.rethrowIfFatal(e);
      core.internalError("shared top spenders", e);
      return null;
    }
  }

  private List<Spender> top(@Nullable ItemsSketch<String> sketch) {
    if (sketch == null || sketch.isEmpty()) {
      return List.of();
    }
    List<Spender> all = new ArrayList<>();
    for (ItemsSketch.Row<String> row : sketch.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES)) {
      all.add(new Spender(row.getItem(), row.getEstimate()));
    }
    all.sort(Comparator.comparingLong(Spender::amount).reversed().thenComparing(Spender::userId));
    return List.copyOf(all.subList(0, Math.min(topN, all.size())));
  }

  /**
   * The collector of {@code active_users_system_distinct{window}}, once activity is shared: the
   * shared figure, or this process's own while the store has none.
   */
  public Collector systemCollector() {
    return new SystemDistinctCollector();
  }

  private final class SystemDistinctCollector implements Collector {
    @Override
    public MetricSnapshot collect() {
      MetricCatalog.Definition d = MetricCatalog.ACTIVE_USERS_SYSTEM_DISTINCT;
      GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(d.name()).help(d.help());
      SharedUserActivity s = shared;
      List<WindowSnapshot> local = null;
      for (int w = 0; w < windowLengths.size(); w++) {
        Duration length = windowLengths.get(w);
        long value = s == null ? UNSHARED : sharedCount(s, length, SharedUserActivity.Scope.SYSTEM);
        if (value < 0) {
          if (local == null) {
            local = snapshot(false); // the store has nothing: fall back, as for the service figure
          }
          value = local.get(w).localDistinctUsers();
        }
        builder.dataPoint(
            GaugeDataPointSnapshot.builder()
                .labels(
                    Labels.of(MetricCatalog.SERVICE_LABEL, core.service(), "window", label(length)))
                .value(value)
                .build());
      }
      return builder.build();
    }

    @Override
    public MetricFamilyDescriptor getMetricFamilyDescriptor() {
      MetricCatalog.Definition d = MetricCatalog.ACTIVE_USERS_SYSTEM_DISTINCT;
      return MetricFamilyDescriptor.of(
          MetricType.GAUGE,
          new MetricMetadata(d.name(), d.help()),
          List.of(MetricCatalog.SERVICE_LABEL, "window"));
    }
  }

  /** The collector of {@code active_users_distinct{window}}, computed at scrape time. */
  public Collector collector() {
    return new DistinctUsersCollector();
  }

  /**
   * One window, read at one instant.
   *
   * @param distinctUsers the service's distinct users: across replicas when {@code usersShared},
   *     else this process's
   * @param localDistinctUsers this process's own figure, whatever is shared
   * @param systemDistinctUsers every service's, across replicas when {@code systemShared}, else
   *     this process's; {@link #UNSHARED} when nothing is shared
   * @param spendersShared whether the top spenders are the service's across replicas
   */
  public record WindowSnapshot(
      String window,
      long distinctUsers,
      long sketchBytes,
      long maxSketchBytes,
      List<Spender> topByCostNanos,
      List<Spender> topByTokens,
      long maxErrorCostNanos,
      long maxErrorTokens,
      long localDistinctUsers,
      boolean usersShared,
      long systemDistinctUsers,
      boolean systemShared,
      boolean spendersShared) {}

  /**
   * A user and an estimate of what they spent: exact while the window has fewer distinct spenders
   * than the sketch holds, otherwise an over-estimate by at most the window's max error.
   */
  public record Spender(String userId, long amount) {}

  /** One window's merged sketches, across slices and stripes, while a snapshot is taken. */
  private final class Merge {
    final Union users = new Union(LG_K);
    final @Nullable ItemsSketch<String> cost;
    final @Nullable ItemsSketch<String> tokens;
    long bytes;

    Merge(boolean withSpenders) {
      cost = withSpenders ? new ItemsSketch<>(itemsMapSize) : null;
      tokens = withSpenders ? new ItemsSketch<>(itemsMapSize) : null;
    }
  }

  private static final class Window {
    final long sliceNanos;
    final Slice[] slices = new Slice[SLICES + 1];

    Window(Duration length) {
      this.sliceNanos = length.toNanos() / SLICES;
    }

    /** The slice for an event at {@code tick}, recycling the oldest; null if it is too old. */
    @Nullable Slice slice(long tick) {
      long index = Math.floorDiv(tick, sliceNanos);
      int pos = (int) Math.floorMod(index, (long) slices.length);
      Slice s = slices[pos];
      if (s == null) {
        s = new Slice(index);
        slices[pos] = s;
      } else if (s.index != index) {
        if (index < s.index) {
          return null;
        }
        s.reset(index);
      }
      return s;
    }

    /** Adds the slices inside the window at {@code now} to {@code into}, and all their bytes. */
    void mergeInto(Merge into, long now) {
      long current = Math.floorDiv(now, sliceNanos);
      for (Slice s : slices) {
        if (s == null) {
          continue;
        }
        if (s.users != null) {
          into.bytes += s.users.getUpdatableSerializationBytes();
        }
        if (s.index > current || s.index <= current - slices.length) {
          continue; // not in the window (any more)
        }
        if (s.users != null) {
          into.users.update(s.users);
        }
        if (into.cost != null && s.cost != null) {
          into.cost.merge(s.cost);
        }
        if (into.tokens != null && s.tokens != null) {
          into.tokens.merge(s.tokens);
        }
      }
    }
  }

  private static final class Slice {
    long index;
    @Nullable HllSketch users;
    @Nullable ItemsSketch<String> tokens;
    @Nullable ItemsSketch<String> cost;

    Slice(long index) {
      this.index = index;
    }

    void reset(long newIndex) {
      index = newIndex;
      if (users != null) {
        users.reset();
      }
      if (tokens != null) {
        tokens.reset();
      }
      if (cost != null) {
        cost.reset();
      }
    }

    HllSketch users() {
      HllSketch u = users;
      if (u == null) {
        u = new HllSketch(LG_K, HLL_TYPE);
        users = u;
      }
      return u;
    }

    ItemsSketch<String> tokens(int mapSize) {
      ItemsSketch<String> t = tokens;
      if (t == null) {
        t = new ItemsSketch<>(mapSize);
        tokens = t;
      }
      return t;
    }

    ItemsSketch<String> cost(int mapSize) {
      ItemsSketch<String> c = cost;
      if (c == null) {
        c = new ItemsSketch<>(mapSize);
        cost = c;
      }
      return c;
    }
  }

  private final class DistinctUsersCollector implements Collector {
    @Override
    public MetricSnapshot collect() {
      MetricCatalog.Definition d = MetricCatalog.ACTIVE_USERS_DISTINCT;
      GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(d.name()).help(d.help());
      for (WindowSnapshot w : snapshot(false)) {
        builder.dataPoint(
            GaugeDataPointSnapshot.builder()
                .labels(
                    Labels.of(MetricCatalog.SERVICE_LABEL, core.service(), "window", w.window()))
                .value(w.distinctUsers())
                .build());
      }
      return builder.build();
    }

    @Override
    public MetricFamilyDescriptor getMetricFamilyDescriptor() {
      MetricCatalog.Definition d = MetricCatalog.ACTIVE_USERS_DISTINCT;
      return MetricFamilyDescriptor.of(
          MetricType.GAUGE,
          new MetricMetadata(d.name(), d.help()),
          List.of(MetricCatalog.SERVICE_LABEL, "window"));
    }
  }
}
