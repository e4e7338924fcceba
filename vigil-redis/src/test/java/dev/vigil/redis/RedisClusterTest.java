package dev.vigil.redis;

import static dev.vigil.redis.RedisFixture.env;
import static dev.vigil.redis.RedisFixture.gauge;
import static dev.vigil.redis.RedisFixture.replica;
import static dev.vigil.redis.RedisFixture.scrape;
import static dev.vigil.redis.SharedFiguresTest.awaitUp;
import static dev.vigil.redis.SharedFiguresTest.json;
import static dev.vigil.redis.SharedFiguresTest.sent;
import static dev.vigil.redis.SharedFiguresTest.suppressed;
import static dev.vigil.redis.SharedFiguresTest.within2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.RedisCluster;
import dev.vigil.testkit.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas sharing one real Redis Cluster of three primaries ({@code redis+cluster://}): the same
 * figures and alert agreement as on one Redis, every key in the namespace's slot, a killed primary
 * degrading to local figures and back, a moved slot followed.
 */
class RedisClusterTest {
  @TempDir static Path dir;
  static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start(dir.resolve("cluster"));
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void empty() {
    cluster.awaitHealthy();
    cluster.flushAll();
  }

  @Test
  void distinctUsersTopSpendersAndAlertAgreementAcrossReplicas_everyKeyInTheNamespacesSlot() {
    try (HttpReceiver webhook = HttpReceiver.start(HttpReceiver.Response.ok("ok"))) {
      Map<String, String> env = env(cluster.url(), "ALERT_WEBHOOK_URL", webhook.url("/hook"));
      try (Monitoring a = replica("bot", env);
          Monitoring b = replica("bot", env)) {
        awaitUp(a, b);
        for (int i = 0; i < 300; i++) {
          a.trackKpi(Kpi.activeUser("user-" + i)); // 0..299
        }
        for (int i = 200; i < 500; i++) {
          b.trackKpi(Kpi.activeUser("user-" + i)); // 200..499
        }
        a.trackKpi(Kpi.tokenSpend(600, "gpt-4", "input").forUser("alice"));
        b.trackKpi(Kpi.tokenSpend(600, "gpt-4", "input").forUser("alice"));
        a.trackKpi(Kpi.tokenSpend(1000, "gpt-4", "input").forUser("bob"));
        await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(
                () -> {
                  for (Monitoring m : List.of(a, b)) {
                    assertThat(gauge(m, "active_users_distinct", "5m")).isCloseTo(500, within2());
                    JsonNode top = json(m.kpiJson()).path("topSpenders").path("1h");
                    assertThat(top.path("source").asText()).isEqualTo("shared");
                    assertThat(top.path("byTokens").path(0).path("userId").asText())
                        .isEqualTo("alice");
                    assertThat(top.path("byTokens").path(0).path("tokens").asLong())
                        .isEqualTo(1200);
                  }
                });

        a.alerts().alertQueueFailure("render", new IllegalStateException("GPU lost"), null);
        b.alerts().alertQueueFailure("render", new IllegalStateException("GPU lost"), null);
        await().atMost(Duration.ofSeconds(15)).until(() -> suppressed(a, b) + sent(a, b) == 2);
        assertThat(webhook.requests()).hasSize(1);
        assertThat(suppressed(a, b)).isEqualTo(1);

        // All of the namespace's keys are on the primary of its slot, none elsewhere.
        int owner = cluster.primaryOf("vigil");
        String slot = Long.toString(cluster.slotOf("vigil"));
        assertThat((Long) cluster.node(owner).command("CLUSTER", "COUNTKEYSINSLOT", slot))
            .isPositive();
        assertThat((Long) cluster.node(owner).command("DBSIZE"))
            .isEqualTo(cluster.node(owner).command("CLUSTER", "COUNTKEYSINSLOT", slot));
        for (int i = 0; i < cluster.size(); i++) {
          if (i != owner) {
            assertThat(cluster.node(i).command("DBSIZE")).as("keys on primary " + i).isEqualTo(0L);
          }
        }
      }
    }
  }

  @Test
  void killingThePrimaryOfTheNamespace_fallsBackToLocalFigures_andRecoversWhenItIsBack() {
    Map<String, String> env = env(cluster.url());
    try (Monitoring a = replica("bot", env);
        Monitoring b = replica("bot", env)) {
      awaitUp(a, b);
      for (int i = 0; i < 100; i++) {
        a.trackKpi(Kpi.activeUser("before-a-" + i));
        b.trackKpi(Kpi.activeUser("before-b-" + i));
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> assertThat(gauge(a, "active_users_distinct", "5m")).isCloseTo(200, within2()));

      int owner = cluster.primaryOf("vigil");
      cluster.kill(owner);
      for (Monitoring m : List.of(a, b)) {
        await("a failed flush on the killed primary")
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> {
                  Scrape s = scrape(m);
                  return s.value("vigil_redis_up") == 0.0
                      && !s.matching("vigil_redis_commands_failed_total", "operation", "flush")
                          .isEmpty();
                });
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  JsonNode users = json(m.kpiJson()).path("activeUsers");
                  assertThat(users.path("source").path("5m").path("distinct").asText())
                      .isEqualTo("local");
                  assertThat(gauge(m, "active_users_distinct", "5m")).isEqualTo(100.0);
                });
      }

      cluster.restart(owner); // back with its slots, empty
      awaitUp(a, b);
      for (int i = 0; i < 50; i++) {
        a.trackKpi(Kpi.activeUser("after-" + i));
        b.trackKpi(Kpi.activeUser("after-" + (i + 25))); // 75 distinct after the restart
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                for (Monitoring m : List.of(a, b)) {
                  assertThat(gauge(m, "active_users_distinct", "5m")).isCloseTo(75, within2());
                  assertThat(
                          json(m.kpiJson())
                              .path("activeUsers")
                              .path("source")
                              .path("5m")
                              .path("distinct")
                              .asText())
                      .isEqualTo("shared");
                }
              });
    }
  }

  @Test
  void aSlotMovedToAnotherPrimary_isFollowed() {
    try (Monitoring a = replica("bot", env(cluster.url()))) {
      awaitUp(a);
      for (int i = 0; i < 100; i++) {
        a.trackKpi(Kpi.activeUser("first-" + i));
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> assertThat(gauge(a, "active_users_distinct", "5m")).isCloseTo(100, within2()));
      int from = cluster.primaryOf("vigil");
      int to = (from + 1) % cluster.size();
      cluster.moveSlot("vigil", to); // with its keys: the 100 move along

      for (int i = 0; i < 100; i++) {
        a.trackKpi(Kpi.activeUser("second-" + i));
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                assertThat(gauge(a, "active_users_distinct", "5m")).isCloseTo(200, within2());
                assertThat(scrape(a).value("vigil_redis_up")).isEqualTo(1.0);
              });
      assertThat(cluster.primaryOf("vigil")).isEqualTo(to);
      assertThat(cluster.node(from).command("DBSIZE")).isEqualTo(0L);
      assertThat((Long) cluster.node(to).command("DBSIZE")).isPositive();
    }
  }
}
