package dev.vigil.alert.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alert.Alert;
import dev.vigil.alert.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EpisodesTest {
  private static final Alert ALERT =
      Alert.builder("queue_failure", Severity.ERROR, "Job failed")
          .groupBy("queue_name", "q")
          .build();
  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  @Test
  void theFirstOccurrenceNotifiesRepeatsMergeAndTheFlushSummarisesThem() {
    Episodes episodes = new Episodes(100, 10);
    assertThat(episodes.raise("k", ALERT, false, T0, 0).decision)
        .isEqualTo(Episodes.Decision.NOTIFY);
    assertThat(episodes.raise("k", ALERT, false, T0.plusNanos(10), 10).decision)
        .isEqualTo(Episodes.Decision.MERGED);
    assertThat(episodes.raise("k", ALERT, false, T0.plusNanos(20), 20).decision)
        .isEqualTo(Episodes.Decision.MERGED);
    List<Raised> summaries = new ArrayList<>();

    assertThat(episodes.flush(99, false, summaries::add)).isEqualTo(100);
    assertThat(summaries).isEmpty();
    assertThat(episodes.flush(100, false, summaries::add)).isEqualTo(200);

    assertThat(summaries).hasSize(1);
    assertThat(summaries.get(0).occurrences).isEqualTo(2);
    assertThat(summaries.get(0).firstSeen).isEqualTo(T0.plusNanos(10));
    assertThat(summaries.get(0).time).isEqualTo(T0.plusNanos(20));
    assertThat(summaries.get(0).episodeStart).isEqualTo(T0);
    episodes.flush(200, false, summaries::add);
    assertThat(episodes.size()).isZero();
  }

  @Test
  void aSummaryIsAHandledErrorOnlyWhenEveryOccurrenceItStandsForIsOne() {
    Episodes episodes = new Episodes(100, 10);
    assertThat(episodes.raise("k", ALERT, true, T0, 0).raised.handledError).isTrue();
    episodes.raise("k", ALERT, true, T0, 10);
    List<Raised> summaries = new ArrayList<>();
    episodes.flush(100, false, summaries::add);
    episodes.raise("k", ALERT, true, T0, 110);
    episodes.raise("k", ALERT, false, T0, 120);
    episodes.raise("k", ALERT, true, T0, 130);
    episodes.flush(200, false, summaries::add);
    episodes.raise("k", ALERT, false, T0, 210);

    assertThat(summaries).extracting(r -> r.handledError).containsExactly(true, false);
    Raised afterCooldown = episodes.raise("k", ALERT, true, T0, 300).raised;
    assertThat(afterCooldown.occurrences).as("carries the unflushed repeat").isEqualTo(2);
    assertThat(afterCooldown.handledError).isFalse();
  }

  @Test
  void pastTheKeyLimitNewKeysAreNotTracked() {
    Episodes episodes = new Episodes(100, 2);
    episodes.raise("a", ALERT, false, T0, 0);
    episodes.raise("b", ALERT, false, T0, 0);

    Episodes.Outcome third = episodes.raise("c", ALERT, false, T0, 0);

    assertThat(third.decision).isEqualTo(Episodes.Decision.UNTRACKED);
    assertThat(third.raised).isNotNull();
    assertThat(episodes.size()).isEqualTo(2);
  }

  @Test
  void noOccurrenceIsLostOrCountedTwiceWhenCallersAndTheFlushRace() throws Exception {
    Episodes episodes = new Episodes(1_000, 100);
    AtomicLong ticker = new AtomicLong();
    AtomicLong reported = new AtomicLong();
    int threads = 4;
    int perThread = 50_000;
    CountDownLatch go = new CountDownLatch(1);
    AtomicBoolean raising = new AtomicBoolean(true);
    List<Thread> raisers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread =
          new Thread(
              () -> {
                await(go);
                for (int i = 0; i < perThread; i++) {
                  long now = ticker.addAndGet(3);
                  String key = (i & 1) == 0 ? "a" : "b";
                  Episodes.Outcome o = episodes.raise(key, ALERT, false, T0, now);
                  if (o.raised != null) {
                    reported.addAndGet(o.raised.occurrences);
                  }
                }
              });
      thread.start();
      raisers.add(thread);
    }
    Thread flusher =
        new Thread(
            () -> {
              await(go);
              while (raising.get()) {
                episodes.flush(ticker.get(), false, r -> reported.addAndGet(r.occurrences));
              }
            });
    flusher.start();
    go.countDown();
    for (Thread thread : raisers) {
      thread.join();
    }
    raising.set(false);
    flusher.join();

    episodes.flush(ticker.get(), true, r -> reported.addAndGet(r.occurrences));

    assertThat(reported.get()).isEqualTo((long) threads * perThread);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
