package dev.vigil.spi;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Shares the per-user analytics (distinct active users and top spenders) of every replica through a
 * store they all reach, so that each reports figures for the whole service, and for every service
 * of the store, instead of for its own process. Register one with {@link
 * ExtensionContext#shareUserActivity}; {@code vigil-redis} is one.
 *
 * <p>Two sides. <b>In:</b> Vigil hands over the user ids and spends its analytics take in, in
 * batches ({@link #accept}), on whichever thread collects them: a business thread whose hand-off
 * buffer filled up, the scrape thread, or the thread that calls the collector {@link
 * ExtensionContext#shareUserActivity} returned. So {@code accept} must copy into a bounded buffer
 * of its own and return: no blocking, no I/O, no lock, no allocation; when the buffer is full, drop
 * and count. <b>Out:</b> at scrape time, for {@code /kpi} and for the periodic log line, Vigil asks
 * for the shared figures; answer from memory (what the background thread last read), or say they
 * are unavailable, and Vigil shows its local figures instead.
 *
 * <pre>{@code
 * public void install(ExtensionContext context) {
 *   SharedStore store = new SharedStore(context.activeUserWindows());
 *   Runnable collect = context.shareUserActivity(store);
 *   flusher.scheduleAtFixedRate(() -> { collect.run(); store.flush(); }, 1, 1, SECONDS);
 * }
 * }</pre>
 */
public interface SharedUserActivity {
  /** What {@link #distinctUsers} answers when it has no figure: Vigil uses its local one. */
  long UNAVAILABLE = -1;

  /** Whose distinct users. */
  enum Scope {
    /** Every replica of this service. */
    SERVICE,
    /** Every service sharing the store (its namespace). */
    SYSTEM
  }

  /** What top spenders are ranked by. */
  enum Ranking {
    /** AI cost, in nano-dollars (10<sup>-9</sup> USD). */
    COST,
    /** AI tokens. */
    TOKENS
  }

  /**
   * A user and what they spent in a window, in the unit of the {@link Ranking}.
   *
   * @param userId the user id, as tracked
   * @param amount nano-dollars for {@link Ranking#COST}, tokens for {@link Ranking#TOKENS}
   */
  record Spender(String userId, long amount) {}

  /**
   * Takes the events at positions {@code from} (inclusive) to {@code to} (exclusive) of the three
   * arrays: a user id, and either {@code tokens[i] == 0} for an interaction ({@code
   * Kpi.activeUser}) or {@code tokens[i] > 0} for a spend of that many tokens costing {@code
   * costNanoUsd[i]} (0 when unpriced). The arrays are Vigil's and reused after the call: copy what
   * you keep. Skip null ids. Must not block, allocate or throw (a throw is logged and the batch
   * lost).
   */
  void accept(@Nullable String[] userIds, long[] tokens, long[] costNanoUsd, int from, int to);

  /**
   * Takes the same events as {@link #accept}, with {@code userHashes[i]} = {@link #userHash(String)
   * userHash(userIds[i])} for every interaction with an id ({@code tokens[i] == 0}; other positions
   * are 0). What Vigil calls: a store that counts distinct users by hash overrides it and need not
   * read the ids of interactions at all, which spares the thread that collects them a memory access
   * per id and keeps no reference to them. The default calls {@link #accept}. The same rules apply:
   * copy, never block, allocate or throw.
   */
  default void acceptHashed(
      @Nullable String[] userIds,
      long[] userHashes,
      long[] tokens,
      long[] costNanoUsd,
      int from,
      int to) {
    accept(userIds, tokens, costNanoUsd, from, to);
  }

  /**
   * Vigil's 64-bit hash of a user id: FNV-1a over its UTF-16 code units, finished with
   * MurmurHash3's 64-bit mixer. It is a data format: every process and version computes the same
   * value for the same id, so a store may keep it in place of the id (two of a million ids collide
   * with probability about 3e-8).
   */
  static long userHash(String userId) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < userId.length(); i++) {
      h ^= userId.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /**
   * The distinct users of {@code scope} in the sliding window {@code window} (one of {@link
   * ExtensionContext#activeUserWindows()}), or {@link #UNAVAILABLE}. From memory: never blocks.
   */
  long distinctUsers(Duration window, Scope scope);

  /**
   * This service's heaviest spenders in {@code window} across its replicas, heaviest first, at most
   * {@link ExtensionContext#topSpenders()}; null when unavailable. From memory: never blocks.
   */
  @Nullable List<Spender> topSpenders(Duration window, Ranking ranking);
}
