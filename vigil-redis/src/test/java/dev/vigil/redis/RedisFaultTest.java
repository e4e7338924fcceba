package dev.vigil.redis;

import static dev.vigil.redis.RedisFixture.env;
import static dev.vigil.redis.RedisFixture.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.RedisServer;
import dev.vigil.testkit.Scrape;
import java.nio.file.Path;
import java.time.Duration;
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
 * never notices (no exception, its slowest trackKpi is measured), figures fall back to the local
 * ones and say so, self-metrics show the fault, and everything comes back by itself within two
 * flush intervals of Redis answering again.
 */
class RedisFaultTest {
  private static final Logger LOG = LoggerFactory.getLogger(RedisFaultTest.class);

  /**
   * Generous, for a machine shared with other builds (a thread may wait that long for a core): a
   * caller that waited on Redis would take the 1 s timeout, or the 3 s of DEBUG SLEEP.
   */
  private static final long SLOWEST_CALL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

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

  private static Map<String, String> faultEnv(String url) {
    return env(
        url,
        "VIGIL_REDIS_FLUSH_INTERVAL",
        FLUSH.toMillis() + "ms",
        "VIGIL_REDIS_REFRESH_INTERVAL",
        FLUSH.toMillis() + "ms",
        "VIGIL_REDIS_TIMEOUT",
        "1s");
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
      traffic.assertNeverSlow("Redis down at start-up");
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
      traffic.assertNeverSlow("Redis killed mid-traffic");
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
      traffic.assertNeverSlow("Redis answering after 3 s (DEBUG SLEEP)");
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
      traffic.assertNeverSlow("wrong password");
    }
  }

  @Test
  void wrongUrl_countsConnectionFailures() {
    try (Monitoring m =
        RedisFixture.replica("bot", faultEnv("redis://no-such-host.invalid:6379/0"))) {
      traffic = new Traffic(m, "wrong-url");
      awaitFailed(m, "connection");
      assertFallsBackToLocal(m);
      traffic.assertNeverSlow("wrong URL");
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
   * A business thread: trackKpi in a loop (a user interaction and a spend per call, ids cycling
   * through 10,000), timing each call with the real clock.
   */
  private static final class Traffic implements AutoCloseable {
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
      await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() > 20_000);
      reset();
    }

    /** Forgets the warm-up (class loading, the JIT): what counts is the calls during the fault. */
    void reset() {
      slowest.set(0);
      overOneMillisecond.set(0);
      calls.set(0);
    }

    void assertNeverSlow(String fault) {
      long max = slowest.get();
      LOG.info(
          "{}: {} calls, slowest trackKpi pair {} µs, {} over 1 ms",
          fault,
          calls.get(),
          max / 1000,
          overOneMillisecond.get());
      assertThat(thrown.get()).as("exceptions thrown into the caller").isZero();
      assertThat(max)
          .as("slowest pair of trackKpi calls during " + fault + ", in ns")
          .isLessThan(SLOWEST_CALL_NANOS);
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
