package dev.vigil.redis.internal;

import dev.vigil.spi.SharedUserActivity;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The bounded hand-off between the threads that collect user events and the flusher: a ring of
 * events, filled in batches by several producers and emptied by one consumer.
 *
 * <p>A slot holds an interaction as its user's 64-bit hash (never 0), or a spend as its user id
 * with the tokens and cost. An interaction, by far the most common event, is one ordered store of a
 * long: no reference for the garbage collector to track, no id for the flusher to read again. A
 * producer claims a run of slots with one compare-and-set on the tail (never more than the free
 * room: what does not fit is dropped and counted), and publishes each event with a release store;
 * the consumer takes events while it finds them published, clears the slots and moves the head. No
 * lock, no allocation, no waiting on either side.
 */
final class EventBuffer {
  /** What a spend with a null id publishes: a claimed slot the consumer skips. */
  private static final String SKIPPED = "";

  private final int capacity;
  private final int mask;
  private final AtomicLongArray hashes;
  private final AtomicReferenceArray<String> spenders;
  private final long[] tokens;
  private final long[] costs;
  private final AtomicLong tail = new AtomicLong();
  private volatile long head; // written by the consumer only
  private final LongAdder droppedActivity = new LongAdder();
  private final LongAdder droppedSpend = new LongAdder();

  /**
   * @param capacity a power of two
   */
  EventBuffer(int capacity) {
    if (capacity < 2 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two, got " + capacity);
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.hashes = new AtomicLongArray(capacity);
    this.spenders = new AtomicReferenceArray<>(capacity);
    this.tokens = new long[capacity];
    this.costs = new long[capacity];
  }

  int capacity() {
    return capacity;
  }

  /** Events waiting for the consumer (claimed, published or not). */
  int size() {
    return (int) Math.max(0, tail.get() - head);
  }

  /**
   * Copies {@code [from, to)} in, as far as there is room; the rest is dropped and counted. {@code
   * userHashes[i]} is the hash of {@code ids[i]} for an interaction ({@code tokenCounts[i] == 0});
   * without them, each is computed here.
   */
  void offer(
      @Nullable String[] ids,
      long @Nullable [] userHashes,
      long[] tokenCounts,
      long[] costNanos,
      int from,
      int to) {
    int n = to - from;
    if (n <= 0) {
      return;
    }
    long start;
    int take;
    for (; ; ) {
      start = tail.get();
      long free = capacity - (start - head);
      take = (int) Math.min(n, Math.max(0, free));
      if (take == 0 || tail.compareAndSet(start, start + take)) {
        break;
      }
    }
    for (int k = 0; k < take; k++) {
      int src = from + k;
      int i = (int) ((start + k) & mask);
      String id = ids[src];
      if (tokenCounts[src] == 0 && id != null) {
        long h = userHashes != null ? userHashes[src] : SharedUserActivity.userHash(id);
        hashes.lazySet(i, h == 0 ? 1 : h); // 0 is the empty slot: one hash in 2^64 merges
      } else {
        tokens[i] = tokenCounts[src];
        costs[i] = costNanos[src];
        // A null id publishes SKIPPED, so that every claimed slot is published.
        spenders.lazySet(i, id == null ? SKIPPED : id);
      }
    }
    if (take < n) {
      int activity = 0;
      for (int src = from + take; src < to; src++) {
        if (tokenCounts[src] == 0) {
          activity++;
        }
      }
      // One add per kind and batch: a full buffer must stay as cheap as an empty one.
      droppedActivity.add(activity);
      droppedSpend.add(n - take - activity);
    }
  }

  /** Receives the events {@link #drainTo} takes. */
  interface Sink {
    void activity(long userHash);

    void spend(String userId, long tokens, long costNanos);
  }

  /** Hands every published event, oldest first, to {@code sink}; returns how many. */
  int drainTo(Sink sink) {
    long h = head;
    long end = tail.get();
    int n = 0;
    while (h != end) {
      int i = (int) (h & mask);
      long hash = hashes.get(i);
      String id = null;
      if (hash == 0) {
        id = spenders.get(i);
        if (id == null) {
          break; // claimed, not yet published: the next drain takes it
        }
      }
      long t = tokens[i];
      long c = costs[i];
      if (hash != 0) {
        hashes.lazySet(i, 0);
      } else {
        spenders.lazySet(i, null);
      }
      h++;
      n++;
      if ((n & 255) == 0) {
        head = h; // room for the producers, without a fence per event
      }
      if (hash != 0) {
        sink.activity(hash);
      } else if (!id.isEmpty()) {
        sink.spend(id, t, c);
      }
    }
    head = h;
    return n;
  }

  long droppedActivity() {
    return droppedActivity.sum();
  }

  long droppedSpend() {
    return droppedSpend.sum();
  }
}
