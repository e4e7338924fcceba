package dev.vigil.redis;

import static dev.vigil.redis.RedisFixture.env;
import static dev.vigil.redis.RedisFixture.gauge;
import static dev.vigil.redis.RedisFixture.replica;
import static dev.vigil.redis.RedisFixture.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.RedisServer;
import dev.vigil.testkit.Scrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas in one JVM sharing one real redis-server: the figures are the service's and system's.
 */
class SharedFiguresTest {
  @TempDir static Path dir;
  static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start(dir.resolve("redis"));
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void empty() {
    redis.command("FLUSHALL");
  }

  @Test
  void distinctUsersAreTheServicesAndTheSystemsAcrossReplicas() {
    Map<String, String> env = env(redis.url());
    try (Monitoring a = replica("bot", env);
        Monitoring b = replica("bot", env);
        Monitoring api = replica("api", env)) {
      for (int i = 0; i < 300; i++) {
        a.trackKpi(Kpi.activeUser("user-" + i)); // 0..299
      }
      for (int i = 200; i < 500; i++) {
        b.trackKpi(Kpi.activeUser("user-" + i)); // 200..499: 100 seen by both
      }
      for (int i = 450; i < 600; i++) {
        api.trackKpi(Kpi.activeUser("user-" + i)); // 450..599: 50 are bot users too
      }
      // Redis' HyperLogLog estimates within 2% here (0.81% standard error); the local sketches of
      // 300 ids are exact, and far from the service's 500.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                for (Monitoring bot : List.of(a, b)) {
                  for (String w : List.of("5m", "1h", "24h")) {
                    assertThat(gauge(bot, "active_users_distinct", w)).isCloseTo(500, within2());
                    assertThat(gauge(bot, "active_users_system_distinct", w))
                        .isCloseTo(600, within2());
                  }
                }
                assertThat(gauge(api, "active_users_distinct", "24h")).isCloseTo(150, within2());
                assertThat(gauge(api, "active_users_system_distinct", "24h"))
                    .isCloseTo(600, within2());
              });
      JsonNode kpi = json(a.kpiJson()).path("activeUsers");
      assertThat(kpi.path("distinct").path("5m").asDouble()).isCloseTo(500, within2());
      assertThat(kpi.path("localDistinct").path("5m").asLong()).isEqualTo(300);
      assertThat(kpi.path("systemDistinct").path("5m").asDouble()).isCloseTo(600, within2());
      assertThat(kpi.path("source").path("5m").path("distinct").asText()).isEqualTo("shared");
      Scrape self = scrape(a);
      assertThat(self.value("vigil_redis_up")).isEqualTo(1.0);
      assertThat(self.value("vigil_redis_ids_flushed_total", "kind", "activity")).isEqualTo(300);
    }
  }

  @Test
  void topSpendersAddUpAcrossReplicas() {
    Map<String, String> env = env(redis.url());
    try (Monitoring a = replica("bot", env);
        Monitoring b = replica("bot", env)) {
      // alice spends most in total, but never most on either replica alone
      a.trackKpi(Kpi.tokenSpend(600, "gpt-4", "input").forUser("alice"));
      b.trackKpi(Kpi.tokenSpend(600, "gpt-4", "input").forUser("alice"));
      a.trackKpi(Kpi.tokenSpend(1000, "gpt-4", "input").forUser("bob"));
      b.trackKpi(Kpi.tokenSpend(900, "gpt-4", "input").forUser("carol"));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonNode top = json(b.kpiJson()).path("topSpenders").path("1h");
                assertThat(top.path("source").asText()).isEqualTo("shared");
                assertThat(top.path("byTokens").path(0).path("userId").asText()).isEqualTo("alice");
                assertThat(top.path("byTokens").path(0).path("tokens").asLong()).isEqualTo(1200);
                assertThat(top.path("byTokens").path(1).path("userId").asText()).isEqualTo("bob");
                // gpt-4 input at the default price of 0.03 USD per 1,000 tokens
                assertThat(top.path("byCostUsd").path(0).path("costUsd").decimalValue())
                    .isEqualByComparingTo("0.036");
              });
    }
  }

  @Test
  void anAlertEveryReplicaRaisesIsSentOnce() {
    try (HttpReceiver webhook = HttpReceiver.start(HttpReceiver.Response.ok("ok"))) {
      Map<String, String> env = env(redis.url(), "ALERT_WEBHOOK_URL", webhook.url("/hook"));
      try (Monitoring a = replica("worker", env);
          Monitoring b = replica("worker", env);
          Monitoring c = replica("worker", env)) {
        awaitUp(a, b, c);
        for (Monitoring m : List.of(a, b, c)) {
          m.alerts()
              .alertQueueFailure("image-generation", new IllegalStateException("GPU lost"), null);
        }
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> suppressed(a, b, c) + sent(a, b, c) == 3);
        assertThat(webhook.requests()).hasSize(1);
        assertThat(suppressed(a, b, c)).isEqualTo(2);
      }
    }
  }

  /**
   * Repeats inside the cool-down, on both replicas: the replica that sends counts the other's in
   * its messages, so the messages add up to every occurrence. The other's first occurrence is in
   * the sender's summary; the repeats it reports at the end of its own cool-down (after the
   * sender's summary) are in the sender's next message.
   */
  @Test
  void theSendersMessagesCountTheRepeatsOfEveryReplica() {
    try (HttpReceiver webhook = HttpReceiver.start(HttpReceiver.Response.ok("ok"))) {
      Map<String, String> env =
          env(redis.url(), "ALERT_WEBHOOK_URL", webhook.url("/hook"), "ALERT_COOLDOWN", "3s");
      try (Monitoring a = replica("worker", env);
          Monitoring b = replica("worker", env)) {
        awaitUp(a, b);
        IllegalStateException gpuLost = new IllegalStateException("GPU lost");
        for (int i = 0; i < 3; i++) {
          a.alerts().alertQueueFailure("render", gpuLost, null); // sent, then 2 repeats
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.requests().size() == 1);
        for (int i = 0; i < 4; i++) {
          b.alerts().alertQueueFailure("render", gpuLost, null); // a duplicate, then 3 repeats
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.requests().size() == 2);
        // b's summary (its 3 repeats) is handed over when its own cool-down ends; raising a's
        // last one only after that puts both in a's next message, whatever the two threads'
        // timing on a loaded machine.
        await().atMost(Duration.ofSeconds(10)).until(() -> suppressed(b) == 2);
        a.alerts().alertQueueFailure("render", gpuLost, null); // one more on the sender
        await().atMost(Duration.ofSeconds(15)).until(() -> webhook.requests().size() == 3);

        List<Long> occurrences =
            webhook.requests().stream()
                .map(r -> json(r.body()).path("occurrences").asLong())
                .toList();
        // 1; then a's 2 repeats with b's first, and a's last with b's 3 repeats: b's summary
        // reaches the sender before or after a's own, as the two cool-downs end on real time.
        assertThat(occurrences.get(0)).isEqualTo(1L);
        assertThat(occurrences.subList(1, 3)).containsExactlyInAnyOrder(3L, 4L);
        assertThat(occurrences.stream().mapToLong(Long::longValue).sum()).isEqualTo(8);
        assertThat(suppressed(b)).isEqualTo(2); // b's first occurrence and its summary
      }
    }
  }

  @Test
  void aThresholdReachedOnlyInTotalFiresOnce() {
    try (HttpReceiver webhook = HttpReceiver.start(HttpReceiver.Response.ok("ok"))) {
      Map<String, String> env =
          env(
              redis.url(),
              "ALERT_WEBHOOK_URL",
              webhook.url("/hook"),
              "ALERT_PAYMENT_FAILURE_THRESHOLD",
              "3",
              "ALERT_PAYMENT_FAILURE_WINDOW",
              "5m");
      try (Monitoring a = replica("api", env);
          Monitoring b = replica("api", env);
          Monitoring c = replica("api", env)) {
        awaitUp(a, b, c);
        int n = 0;
        for (Monitoring m : List.of(a, b, c)) {
          m.trackKpi(Kpi.paymentFailure("pay-" + n++, "card", "card_declined")); // one each
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.requests().size() == 1);
        assertThat(webhook.requests().get(0).body())
            .contains("Payment failures reached 3 within 5m over all replicas (3)");
        // every replica saw the total and raised; the others' notifications were duplicates
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> suppressed(a, b, c) + sent(a, b, c) == 3);
        assertThat(webhook.requests()).hasSize(1);
      }
    }
  }

  @Test
  void withoutAUrlNothingChanges() {
    try (Monitoring m =
        Monitoring.builder("bot")
            .discoverExtensions(false)
            .extension(new RedisStore())
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .build()
            .start()) {
      m.trackKpi(Kpi.activeUser("u"));
      Scrape s = scrape(m);
      assertThat(s.value("active_users_distinct", "window", "5m")).isEqualTo(1.0);
      assertThat(s.family("active_users_system_distinct")).isNull();
      assertThat(s.family("vigil_redis_up")).isNull();
      assertThat(json(m.kpiJson()).path("activeUsers").has("systemDistinct")).isFalse();
    }
  }

  @Test
  void aMalformedUrlFailsAtStartNamingTheVariableNotThePassword() {
    assertThatThrownBy(
            () ->
                Monitoring.builder("bot")
                    .discoverExtensions(false)
                    .extension(new RedisStore())
                    .readEnvironment(Map.of("VIGIL_REDIS_URL", "http://:hunter2@redis:6379/0"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "VIGIL_REDIS_URL must start with redis://, rediss://, redis+cluster:// or"
                + " rediss+cluster://")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisStore.builder().url("redis://:hunter2@a:6379,b:6379/0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "RedisStore.Builder.url names 2 hosts; use redis+cluster:// for a Redis Cluster")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisStore.builder().url("redis+cluster://:hunter2@a:7000,b:7001/3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "RedisStore.Builder.url names database 3, but a Redis Cluster has database 0 only")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisStore.builder().url("redis+cluster://a:7000,,b:7001"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("RedisStore.Builder.url has no host");
    assertThatThrownBy(() -> RedisStore.builder().url("redis+cluster://a:7000,b:99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("RedisStore.Builder.url has port 99999, not 1 to 65535");
    assertThatThrownBy(() -> RedisStore.builder().url("redis://:hunter2@redis:6379/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("RedisStore.Builder.url names database 'x', not a number")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(
            () ->
                Monitoring.builder("bot")
                    .discoverExtensions(false)
                    .extension(new RedisStore())
                    .readEnvironment(
                        Map.of(
                            "VIGIL_REDIS_URL", redis.url(), "VIGIL_REDIS_FLUSH_INTERVAL", "10ms"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("VIGIL_REDIS_FLUSH_INTERVAL must be between 50ms and 60s, got 10ms");
    assertThatThrownBy(() -> RedisStore.builder().namespace("a{b}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("RedisStore.Builder.namespace must be 1 to 64 letters");
  }

  static org.assertj.core.data.Percentage within2() {
    return org.assertj.core.data.Percentage.withPercentage(2);
  }

  static void awaitUp(Monitoring... replicas) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Stream.of(replicas).allMatch(m -> scrape(m).value("vigil_redis_up") == 1.0));
  }

  static double suppressed(Monitoring... replicas) {
    return Stream.of(replicas)
        .mapToDouble(
            m ->
                scrape(m)
                    .matching("vigil_alerts_suppressed_total", "reason", "cluster_duplicate")
                    .stream()
                    .mapToDouble(Scrape.Sample::value)
                    .sum())
        .sum();
  }

  static double sent(Monitoring... replicas) {
    return Stream.of(replicas)
        .mapToDouble(
            m ->
                scrape(m).matching("vigil_alerts_sent_total", "channel", "webhook").stream()
                    .mapToDouble(Scrape.Sample::value)
                    .sum())
        .sum();
  }

  static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
