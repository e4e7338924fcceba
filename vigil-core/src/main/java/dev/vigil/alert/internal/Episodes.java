package dev.vigil.alert.internal;

import dev.vigil.alert.Alert;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The cool-down: the first occurrence of an alert key notifies at once and opens a cool-down;
 * repeats inside it are only counted; when it ends, one summary notification carries the count and
 * opens the next cool-down. A key quiet for a whole cool-down is forgotten.
 *
 * <p>Callers never lock: each key's state is an immutable snapshot swapped by compare-and-set, and
 * the delivery thread flushes and retires keys the same way, so an occurrence is reported exactly
 * once even when a caller and the flush race. The table holds at most {@code maxKeys} keys; past
 * that, new keys notify every time (still bounded by the delivery queue).
 */
final class Episodes {
  /** What {@link #raise} decided. */
  enum Decision {
    NOTIFY,
    MERGED,
    UNTRACKED
  }

  private static final State RETIRED =
      new State(Long.MIN_VALUE, 0, true, null, null, Instant.EPOCH, true);

  private final long cooldownNanos;
  private final int maxKeys;
  private final ConcurrentHashMap<String, Episode> episodes = new ConcurrentHashMap<>();

  Episodes(long cooldownNanos, int maxKeys) {
    this.cooldownNanos = cooldownNanos;
    this.maxKeys = maxKeys;
  }

  /** The result of {@link #raise}: the notification to queue, when there is one. */
  static final class Outcome {
    final Decision decision;
    final @Nullable Raised raised;

    Outcome(Decision decision, @Nullable Raised raised) {
      this.decision = decision;
      this.raised = raised;
    }
  }

  private static final Outcome MERGED = new Outcome(Decision.MERGED, null);

  /**
   * Records one occurrence of {@code key} at ticker time {@code now}. Lock-free.
   *
   * @param handledError whether {@code handleCriticalError} raised it (see {@link
   *     Raised#handledError})
   */
  Outcome raise(String key, Alert alert, boolean handledError, Instant time, long now) {
    if (cooldownNanos == 0) {
      return new Outcome(
          Decision.NOTIFY, new Raised(key, alert, time, 1, time, time, handledError));
    }
    for (; ; ) {
      Episode episode = episodes.get(key);
      if (episode == null) {
        if (episodes.size() >= maxKeys) {
          return new Outcome(
              Decision.UNTRACKED, new Raised(key, alert, time, 1, time, time, handledError));
        }
        Episode fresh =
            new Episode(new State(now + cooldownNanos, 0, true, null, null, time, false));
        Episode raced = episodes.putIfAbsent(key, fresh);
        if (raced == null) {
          return new Outcome(
              Decision.NOTIFY, new Raised(key, alert, time, 1, time, time, handledError));
        }
        episode = raced;
      }
      State s = episode.state.get();
      if (s.retired) {
        episodes.remove(key, episode);
        continue;
      }
      if (now - s.cooldownEnd < 0) {
        State merged =
            new State(
                s.cooldownEnd,
                s.pending + 1,
                s.pendingHandled && handledError,
                s.firstPending == null ? time : s.firstPending,
                new Occurrence(alert, time),
                s.episodeStart,
                false);
        if (episode.state.compareAndSet(s, merged)) {
          return MERGED;
        }
        continue;
      }
      // The cool-down is over: this occurrence notifies, carrying any repeats not yet flushed.
      // After a quiet cool-down it starts a new episode; after unflushed repeats it continues one.
      Instant start = s.pending > 0 ? s.episodeStart : time;
      State next = new State(now + cooldownNanos, 0, true, null, null, start, false);
      if (episode.state.compareAndSet(s, next)) {
        Instant first = s.firstPending == null ? time : s.firstPending;
        return new Outcome(
            Decision.NOTIFY,
            new Raised(
                key, alert, time, 1 + s.pending, first, start, handledError && s.pendingHandled));
      }
    }
  }

  /**
   * On the delivery thread: emits a summary for every key whose cool-down ended with repeats (every
   * key with repeats, when {@code closing}), forgets keys that stayed quiet, and returns the ticker
   * time of the next cool-down end (or {@link Long#MAX_VALUE}).
   */
  long flush(long now, boolean closing, Consumer<Raised> summaries) {
    long next = Long.MAX_VALUE;
    for (Iterator<java.util.Map.Entry<String, Episode>> it = episodes.entrySet().iterator();
        it.hasNext(); ) {
      java.util.Map.Entry<String, Episode> entry = it.next();
      Episode episode = entry.getValue();
      State s = episode.state.get();
      if (s.retired) {
        it.remove();
        continue;
      }
      boolean ended = now - s.cooldownEnd >= 0;
      if (s.pending > 0 && (ended || closing)) {
        State reopened = new State(now + cooldownNanos, 0, true, null, null, s.episodeStart, false);
        if (episode.state.compareAndSet(s, reopened)) {
          Occurrence latest = Objects.requireNonNull(s.latest);
          summaries.accept(
              new Raised(
                  entry.getKey(),
                  latest.alert,
                  latest.time,
                  s.pending,
                  Objects.requireNonNull(s.firstPending),
                  s.episodeStart,
                  s.pendingHandled));
          next = Math.min(next, now + cooldownNanos);
        } else {
          next = now; // a caller changed it meanwhile: look again at once
        }
      } else if (s.pending == 0 && ended) {
        if (episode.state.compareAndSet(s, RETIRED)) {
          episodes.remove(entry.getKey(), episode);
        } else {
          next = now;
        }
      } else {
        next = Math.min(next, s.cooldownEnd);
      }
    }
    return next;
  }

  /** Whether any key has repeats waiting for a summary. */
  boolean hasPending() {
    for (Episode e : episodes.values()) {
      if (e.state.get().pending > 0) {
        return true;
      }
    }
    return false;
  }

  int size() {
    return episodes.size();
  }

  private static final class Episode {
    final AtomicReference<State> state;

    Episode(State initial) {
      this.state = new AtomicReference<>(initial);
    }
  }

  private static final class Occurrence {
    final Alert alert;
    final Instant time;

    Occurrence(Alert alert, Instant time) {
      this.alert = alert;
      this.time = time;
    }
  }

  /** One key's state; replaced whole, never changed. */
  private static final class State {
    final long cooldownEnd;
    final long pending;

    /** Whether every pending occurrence was a handled error; true when none is pending. */
    final boolean pendingHandled;

    final @Nullable Instant firstPending;
    final @Nullable Occurrence latest;
    final Instant episodeStart;
    final boolean retired;

    State(
        long cooldownEnd,
        long pending,
        boolean pendingHandled,
        @Nullable Instant firstPending,
        @Nullable Occurrence latest,
        Instant episodeStart,
        boolean retired) {
      this.cooldownEnd = cooldownEnd;
      this.pending = pending;
      this.pendingHandled = pendingHandled;
      this.firstPending = firstPending;
      this.latest = latest;
      this.episodeStart = episodeStart;
      this.retired = retired;
    }
  }
}
