package dev.vigil.examples;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the example services did, counted by the services themselves, independently of Vigil, so
 * tests can check that what Prometheus reports matches what really happened.
 */
public final class GroundTruth {
  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

  void add(String key, long amount) {
    counts.computeIfAbsent(key, k -> new LongAdder()).add(amount);
  }

  void inc(String key) {
    add(key, 1);
  }

  /** The count under {@code key}, 0 if none. */
  public long get(String key) {
    LongAdder adder = counts.get(key);
    return adder == null ? 0 : adder.sum();
  }

  /** All counts, sorted by key. */
  public Map<String, Long> snapshot() {
    Map<String, Long> result = new TreeMap<>();
    counts.forEach((k, v) -> result.put(k, v.sum()));
    return result;
  }
}
