package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A metric family: its series, the guard on its labels, and its exposition through client_java.
 *
 * <p>The hot path is {@link #series(String, String)} and friends: hash the raw label values
 * (Strings cache their hash codes), probe an open-addressing table of label sets seen before,
 * compare by reference or {@code equals}, return the cell. No allocation, no lock, no validation: a
 * raw label set is validated, normalised and checked against the cardinality cap once, on its first
 * use, and the answer is cached with it. A cached label set that needed fixing carries its
 * incident, which is replayed (counted, rate-limited warning, strict-mode exception) on every use,
 * so bad input is reported each time it is sent without slowing down good input.
 *
 * <p>Readers never lock. Writers (first sight of a raw label set) lock, insert into the table in
 * place, and publish resized tables through a volatile field; entries are immutable, so a reader
 * that races an insert sees either nothing (and takes the slow path) or a complete entry.
 *
 * <p>Memory is bounded twice: at most {@link #maxLabelSets()} stored series plus one overflow
 * series, and at most {@code 4 * maxLabelSets} cached raw label sets. Past the second bound, new
 * raw label sets are resolved on every use (slower, but still bounded and lock-free).
 */
public abstract class Family<C extends Cell> implements Collector {
  /** The value of every label of the series that absorbs label sets past the cap. */
  public static final String OVERFLOW_VALUE = "__overflow__";

  private static final int MIN_CACHE_ENTRIES = 64;

  final MetricCatalog.Definition definition;
  final String[] labelNames;
  private final String[] exposedLabelNames;
  private final String service;
  private final InputGuard guard;
  private final LabelPolicy policy;
  private final int maxLabelSets;
  private final int maxCacheEntries;
  private final int arity;
  private final boolean reportsInputProblems;
  private final String[] nullLabels;

  private final Object lock = new Object();
  private volatile Entry<C>[] table;
  private int cacheSize; // guarded by lock
  private volatile boolean cacheFull;
  private final ConcurrentHashMap<Key, C> series = new ConcurrentHashMap<>();
  private volatile @Nullable C overflow;

  Family(
      MetricCatalog.Definition definition,
      String service,
      InputGuard guard,
      LabelPolicy policy,
      int maxLabelSets) {
    this(definition, service, guard, policy, maxLabelSets, true);
  }

  /**
   * @param reportsInputProblems false for a family derived from another one's labels (cost from
   *     token spend, revenue from conversions): the primary family has already counted, warned
   *     about or thrown for the same bad label values, so this one only normalises them
   */
  Family(
      MetricCatalog.Definition definition,
      String service,
      InputGuard guard,
      LabelPolicy policy,
      int maxLabelSets,
      boolean reportsInputProblems) {
    if (maxLabelSets < 1) {
      throw new IllegalArgumentException(
          "maxLabelSets for " + definition.name() + " must be at least 1, got " + maxLabelSets);
    }
    this.definition = definition;
    this.labelNames = definition.labelNames().toArray(new String[0]);
    this.arity = labelNames.length;
    this.exposedLabelNames = new String[arity + 1];
    exposedLabelNames[0] = MetricCatalog.SERVICE_LABEL;
    System.arraycopy(labelNames, 0, exposedLabelNames, 1, arity);
    this.service = service;
    this.guard = guard;
    this.policy = policy;
    this.maxLabelSets = maxLabelSets;
    this.maxCacheEntries = Math.max(MIN_CACHE_ENTRIES, maxLabelSets * 4);
    this.reportsInputProblems = reportsInputProblems;
    this.nullLabels = new String[arity];
    this.table = newTable(16);
  }

  abstract C newCell(Labels labels);

  /** The family's snapshot; may throw, {@link #collect()} isolates it. */
  abstract MetricSnapshot snapshot();

  /** The snapshot with no data points, served when {@link #snapshot()} fails. */
  abstract MetricSnapshot empty();

  /**
   * The snapshot for a scrape. It never throws: a series that fails to snapshot is left out, a
   * family that fails as a whole is served empty, and either is counted in {@code
   * vigil_scrape_failures_total{metric}} and logged once, so one bad series can never take {@code
   * /metrics} down.
   */
  @Override
  public final MetricSnapshot collect() {
    try {
      return snapshot();
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      guard.scrapeFailed(name(), t);
      return empty();
    }
  }

  /** A series of this family could not be snapshot: counted and left out of this scrape. */
  final void pointFailed(Throwable t) {
    Throwables.rethrowIfFatal(t);
    guard.scrapeFailed(name(), t);
  }

  /**
   * Builds the snapshot from its points; should two points ever share a label set (which the
   * canonical keys rule out), the later ones are left out instead of failing the scrape.
   */
  final <P extends DataPointSnapshot> MetricSnapshot build(
      List<P> points, Function<List<P>, MetricSnapshot> make) {
    try {
      return make.apply(points);
    } catch (IllegalArgumentException e) {
      guard.scrapeFailed(name(), e);
      Set<Labels> seen = new HashSet<>();
      List<P> unique = new ArrayList<>(points.size());
      for (P point : points) {
        if (seen.add(point.getLabels())) {
          unique.add(point);
        }
      }
      return make.apply(unique);
    }
  }

  final MetricMetadata metadata() {
    return new MetricMetadata(prometheusName(), definition.help(), unit());
  }

  public final String name() {
    return definition.name();
  }

  public final MetricCatalog.Definition definition() {
    return definition;
  }

  public final int maxLabelSets() {
    return maxLabelSets;
  }

  /** Stored label sets, the overflow series included. */
  public final int labelSetCount() {
    return series.size() + (overflow == null ? 0 : 1);
  }

  /** The series without labels (besides {@code service}). */
  public final @Nullable C series() {
    if (arity != 0) {
      return resolve(new String[0], 0);
    }
    Entry<C>[] t = table;
    Entry<C> e = t[0];
    return e == null ? resolve(new String[0], 0) : hit(e);
  }

  public final @Nullable C series(@Nullable String a) {
    int h = spread(hash(a));
    if (arity == 1) {
      Entry<C>[] t = table;
      int mask = t.length - 1;
      for (int i = h & mask; ; i = (i + 1) & mask) {
        Entry<C> e = t[i];
        if (e == null) {
          break;
        }
        if (e.hash == h && same(e.raw[0], a)) {
          return hit(e);
        }
      }
    }
    return resolve(new String[] {a}, h);
  }

  public final @Nullable C series(@Nullable String a, @Nullable String b) {
    int h = spread(31 * hash(a) + hash(b));
    if (arity == 2) {
      Entry<C>[] t = table;
      int mask = t.length - 1;
      for (int i = h & mask; ; i = (i + 1) & mask) {
        Entry<C> e = t[i];
        if (e == null) {
          break;
        }
        String[] raw = e.raw;
        if (e.hash == h && same(raw[0], a) && same(raw[1], b)) {
          return hit(e);
        }
      }
    }
    return resolve(new String[] {a, b}, h);
  }

  public final @Nullable C series(@Nullable String a, @Nullable String b, @Nullable String c) {
    int h = spread(31 * (31 * hash(a) + hash(b)) + hash(c));
    if (arity == 3) {
      Entry<C>[] t = table;
      int mask = t.length - 1;
      for (int i = h & mask; ; i = (i + 1) & mask) {
        Entry<C> e = t[i];
        if (e == null) {
          break;
        }
        String[] raw = e.raw;
        if (e.hash == h && same(raw[0], a) && same(raw[1], b) && same(raw[2], c)) {
          return hit(e);
        }
      }
    }
    return resolve(new String[] {a, b, c}, h);
  }

  /**
   * Any arity; the array is copied if it has to be kept, so callers may reuse it. A null array
   * ({@code inc((String[]) null)}) counts as a null value for every label.
   */
  public final @Nullable C series(@Nullable String @Nullable [] given) {
    @Nullable String[] values = given == null ? nullLabels : given;
    switch (values.length) {
      case 0:
        return series();
      case 1:
        return series(values[0]);
      case 2:
        return series(values[0], values[1]);
      case 3:
        return series(values[0], values[1], values[2]);
      default:
        break;
    }
    int h = 0;
    for (String v : values) {
      h = 31 * h + hash(v);
    }
    h = spread(h);
    if (arity == values.length) {
      Entry<C>[] t = table;
      int mask = t.length - 1;
      for (int i = h & mask; ; i = (i + 1) & mask) {
        Entry<C> e = t[i];
        if (e == null) {
          break;
        }
        if (e.hash == h && Arrays.equals(e.raw, values)) {
          return hit(e);
        }
      }
    }
    return resolve(values.clone(), h);
  }

  private C hit(Entry<C> e) {
    if (e.incident != null || e.overflow) {
      replay(e);
    }
    return e.cell;
  }

  private void replay(Entry<C> e) {
    if (e.incident != null) {
      guard.report(e.incident);
    }
    if (e.overflow) {
      guard.overflowed(this, false);
    }
  }

  /** The slow path: first sight of a raw label set, or a wrong number of labels. */
  private @Nullable C resolve(@Nullable String[] raw, int hash) {
    if (raw.length != arity) {
      guard.reject(
          name(),
          InvalidReason.WRONG_LABEL_COUNT,
          name()
              + ": expected "
              + arity
              + " label values "
              + Arrays.toString(labelNames)
              + ", but got "
              + raw.length
              + "; event dropped. Pass one value per declared label, in order.");
      return null;
    }
    LabelPolicy.Canonical canonical = policy.canonicalize(labelNames, raw);
    InputGuard.Incident incident = null;
    if (!canonical.clean() && reportsInputProblems) {
      String message = canonical.message(name());
      if (guard.strict()) {
        throw new IllegalArgumentException(message);
      }
      incident = guard.incident(name(), canonical.reasons, message);
    }
    Key key = new Key(canonical.values);
    C cell = series.get(key);
    boolean overflowed = false;
    boolean firstOverflow = false;
    if (cell == null) {
      C o = overflow;
      if (o != null) {
        // The overflow series exists only once the cap is reached, and series are never removed:
        // a label set not stored by now never will be. Answer without the lock, so a flood of
        // new label values (a scanner, a bug) does not serialise the callers.
        overflowed = true;
        cell = o;
      } else {
        synchronized (lock) {
          cell = series.get(key);
          if (cell == null) {
            if (series.size() < maxLabelSets) {
              cell = newCell(exposedLabels(canonical.values));
              series.put(key, cell);
            } else {
              overflowed = true;
              o = overflow;
              if (o == null) {
                String[] values = new String[arity];
                Arrays.fill(values, OVERFLOW_VALUE);
                o = newCell(exposedLabels(values));
                overflow = o;
                firstOverflow = true;
              }
              cell = o;
            }
          }
        }
      }
    }
    if (cacheable(raw)) {
      cache(raw, hash, cell, incident, overflowed);
    }
    if (incident != null) {
      guard.report(incident);
    }
    if (overflowed) {
      guard.overflowed(this, firstOverflow);
    }
    return cell;
  }

  /**
   * Whether a raw label set may be kept in the lookup cache. Over-long raw values are not: the
   * cache holds the caller's strings themselves, and a caller that sends megabytes per value would
   * otherwise pin them (up to four per series). They are resolved again on each use instead.
   */
  private boolean cacheable(@Nullable String[] raw) {
    int max = policy.maxLength();
    for (String value : raw) {
      if (value != null && value.length() > max) {
        return false;
      }
    }
    return true;
  }

  private void cache(
      @Nullable String[] raw,
      int hash,
      C cell,
      InputGuard.@Nullable Incident incident,
      boolean overflowed) {
    if (cacheFull) {
      return;
    }
    synchronized (lock) {
      Entry<C>[] t = table;
      int mask = t.length - 1;
      int i = hash & mask;
      for (Entry<C> e = t[i]; e != null; e = t[i]) {
        if (e.hash == hash && Arrays.equals(e.raw, raw)) {
          return; // another thread cached it first
        }
        i = (i + 1) & mask;
      }
      if (cacheSize >= maxCacheEntries) {
        cacheFull = true;
        return;
      }
      Entry<C> entry = new Entry<>(hash, raw, cell, incident, overflowed);
      cacheSize++;
      if (cacheSize * 2 > t.length) {
        Entry<C>[] grown = newTable(t.length * 2);
        for (Entry<C> old : t) {
          if (old != null) {
            insert(grown, old);
          }
        }
        insert(grown, entry);
        table = grown;
      } else {
        // Safe to publish in place: Entry's fields are final, and a reader that misses it
        // takes the slow path, where this lock orders it after us.
        t[i] = entry;
      }
    }
  }

  private static <C> void insert(Entry<C>[] t, Entry<C> entry) {
    int mask = t.length - 1;
    int i = entry.hash & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = entry;
  }

  private Labels exposedLabels(String[] values) {
    String[] exposedValues = new String[arity + 1];
    exposedValues[0] = service;
    System.arraycopy(values, 0, exposedValues, 1, arity);
    return Labels.of(exposedLabelNames.clone(), exposedValues);
  }

  /** Every stored series, the overflow series last; for snapshots and in-process reports. */
  public final Collection<C> cells() {
    C o = overflow;
    if (o == null) {
      return series.values();
    }
    java.util.List<C> all = new java.util.ArrayList<>(series.values());
    all.add(o);
    return all;
  }

  /** The base name client_java uses: counters without the {@code _total} its writers append. */
  public final String prometheusName() {
    String name = definition.name();
    if (definition.type() == MetricCatalog.Type.COUNTER && name.endsWith("_total")) {
      return name.substring(0, name.length() - "_total".length());
    }
    return name;
  }

  /** Name, type and label names, which the registry checks for collisions at registration. */
  @Override
  public final MetricFamilyDescriptor getMetricFamilyDescriptor() {
    return MetricFamilyDescriptor.of(
        metricType(),
        new MetricMetadata(prometheusName(), definition.help(), unit()),
        Arrays.asList(exposedLabelNames));
  }

  /** Seconds for histograms named {@code *_seconds}, so OpenMetrics gets a {@code # UNIT} line. */
  final @Nullable Unit unit() {
    return definition.type() == MetricCatalog.Type.HISTOGRAM
            && definition.name().endsWith("_seconds")
        ? Unit.SECONDS
        : null;
  }

  private MetricType metricType() {
    switch (definition.type()) {
      case COUNTER:
        return MetricType.COUNTER;
      case GAUGE:
        return MetricType.GAUGE;
      default:
        return MetricType.HISTOGRAM;
    }
  }

  private static int hash(@Nullable String s) {
    return s == null ? 0 : s.hashCode();
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  private static boolean same(@Nullable String cached, @Nullable String given) {
    return cached == given || (cached != null && cached.equals(given));
  }

  @SuppressWarnings("unchecked")
  private static <C> Entry<C>[] newTable(int size) {
    return (Entry<C>[]) new Entry<?>[size];
  }

  private static final class Entry<C> {
    final int hash;
    final @Nullable String[] raw;
    final C cell;
    final InputGuard.@Nullable Incident incident;
    final boolean overflow;

    Entry(
        int hash,
        @Nullable String[] raw,
        C cell,
        InputGuard.@Nullable Incident incident,
        boolean overflow) {
      this.hash = hash;
      this.raw = raw;
      this.cell = cell;
      this.incident = incident;
      this.overflow = overflow;
    }
  }

  /** A canonical label set, as the key of the stored series. */
  private static final class Key {
    private final String[] values;
    private final int hash;

    Key(String[] values) {
      this.values = values;
      this.hash = Arrays.hashCode(values);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && Arrays.equals(values, ((Key) o).values);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return Objects.toString(Arrays.asList(values));
    }
  }
}
