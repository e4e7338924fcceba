package dev.vigil.redis;

import static dev.vigil.redis.RedisFixture.env;
import static dev.vigil.redis.RedisFixture.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.RedisServer;
import dev.vigil.testkit.Scrape;
import dev.vigil.testkit.SilentServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis failing in every way a real one does, against a real redis-server: the business thread
 * never notices (no exception, and it keeps going at full speed: see {@link Traffic}), figures fall
 * back to the local ones and say so, self-metrics show the fault, and everything comes back by
 * itself within two flush intervals of Redis answering again. That no call ever waits for Redis is
 * proven without timing in {@link #aRedisThatNeverAnswers_holdsUpNoCaller}.
 */
class RedisFaultTest {
  private static final Logger LOG = LoggerFactory.getLogger(RedisFaultTest.class);

  private static final Duration FLUSH = Duration.ofMillis(250);

  @TempDir Path dir;
  private RedisServer redis;
  private Traffic traffic;

  @AfterEach
  void stop() {
    if (traffic != null) {
      traffic.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static Map<String, String> faultEnv(String url, String... more) {
    Map<String, String> env =
        env(
            url,
            "VIGIL_REDIS_FLUSH_INTERVAL",
            FLUSH.toMillis() + "ms",
            "VIGIL_REDIS_REFRESH_INTERVAL",
            FLUSH.toMillis() + "ms",
            "VIGIL_REDIS_TIMEOUT",
            "1s");
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  /**
   * A Redis that takes every connection and never answers, with the longest timeout Vigil allows
   * (30 s): a call that waited for Redis even once would take 30 s. 200,000 calls (activity, spend,
   * payment failures feeding the shared thresholds, and alerts, whose claims wait on Redis too) all
   * return within 20 s while the flusher is stuck in its first round trip, which the server saw
   * arrive and which has neither completed nor failed when the calls are done. Every id is kept or
   * counted as dropped: none is lost silently.
   */
  @Test
  void aRedisThatNeverAnswers_holdsUpNoCaller() {
    int calls = 200_000;
    SilentServer silent = SilentServer.start();
    Map<String, String> env =
        faultEnv(
            "redis://127.0.0.1:" + silent.port() + "/0",
            "VIGIL_REDIS_TIMEOUT",
            "30s",
            "VIGIL_REDIS_BUFFER_SIZE",
            "1024",
            "ALERT_WEBHOOK_URL",
            "http://127.0.0.1:" + silent.port() + "/hook");
    try (Monitoring m = RedisFixture.replica("bot", env)) {
      try {
        await("the flusher's first round trip reaching the silent Redis")
            .atMost(Duration.ofSeconds(10))
            .until(() -> silent.bytesReceived() > 0);
        long[] nanos = new long[calls];
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () -> {
              for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                m.trackKpi(Kpi.activeUser("silent-" + i));
                if ((i & 1023) == 0) {
                  m.trackKpi(Kpi.paymentFailure("pay-" + i, "card", "card_declined"));
                  m.alerts().alertQueueFailure("q-" + (i >> 10), new IllegalStateException(), null);
                }
                nanos[i] = System.nanoTime() - start;
              }
            },
            "a call waited for the Redis that never answers");
        Scrape during = scrape(m);
        assertThat(during.sum("vigil_redis_flush_duration_seconds_count"))
            .isZero(); // none completed
        assertThat(during.sum("vigil_redis_commands_failed_total")).isZero(); // still waiting
        assertThat(silent.accepted()).isPositive();
        Latencies.of(nanos).log("Redis never answering", LOG).assertQuick();
      } finally {
        silent.close(); // the stuck round trips fail at once, and the flusher goes on
      }
      await("every id kept or counted as dropped")
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                Scrape s = scrape(m);
                assertThat(
                        s.value("vigil_redis_ids_dropped_total", "kind", "activity")
                            + s.value("vigil_redis_buffered_ids"))
                    .isEqualTo(calls);
              });
    } finally {
      silent.close();
    }
  }

  @Test
  void downAtStartUp_localFiguresThenSharedOnceItRuns() {
    int port = RedisServer.unusedPort();
    try (Monitoring m = RedisFixture.replica("bot", faultEnv("redis://127.0.0.1:" + port + "/0"))) {
      traffic = new Traffic(m, "down-at-start");
      awaitFailed(m, "connection");
      assertFallsBackToLocal(m);
      redis = RedisServer.startOn(dir.resolve("redis"), port);
      assertRecoversWithinTwoFlushes(m);
      traffic.assertNeverHeldUp("Redis down at start-up");
    }
  }

  @Test
  void killedMidTraffic_fallsBackThenRecoversWhenItIsBack() {
    redis = RedisServer.start(dir.resolve("redis"));
    try (Monitoring m = RedisFixture.replica("bot", faultEnv(redis.url()))) {
      traffic = new Traffic(m, "killed");
      awaitShared(m);
      traffic.reset();
      redis.kill();
      awaitFailed(m, "connection");
      assertFallsBackToLocal(m);
      redis.restart();
      assertRecoversWithinTwoFlushes(m);
      traffic.assertNeverHeldUp("Redis killed mid-traffic");
    }
  }

  @Test
  void answeringSlowly_timesOutInTheBackgroundOnly() {
    redis = RedisServer.start(dir.resolve("redis"));
    try (Monitoring m = RedisFixture.replica("bot", faultEnv(redis.url()))) {
      traffic = new Traffic(m, "slow");
      awaitShared(m);
      traffic.reset();
      redis.sleep(Duration.ofSeconds(3)); // DEBUG SLEEP: every command waits 3 s
      awaitFailed(m, "timeout");
      assertFallsBackToLocal(m);
      await("Redis awake").atMost(Duration.ofSeconds(10)).until(() -> redis.answers(FLUSH));
      assertRecoversWithinTwoFlushes(m);
      traffic.assertNeverHeldUp("Redis answering after 3 s (DEBUG SLEEP)");
    }
  }

  @Test
  void restartedEmpty_fillsAgainFromWhatIsTrackedAfterwards() {
    redis = RedisServer.start(dir.resolve("redis"));
    try (Monitoring m = RedisFixture.replica("bot", faultEnv(redis.url()))) {
      for (int i = 0; i < 100; i++) {
        m.trackKpi(Kpi.activeUser("before-" + i));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(distinct(m)).isBetween(98L, 102L));
      redis.restart(); // empty: persistence is off
      for (int i = 0; i < 40; i++) {
        m.trackKpi(Kpi.activeUser("after-" + i));
      }
      // Redis forgot the 100; the 40 arrive with the next flush. Locally all 140 are known.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(distinct(m)).isBetween(39L, 41L));
      JsonNode users = SharedFiguresTest.json(m.kpiJson()).path("activeUsers");
      assertThat(users.path("localDistinct").path("5m").asLong()).isEqualTo(140);
      assertThat(users.path("source").path("5m").path("distinct").asText()).isEqualTo("shared");
    }
  }

  @Test
  void wrongPassword_countsAuthFailuresAndNeverShowsThePassword() {
    redis = RedisServer.start(dir.resolve("redis"), "the-right-one");
    String wrong = "not-the-password-42";
    try (LogCapture logs = LogCapture.of("dev.vigil");
        Monitoring m =
            RedisFixture.replica(
                "bot", faultEnv("redis://:" + wrong + "@127.0.0.1:" + redis.port() + "/0"))) {
      traffic = new Traffic(m, "wrong-password");
      awaitFailed(m, "auth");
      assertFallsBackToLocal(m);
      assertThat(logs.warnings()).anySatisfy(w -> assertThat(w).contains("auth"));
      assertThat(logs.render("%msg")).noneSatisfy(line -> assertThat(line).contains(wrong));
      traffic.assertNeverHeldUp("wrong password");
    }
  }

  @Test
  void wrongUrl_countsConnectionFailures() {
    try (Monitoring m =
        RedisFixture.replica("bot", faultEnv("redis://no-such-host.invalid:6379/0"))) {
      traffic = new Traffic(m, "wrong-url");
      awaitFailed(m, "connection");
      assertFallsBackToLocal(m);
      traffic.assertNeverHeldUp("wrong URL");
    }
  }

  private static long distinct(Monitoring m) {
    return (long) scrape(m).value("active_users_distinct", "window", "5m");
  }

  private static void awaitShared(Monitoring m) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "shared"
                    .equals(
                        SharedFiguresTest.json(m.kpiJson())
                            .path("activeUsers")
                            .path("source")
                            .path("5m")
                            .path("distinct")
                            .asText()));
  }

  private static void awaitFailed(Monitoring m, String reason) {
    await("a flush failing with " + reason)
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              Scrape s = scrape(m);
              return s.value("vigil_redis_up") == 0.0
                  && !s.matching(
                          "vigil_redis_commands_failed_total",
                          "operation",
                          "flush",
                          "reason",
                          reason)
                      .isEmpty();
            });
  }

  /** Every figure is this replica's own, and says so; the fallback is counted. */
  private static void assertFallsBackToLocal(Monitoring m) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode kpi = SharedFiguresTest.json(m.kpiJson());
              JsonNode users = kpi.path("activeUsers");
              assertThat(users.path("source").path("5m").path("distinct").asText())
                  .isEqualTo("local");
              assertThat(users.path("distinct").path("5m").asLong())
                  .isEqualTo(users.path("localDistinct").path("5m").asLong());
              assertThat(kpi.path("topSpenders").path("5m").path("source").asText())
                  .isEqualTo("local");
              Scrape s = scrape(m);
              assertThat(
                      s.value(
                          "vigil_redis_local_fallbacks_total", "figure", "system_distinct_users"))
                  .isPositive();
              assertThat(s.value("active_users_system_distinct", "window", "5m"))
                  .isEqualTo(users.path("localDistinct").path("5m").asDouble());
            });
  }

  private static void assertRecoversWithinTwoFlushes(Monitoring m) {
    long back = System.nanoTime();
    await("vigil_redis_up back to 1")
        // two flushes, plus a second for a thread on a machine this busy to get a core
        .atMost(FLUSH.multipliedBy(2).plusSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> scrape(m).value("vigil_redis_up") == 1.0);
    LOG.info(
        "recovered {} ms after Redis answered again",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
    awaitShared(m);
  }

  /**
   * What a run of calls took: the share over 1 ms bounds the 99.9th percentile, which a thread
   * descheduled on a busy machine does not move (it is a few calls in a hundred thousand), but a
   * caller waiting on Redis would (every call waiting on a round trip, or the 1 s timeout).
   */
  static final class Latencies {
    final long calls;
    final long overOneMillisecond;
    final long max;

    Latencies(long calls, long overOneMillisecond, long max) {
      this.calls = calls;
      this.overOneMillisecond = overOneMillisecond;
      this.max = max;
    }

    static Latencies of(long[] nanos) {
      long over = 0;
      long max = 0;
      for (long n : nanos) {
        over += n > 1_000_000 ? 1 : 0;
        max = Math.max(max, n);
      }
      return new Latencies(nanos.length, over, max);
    }

    Latencies log(String fault, Logger log) {
      log.info(
          "{}: {} calls, {} over 1 ms ({}%), slowest {} µs",
          fault,
          calls,
          overOneMillisecond,
          String.format(Locale.ROOT, "%.4f", 100.0 * overOneMillisecond / calls),
          max / 1000);
      return this;
    }

    /** At most one call in a thousand over 1 ms: the 99.9th percentile is under it. */
    void assertQuick() {
      assertThat(overOneMillisecond)
          .as("calls over 1 ms, of %d (the slowest took %d µs)", calls, max / 1000)
          .isLessThanOrEqualTo(calls / 1000);
    }
  }

  /**
   * A business thread: trackKpi in a loop (a user interaction and a spend per call, ids cycling
   * through 10,000), timing each pair of calls with the real clock, pausing briefly every 256 as a
   * busy service would.
   */
  private static final class Traffic implements AutoCloseable {
    /**
     * Calls the thread makes at least during a fault: a fraction of what it makes on a loaded
     * machine in a second, and hundreds of times what it could if each waited for a round trip.
     */
    private static final int MIN_CALLS = 10_000;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong slowest = new AtomicLong();
    private final AtomicLong overOneMillisecond = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicLong thrown = new AtomicLong();
    private final Thread thread;

    Traffic(Monitoring m, String name) {
      thread =
          new Thread(
              () -> {
                int i = 0;
                while (running.get()) {
                  String user = "user-" + (i++ % 10_000);
                  long start = System.nanoTime();
                  try {
                    m.trackKpi(Kpi.activeUser(user));
                    m.trackKpi(Kpi.tokenSpend(100, "gpt-4", "input").forUser(user));
                  } catch (RuntimeException e) {
                    thrown.incrementAndGet();
                  }
                  long took = System.nanoTime() - start;
                  slowest.accumulateAndGet(took, Math::max);
                  if (took > 1_000_000) {
                    overOneMillisecond.incrementAndGet();
                  }
                  calls.incrementAndGet();
                  if ((i & 255) == 0) {
                    LockSupport.parkNanos(200_000); // a busy service, not a benchmark
                  }
                }
              },
              "traffic-" + name);
      thread.setDaemon(true);
      thread.start();
      // Generous: on a loaded machine the warm-up's class loading and compiling take seconds.
      await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() > 20_000);
      reset();
    }

    /** Forgets the warm-up (class loading, the JIT): what counts is the calls during the fault. */
    void reset() {
      slowest.set(0);
      overOneMillisecond.set(0);
      calls.set(0);
    }

    /**
     * No exception reached the caller, it kept calling through the fault, and the 99.9th percentile
     * of its calls stayed under 1 ms.
     */
    void assertNeverHeldUp(String fault) {
      await("the caller making calls during " + fault)
          .atMost(Duration.ofSeconds(30))
          .until(() -> calls.get() >= MIN_CALLS);
      Latencies l = new Latencies(calls.get(), overOneMillisecond.get(), slowest.get());
      l.log(fault, LOG);
      assertThat(thrown.get()).as("exceptions thrown into the caller").isZero();
      l.assertQuick();
    }

    @Override
    public void close() {
      running.set(false);
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
