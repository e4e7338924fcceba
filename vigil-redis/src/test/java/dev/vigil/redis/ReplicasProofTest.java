package dev.vigil.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.RedisServer;
import dev.vigil.testkit.Scrape;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof with real processes: three replicas of one service and one other service, each a JVM of
 * its own, against one redis-server.
 */
class ReplicasProofTest {
  @TempDir Path dir;
  private final List<Replica> replicas = new ArrayList<>();
  private RedisServer redis;

  @AfterEach
  void stop() {
    for (Replica r : replicas) {
      r.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /**
   * Each bot replica sees 100,000 users: the same 50,000 on all three, and 50,000 of its own, so
   * the bot has 200,000 users; the api has 100,000, half of them bot users too, so the system has
   * 250,000. Every replica's /metrics tells the service's and the system's figure within 2%, while
   * adding the replicas' own figures (what {@code sum()} would do) says 300,000.
   */
  @Test
  void everyReplicaReportsTheServicesAndTheSystemsDistinctUsers() throws Exception {
    redis = RedisServer.start(dir.resolve("redis"));
    Map<String, String> env = env(Map.of());
    for (int r = 0; r < 3; r++) {
      replicas.add(Replica.start("bot", env));
    }
    Replica api = Replica.start("api", env);
    replicas.add(api);
    for (int r = 0; r < 3; r++) {
      replicas.get(r).send("users shared- 0 50000");
      replicas.get(r).send("users bot" + r + "- 0 50000");
    }
    api.send("users shared- 0 50000");
    api.send("users api- 0 50000");

    Percentage twoPercent = Percentage.withPercentage(2);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (Replica r : replicas) {
                Scrape s = r.scrape();
                for (String w : List.of("5m", "1h", "24h")) {
                  assertThat(s.value("active_users_system_distinct", "window", w))
                      .as(r + " system " + w)
                      .isCloseTo(250_000, twoPercent);
                  assertThat(s.value("active_users_distinct", "window", w))
                      .as(r + " service " + w)
                      .isCloseTo(r == api ? 100_000 : 200_000, twoPercent);
                }
              }
            });
    double sumOfLocal = 0;
    for (int r = 0; r < 3; r++) {
      JsonNode kpi = replicas.get(r).kpi().path("activeUsers");
      assertThat(kpi.path("localDistinct").path("5m").asDouble())
          .isCloseTo(100_000, within(2000.0));
      sumOfLocal += kpi.path("localDistinct").path("5m").asDouble();
    }
    assertThat(sumOfLocal).isCloseTo(300_000, twoPercent).isNotCloseTo(200_000, twoPercent);
  }

  /**
   * An incident every replica raises reaches the webhook once; and three payment failures, one per
   * replica, reach a threshold of 3 that no replica reaches alone: one message.
   */
  @Test
  void oneMessagePerIncidentAndThresholdsOverAllReplicas() throws Exception {
    redis = RedisServer.start(dir.resolve("redis"));
    try (HttpReceiver webhook = HttpReceiver.start(HttpReceiver.Response.ok("ok"))) {
      Map<String, String> env =
          env(
              Map.of(
                  "ALERT_WEBHOOK_URL", webhook.url("/hook"),
                  "ALERT_PAYMENT_FAILURE_THRESHOLD", "3",
                  "ALERT_PAYMENT_FAILURE_WINDOW", "10m"));
      for (int r = 0; r < 3; r++) {
        replicas.add(Replica.start("worker", env));
      }
      for (Replica r : replicas) {
        r.awaitRedisUp();
      }
      for (Replica r : replicas) {
        r.send("queue-failure");
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> handled() == 3);
      assertThat(webhook.requests()).hasSize(1);
      assertThat(webhook.requests().get(0).body()).contains("\"type\":\"queue_failure\"");

      for (int r = 0; r < 3; r++) {
        replicas.get(r).send("payment-failure pay-" + r);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  webhook.requests().stream()
                      .anyMatch(q -> q.body().contains("\"type\":\"payment_failure\"")));
      // the other replicas see the same total a flush later and are told it is a duplicate
      await().atMost(Duration.ofSeconds(20)).until(() -> handled() == 6);
      assertThat(webhook.requests()).hasSize(2);
      assertThat(webhook.requests().get(1).body())
          .contains("Payment failures reached 3 within 10m over all replicas (3)");
    }
  }

  /** Webhook notifications sent or suppressed as duplicates, over all replicas. */
  private double handled() {
    double n = 0;
    for (Replica r : replicas) {
      Scrape s = r.scrape();
      n +=
          s.matching("vigil_alerts_sent_total", "channel", "webhook").stream()
              .mapToDouble(Scrape.Sample::value)
              .sum();
      n +=
          s
              .matching(
                  "vigil_alerts_suppressed_total",
                  "channel",
                  "webhook",
                  "reason",
                  "cluster_duplicate")
              .stream()
              .mapToDouble(Scrape.Sample::value)
              .sum();
    }
    return n;
  }

  private Map<String, String> env(Map<String, String> more) {
    Map<String, String> env = new java.util.HashMap<>(RedisFixture.env(redis.url()));
    env.put("VIGIL_REDIS_FLUSH_INTERVAL", "200ms");
    env.put("VIGIL_REDIS_REFRESH_INTERVAL", "200ms");
    env.put("VIGIL_REDIS_TIMEOUT", "1s");
    env.put("LOG_LEVEL", "warn");
    env.putAll(more);
    return env;
  }

  /** A replica JVM running {@link ReplicaMain}. */
  private static final class Replica implements AutoCloseable {
    private static int started;
    private final String name;
    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final int port;

    private Replica(String name, Process process) throws IOException {
      this.name = name;
      this.process = process;
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      if (ready == null || !ready.startsWith("ready ")) {
        throw new AssertionError(name + " did not start: " + ready);
      }
      this.port = Integer.parseInt(ready.substring("ready ".length()));
    }

    static Replica start(String service, Map<String, String> env) throws IOException {
      String classPath =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      ProcessBuilder builder =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-XX:TieredStopAtLevel=1",
              "-XX:+UseSerialGC",
              "-Xmx256m",
              "-cp",
              classPath,
              ReplicaMain.class.getName(),
              service);
      builder.environment().remove("JAVA_TOOL_OPTIONS");
      builder.environment().putAll(env);
      builder.redirectError(
          new File(System.getProperty("java.io.tmpdir"), "replica-" + ++started + ".err"));
      return new Replica(service + "#" + started, builder.start());
    }

    void send(String command) throws IOException {
      in.write(command + "\n");
      in.flush();
      String answer = out.readLine();
      if (!"done".equals(answer)) {
        throw new AssertionError(name + " answered " + answer + " to " + command);
      }
    }

    Scrape scrape() {
      return Scrape.of(new java.net.InetSocketAddress("127.0.0.1", port));
    }

    JsonNode kpi() {
      return SharedFiguresTest.json(
          Http.get(URI.create("http://127.0.0.1:" + port + "/kpi").toString()).body());
    }

    void awaitRedisUp() {
      await().atMost(Duration.ofSeconds(20)).until(() -> scrape().value("vigil_redis_up") == 1.0);
    }

    @Override
    public String toString() {
      return name;
    }

    @Override
    public void close() {
      try {
        in.close(); // ReplicaMain exits when its input closes
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        try {
          if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          process.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
