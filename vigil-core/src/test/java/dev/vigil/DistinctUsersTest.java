package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.internal.UserActivity;
import dev.vigil.testkit.Scrape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code active_users_distinct{window}}: distinct user ids per sliding window, fixed memory. */
class DistinctUsersTest {
  private final FakeTicker ticker = new FakeTicker();
  private final List<Monitoring> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Monitoring::close);
  }

  private Monitoring monitoring(Monitoring.Builder builder) {
    Monitoring m =
        builder
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .ticker(ticker)
            .topSpendersLogInterval(Duration.ZERO)
            .build()
            .start();
    opened.add(m);
    return m;
  }

  private Monitoring bot() {
    return monitoring(Monitoring.builder("bot"));
  }

  private static double distinct(Monitoring m, String window) {
    return Scrape.of(m.metricsAddress()).value("active_users_distinct", "window", window);
  }

  @Test
  void countsDistinctUsersNotInteractions() {
    Monitoring m = bot();
    m.trackKpi(Kpi.activeUser("user-1"));
    m.trackKpi(Kpi.activeUser("user-2"));
    m.trackKpi(Kpi.activeUser("user-1"));
    m.trackKpi("active_user", Map.of("userId", "user-3"));
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(scrape.value("active_users_total")).isEqualTo(4.0);
    assertThat(scrape.value("active_users_distinct", "window", "5m")).isEqualTo(3.0);
    assertThat(scrape.value("active_users_distinct", "window", "1h")).isEqualTo(3.0);
    assertThat(scrape.value("active_users_distinct", "window", "24h")).isEqualTo(3.0);
    // a different base name from the counter, so neither Prometheus nor client_java confuses them
    assertThat(scrape.family("active_users_total").type()).isEqualTo("COUNTER");
    assertThat(scrape.family("active_users_distinct").type()).isEqualTo("GAUGE");
  }

  @Test
  void usersAgeOutAfterTheWindowAndAtMostATwelfthMore() {
    Monitoring m = bot();
    m.trackKpi(Kpi.activeUser("early"));
    ticker.advance(Duration.ofMinutes(4));
    m.trackKpi(Kpi.activeUser("late"));
    assertThat(distinct(m, "5m")).isEqualTo(2.0);

    ticker.advance(Duration.ofMinutes(1)); // exactly 5m after "early": still counted
    assertThat(distinct(m, "5m")).isEqualTo(2.0);

    ticker.advance(Duration.ofSeconds(25)); // 5m25s: a 5m window's slice is 25s
    assertThat(distinct(m, "5m")).isEqualTo(1.0);
    assertThat(distinct(m, "1h")).isEqualTo(2.0);

    ticker.advance(Duration.ofHours(1).plusMinutes(5));
    assertThat(distinct(m, "5m")).isZero();
    assertThat(distinct(m, "1h")).isZero();
    assertThat(distinct(m, "24h")).isEqualTo(2.0);

    ticker.advance(Duration.ofHours(26));
    assertThat(distinct(m, "24h")).isZero();

    m.trackKpi(Kpi.activeUser("early")); // slices are reused, not grown
    assertThat(distinct(m, "5m")).isEqualTo(1.0);
    assertThat(distinct(m, "24h")).isEqualTo(1.0);
  }

  @Test
  void eventsBufferedBeforeAReadLandInTheSliceOfTheirOwnTime() {
    Monitoring m = bot();
    m.trackKpi(Kpi.activeUser("buffered")); // not drained until the next read
    ticker.advance(Duration.ofMinutes(6));
    assertThat(distinct(m, "5m")).isZero();
    assertThat(distinct(m, "1h")).isEqualTo(1.0);
  }

  @Test
  void windowsAreConfigurableInCodeAndEnvironment() {
    Monitoring code =
        monitoring(
            Monitoring.builder("bot").activeUserWindows(Duration.ofMinutes(1), Duration.ofDays(7)));
    code.trackKpi(Kpi.activeUser("u"));
    assertThat(Scrape.of(code.metricsAddress()).samples("active_users_distinct"))
        .extracting(s -> s.labels().get("window"))
        .containsExactlyInAnyOrder("1m", "168h");

    Monitoring env =
        monitoring(
            Monitoring.builder("bot")
                .readEnvironment(Map.of("VIGIL_ACTIVE_USER_WINDOWS", "15m, 2h,PT90S")));
    env.trackKpi(Kpi.activeUser("u"));
    assertThat(Scrape.of(env.metricsAddress()).samples("active_users_distinct"))
        .extracting(s -> s.labels().get("window"))
        .containsExactlyInAnyOrder("15m", "2h", "90s");
  }

  @Test
  void noWindowsTurnsDistinctUsersOff() {
    Monitoring off =
        monitoring(
            Monitoring.builder("bot").readEnvironment(Map.of("VIGIL_ACTIVE_USER_WINDOWS", "none")));
    off.trackKpi(Kpi.activeUser("u"));
    Scrape scrape = Scrape.of(off.metricsAddress());
    assertThat(scrape.family("active_users_distinct")).isNull();
    assertThat(scrape.value("active_users_total")).isEqualTo(1.0);
  }

  @Test
  void badWindowSettingsFailNamingTheSetting() {
    assertThatThrownBy(() -> Monitoring.builder("bot").activeUserWindows(Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "activeUserWindows: each window must be between 1 minute and 31 days in whole"
                + " seconds, such as 5m, 1h or 24h; got 30s");
    assertThatThrownBy(
            () ->
                Monitoring.builder("bot")
                    .activeUserWindows(Duration.ofMinutes(60), Duration.ofHours(1)))
        .hasMessage("activeUserWindows: window 1h is given twice");
    assertThatThrownBy(
            () ->
                Monitoring.builder("bot")
                    .readEnvironment(Map.of("VIGIL_ACTIVE_USER_WINDOWS", "5 minutes")))
        .hasMessage(
            "VIGIL_ACTIVE_USER_WINDOWS must be a duration such as 30s, 5m, 1h or 1d, got '5"
                + " minutes'");
  }

  @Test
  void missingUserIdIsAnInteractionButNotADistinctUser() {
    Monitoring m = bot();
    m.trackKpi(Kpi.activeUser(null));
    m.trackKpi(Kpi.activeUser("  "));
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(scrape.value("active_users_total")).isEqualTo(2.0);
    assertThat(scrape.value("active_users_distinct", "window", "5m")).isZero();
    assertThat(
            scrape.value(
                "vigil_invalid_inputs_total", "metric", "active_user", "reason", "null_value"))
        .isEqualTo(1.0);
  }

  /**
   * The accuracy bar: error at most 2% at 1,000,000 distinct users. Also the memory each
   * window holds, from the sketches' own size accounting, against its fixed bound.
   */
  @Test
  void oneMillionDistinctUsersWithinTwoPercentInFixedMemory() throws Exception {
    Monitoring m = bot();
    for (int i = 0; i < 1_000_000; i++) {
      m.trackKpi(Kpi.activeUser("user-" + i));
      if (i % 100_000 == 0) {
        ticker.advance(Duration.ofSeconds(2)); // spread over slices, all within 5m
      }
    }
    JsonNode kpi = new ObjectMapper().readTree(m.kpiJson());

    for (String window : List.of("5m", "1h", "24h")) {
      long estimate = kpi.at("/activeUsers/distinct/" + window).asLong();
      assertThat(Math.abs(estimate - 1_000_000) / 1_000_000.0).as(window).isLessThanOrEqualTo(0.02);
      long used = kpi.at("/activeUsers/sketchBytes/" + window + "/used").asLong();
      long max = kpi.at("/activeUsers/sketchBytes/" + window + "/max").asLong();
      // 12 slices + the current one, lgK 15, 4 bits, per stripe (one per core, at most 4)
      assertThat(max).isEqualTo(UserActivity.defaultStripes() * 13 * 16_936L);
      assertThat(used).isPositive().isLessThanOrEqualTo(max);
    }
    assertThat(distinct(m, "5m")).isEqualTo(kpi.at("/activeUsers/distinct/5m").asDouble());
  }

  @Test
  void concurrentCallersLoseNoUser() throws Exception {
    Monitoring m = bot();
    int threads = 4;
    int usersPerThread = 250;
    int rounds = 40; // 40,000 events per thread: the 1,024-slot ring fills and drains many times
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String[] ids = new String[usersPerThread];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = "t" + t + "-user-" + i;
        }
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int r = 0; r < rounds; r++) {
                    for (String id : ids) {
                      m.trackKpi(Kpi.activeUser(id));
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(scrape.value("active_users_total")).isEqualTo(40_000.0);
    // 1,000 distinct ids: the sketch is still exact at this size
    assertThat(scrape.value("active_users_distinct", "window", "5m")).isEqualTo(1000.0);
  }
}
