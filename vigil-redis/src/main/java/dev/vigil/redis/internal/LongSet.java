package dev.vigil.redis.internal;

import java.util.Arrays;

/**
 * A set of 64-bit hashes, open addressing, fixed capacity: the flusher's de-duplication of user ids
 * between two flushes (a busy user is sent once, not once per event). The hashes are {@code
 * SharedUserActivity.userHash}'s, the element a user counts as in Redis' HyperLogLogs: every Vigil
 * process sends the same one for the same id. Zero is the empty slot, so the hash 0 is stored as 1,
 * which merges two ids in 2^64.
 */
final class LongSet {
  private long[] slots = new long[256];
  private int mask = slots.length - 1;
  private final int maxSize;
  private int size;

  /** Holds up to {@code maxSize} hashes; grows as needed, kept at most half full. */
  LongSet(int maxSize) {
    this.maxSize = maxSize;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    mask = slots.length - 1;
    for (long s : old) {
      if (s != 0) {
        int i = (int) (s ^ (s >>> 32)) & mask;
        while (slots[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = s;
      }
    }
  }

  /** Adds {@code hash}; false if it was there, or the set is full (then it is not added). */
  boolean add(long hash) {
    long h = hash == 0 ? 1 : hash;
    int i = (int) (h ^ (h >>> 32)) & mask;
    for (; ; ) {
      long s = slots[i];
      if (s == h) {
        return false;
      }
      if (s == 0) {
        if (size >= maxSize) {
          return false;
        }
        slots[i] = h;
        size++;
        if (size * 2 > slots.length) {
          grow();
        }
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  boolean isFull() {
    return size >= maxSize;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Receives the hashes of {@link #forEachRun}. */
  interface RunSink {
    void run(long[] hashes, int count);
  }

  /** Hands the hashes to {@code sink} in slot order, in runs of at most {@code run.length}. */
  void forEachRun(long[] run, RunSink sink) {
    int k = 0;
    for (long s : slots) {
      if (s == 0) {
        continue;
      }
      run[k++] = s;
      if (k == run.length) {
        sink.run(run, k);
        k = 0;
      }
    }
    if (k > 0) {
      sink.run(run, k);
    }
  }

  /** Empties the set, keeping its room, for the next batch. */
  void clear() {
    Arrays.fill(slots, 0);
    size = 0;
  }
}
