package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Monitoring;
import dev.vigil.testkit.Executables;
import dev.vigil.testkit.Scrape;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code --redis} shows: the examples with a local redis-server and a second bot replica, a
 * few seconds of fast traffic; both bot replicas then report the bot's distinct users across the
 * two, more than either replica's own figure and the same on both.
 */
class ExamplesWithRedisTest {
  @Test
  void withRedis_bothBotReplicasReportTheServicesDistinctUsers_notTheirOwn() throws Exception {
    try (LocalRedis redis = LocalRedis.start(Executables.require("redis-server", "redis-server"))) {
      ExampleServices.Config tests = ExampleServices.Config.local(40);
      ExampleServices.Config config =
          new ExampleServices.Config(
              tests.host(),
              0,
              0,
              0,
              0,
              tests.speed(),
              tests.seed(),
              Map.of(
                  "VIGIL_REDIS_URL", redis.url(),
                  "VIGIL_REDIS_FLUSH_INTERVAL", "100ms",
                  "VIGIL_REDIS_REFRESH_INTERVAL", "100ms",
                  "VIGIL_REDIS_TIMEOUT", "2s"));
      try (ExampleServices services = ExampleServices.start(config)) {
        Monitoring first = services.bot().monitoring();
        Monitoring second = services.startBotReplica(config, 0).monitoring();
        await("both replicas reporting the bot's users across the two")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () -> {
                  long shared1 = distinct(first);
                  long shared2 = distinct(second);
                  long own1 = localDistinct(first);
                  long own2 = localDistinct(second);
                  assertThat(own1).isGreaterThanOrEqualTo(30);
                  assertThat(own2).isGreaterThanOrEqualTo(30);
                  // Redis' estimate across both, beyond what either replica saw itself
                  assertThat(shared1).isGreaterThan(Math.max(own1, own2) + 5);
                  assertThat(shared2).isCloseTo(shared1, withPercentage(3));
                  assertThat(shared1).isLessThanOrEqualTo(own1 + own2);
                });
        assertThat(Scrape.of(second.metricsAddress()).value("vigil_redis_up")).isEqualTo(1.0);
      }
    }
  }

  private static long distinct(Monitoring m) {
    return (long) Scrape.of(m.metricsAddress()).value("active_users_distinct", "window", "5m");
  }

  private static long localDistinct(Monitoring m) throws Exception {
    return new ObjectMapper()
        .readTree(m.kpiJson())
        .path("activeUsers")
        .path("localDistinct")
        .path("5m")
        .asLong();
  }
}
