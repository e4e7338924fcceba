package dev.vigil.redis.internal;

/**
 * A set of 64-bit hashes, open addressing, fixed capacity: the flusher's de-duplication of user ids
 * between two flushes (a busy user is sent once, not once per event). Zero is the empty slot, so
 * the hash 0 is stored as 1, which merges two ids in 2^64.
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

  /** The hashes, in slot order, as 8-byte big-endian elements, in chunks of at most {@code n}. */
  byte[][][] chunks(int n) {
    int count = (size + n - 1) / n;
    byte[][][] chunks = new byte[count][][];
    int c = 0;
    int k = 0;
    byte[][] current = null;
    for (long s : slots) {
      if (s == 0) {
        continue;
      }
      if (current == null) {
        current = new byte[Math.min(n, size - c * n)][];
      }
      current[k++] = bytes(s);
      if (k == current.length) {
        chunks[c++] = current;
        current = null;
        k = 0;
      }
    }
    return chunks;
  }

  static byte[] bytes(long v) {
    return new byte[] {
      (byte) (v >>> 56),
      (byte) (v >>> 48),
      (byte) (v >>> 40),
      (byte) (v >>> 32),
      (byte) (v >>> 24),
      (byte) (v >>> 16),
      (byte) (v >>> 8),
      (byte) v
    };
  }

  /**
   * The element a user id is counted as in Redis' HyperLogLogs: FNV-1a over the id's UTF-16 code
   * units, finished with MurmurHash3's mixer. Every Vigil process must compute the same value for
   * the same id, or one user would count twice: this function is part of the data format.
   */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h ^= id.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
