package dev.vigil.redis.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The bounded hand-off between the threads that collect user events and the flusher: a ring of user
 * ids with their tokens and cost, filled in batches by several producers and emptied by one
 * consumer.
 *
 * <p>A producer claims a run of slots with one compare-and-set on the tail (never more than the
 * free room: what does not fit is dropped and counted), copies the events in and publishes each id
 * with a release store; the consumer takes ids while it finds them published, clears the slots and
 * moves the head. No lock, no allocation, no waiting on either side.
 */
final class EventBuffer {
  private final int capacity;
  private final int mask;
  private final AtomicReferenceArray<String> users;
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
    this.users = new AtomicReferenceArray<>(capacity);
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

  /** Copies {@code [from, to)} in, as far as there is room; the rest is dropped and counted. */
  void offer(@Nullable String[] ids, long[] tokenCounts, long[] costNanos, int from, int to) {
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
      tokens[i] = tokenCounts[src];
      costs[i] = costNanos[src];
      String id = ids[src];
      // An empty string stands for a null id, so that every claimed slot is published.
      users.lazySet(i, id == null ? "" : id);
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
    void event(String userId, long tokens, long costNanos);
  }

  /** Hands every published event, oldest first, to {@code sink}; returns how many. */
  int drainTo(Sink sink) {
    long h = head;
    long end = tail.get();
    int n = 0;
    while (h != end) {
      int i = (int) (h & mask);
      String id = users.get(i);
      if (id == null) {
        break; // claimed, not yet published: the next drain takes it
      }
      long t = tokens[i];
      long c = costs[i];
      users.lazySet(i, null);
      h++;
      head = h;
      n++;
      if (!id.isEmpty()) {
        sink.event(id, t, c);
      }
    }
    return n;
  }

  long droppedActivity() {
    return droppedActivity.sum();
  }

  long droppedSpend() {
    return droppedSpend.sum();
  }
}
