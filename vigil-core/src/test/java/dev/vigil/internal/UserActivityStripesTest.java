package dev.vigil.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The stripes of {@link UserActivity}: events from many threads land on different stripes, and a
 * read merges them without counting a user twice or losing any of a spender's spend. Four stripes
 * whatever the machine, eight threads with consecutive ids, so every stripe gets events.
 */
class UserActivityStripesTest {
  private static final int STRIPES = 4;
  private static final int THREADS = 8;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private UserActivity activity() {
    WarnLimiter limiter =
        new WarnLimiter(LoggerFactory.getLogger("dev.vigil"), nanos::get, 1, TimeUnit.MINUTES);
    CoreMetrics core =
        new CoreMetrics(
            "test",
            new InputGuard(true, limiter),
            new LabelPolicy(128, Map.of()),
            new PrometheusRegistry(),
            1000,
            Map.of(),
            limiter);
    return new UserActivity(
        core, nanos::get, List.of(Duration.ofMinutes(5), Duration.ofHours(1)), 10, STRIPES);
  }

  /** Runs {@code body} on {@link #THREADS} threads started together; returns their ids. */
  private static Set<Long> onThreads(ThreadBody body) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    for (int t = 0; t < THREADS; t++) {
      int n = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                  body.run(n);
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              });
      threads.add(thread);
      @SuppressWarnings("deprecation")
      long id = thread.getId();
      ids.add(id);
      thread.start();
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join(60_000);
      assertThat(thread.isAlive()).isFalse();
    }
    assertThat(failures).isEmpty();
    return ids;
  }

  interface ThreadBody {
    void run(int thread) throws Exception;
  }

  @Test
  void aUserSeenOnEveryStripeCountsOnceAndEveryStripeCounts() throws Exception {
    UserActivity activity = activity();
    Set<Long> ids =
        onThreads(
            t -> {
              for (int round = 0; round < 20; round++) {
                for (int u = 0; u < 500; u++) {
                  activity.activeUser("shared-" + u); // every thread sees the same 500 users
                }
                for (int u = 0; u < 100; u++) {
                  activity.activeUser("t" + t + "-" + u); // and 100 of its own
                }
              }
            });
    Set<Long> stripesUsed = new HashSet<>();
    for (long id : ids) {
      stripesUsed.add(id & (STRIPES - 1));
    }
    assertThat(stripesUsed).hasSize(STRIPES);

    List<UserActivity.WindowSnapshot> windows = activity.snapshot(false);
    assertThat(windows).extracting(UserActivity.WindowSnapshot::window).containsExactly("5m", "1h");
    for (UserActivity.WindowSnapshot w : windows) {
      assertThat(w.distinctUsers()).as(w.window()).isEqualTo(500 + THREADS * 100);
    }
  }

  @Test
  void aSpenderOnEveryStripeAddsUp() throws Exception {
    UserActivity activity = activity();
    onThreads(
        t -> {
          for (int i = 0; i < 10_000; i++) {
            activity.spend("whale", 3, 5);
            activity.spend("user-" + t, 1, 2);
          }
        });
    UserActivity.WindowSnapshot fiveMinutes = activity.snapshot(true).get(0);
    assertThat(fiveMinutes.topByTokens()).startsWith(new UserActivity.Spender("whale", 240_000));
    assertThat(fiveMinutes.topByCostNanos()).startsWith(new UserActivity.Spender("whale", 400_000));
    assertThat(fiveMinutes.topByTokens())
        .hasSize(1 + THREADS)
        .contains(new UserActivity.Spender("user-7", 10_000));
    assertThat(fiveMinutes.maxErrorTokens()).isZero();
  }

  @Test
  void memoryBoundCountsEveryStripe() {
    UserActivity activity = activity();
    activity.activeUser("someone");
    UserActivity.WindowSnapshot w = activity.snapshot(false).get(0);
    assertThat(activity.stripes()).isEqualTo(STRIPES);
    assertThat(w.maxSketchBytes()).isEqualTo(STRIPES * 13 * 16_936L);
    assertThat(w.sketchBytes()).isPositive().isLessThan(16_936L);
  }

  @Test
  void defaultStripesArePowersOfTwoUpToFour() {
    int stripes = UserActivity.defaultStripes();
    assertThat(Integer.bitCount(stripes)).isEqualTo(1);
    assertThat(stripes)
        .isBetween(1, UserActivity.MAX_STRIPES)
        .isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    assertThatThrownBy(
            () -> new UserActivity(null, nanos::get, List.of(Duration.ofMinutes(5)), 10, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two: 3");
  }
}
