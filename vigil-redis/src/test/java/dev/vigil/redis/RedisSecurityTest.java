package dev.vigil.redis;

import static dev.vigil.redis.RedisFixture.env;
import static dev.vigil.redis.RedisFixture.gauge;
import static dev.vigil.redis.RedisFixture.replica;
import static dev.vigil.redis.RedisFixture.scrape;
import static dev.vigil.redis.SharedFiguresTest.awaitUp;
import static dev.vigil.redis.SharedFiguresTest.sent;
import static dev.vigil.redis.SharedFiguresTest.suppressed;
import static dev.vigil.redis.SharedFiguresTest.within2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.RedisServer;
import dev.vigil.testkit.Scrape;
import dev.vigil.testkit.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and ACL users against a real redis-server: {@code rediss://} with Vigil trusting a CA of the
 * test's and presenting a client certificate, a server it must not trust, TLS files that cannot be
 * used; an ACL user allowed only the commands and keys the README lists.
 */
class RedisSecurityTest {
  @TempDir static Path dir;
  static TlsFiles tls;

  @BeforeAll
  static void certificates() {
    tls = TlsFiles.generate(dir.resolve("tls"));
  }

  private static Map<String, String> tlsEnv(String url, String... more) {
    Map<String, String> env =
        env(
            url,
            "VIGIL_REDIS_TLS_CA_CERT",
            tls.caCert().toString(),
            "VIGIL_REDIS_TLS_CERT",
            tls.clientCert().toString(),
            "VIGIL_REDIS_TLS_KEY",
            tls.clientKey().toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void overTls_trustingTheCaAndPresentingAClientCertificate_replicasShareTheirFigures() {
    try (RedisServer redis = RedisServer.startTls(dir.resolve("tls-redis"), tls);
        Monitoring a = replica("bot", tlsEnv(redis.url()));
        Monitoring b = replica("bot", tlsEnv(redis.url()))) {
      assertThat(redis.url()).startsWith("rediss://127.0.0.1:");
      awaitUp(a, b);
      for (int i = 0; i < 100; i++) {
        a.trackKpi(Kpi.activeUser("user-" + i));
        b.trackKpi(Kpi.activeUser("user-" + (i + 50)));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(gauge(a, "active_users_distinct", "5m")).isCloseTo(150, within2());
                assertThat(gauge(b, "active_users_distinct", "5m")).isCloseTo(150, within2());
              });
      assertThat(scrape(a).sum("vigil_redis_commands_failed_total")).isZero();
    }
  }

  @Test
  void overTls_aServerWhoseCaIsNotTrusted_isNeverTalkedTo_andSaysWhyAndWhatToSet() {
    TlsFiles other = TlsFiles.generate(dir.resolve("other-ca"));
    try (RedisServer redis = RedisServer.startTls(dir.resolve("untrusted-redis"), tls);
        LogCapture logs = LogCapture.of("dev.vigil");
        Monitoring m =
            replica(
                "bot",
                tlsEnv(
                    redis.url(),
                    "VIGIL_REDIS_TLS_CA_CERT",
                    other.caCert().toString(),
                    "VIGIL_REDIS_TLS_CERT",
                    other.clientCert().toString(),
                    "VIGIL_REDIS_TLS_KEY",
                    other.clientKey().toString()))) {
      m.trackKpi(Kpi.activeUser("u-1"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  !scrape(m)
                      .matching(
                          "vigil_redis_commands_failed_total",
                          "operation",
                          "flush",
                          "reason",
                          "tls")
                      .isEmpty());
      Scrape s = scrape(m);
      assertThat(s.value("vigil_redis_up")).isZero();
      assertThat(s.value("active_users_distinct", "window", "5m")).isEqualTo(1.0);
      assertThat(logs.warnings())
          .anySatisfy(w -> assertThat(w).contains("VIGIL_REDIS_TLS_CA_CERT"));
    }
  }

  @Test
  void tlsFilesThatCannotBeUsed_failAtStart_namingTheSetting() throws Exception {
    Path notPem = Files.writeString(dir.resolve("not-a-certificate.pem"), "hello\n");
    Path missing = dir.resolve("missing.pem");
    String url = "rediss://127.0.0.1:6380/0";
    assertThatThrownBy(
            () ->
                build(
                    Map.of("VIGIL_REDIS_URL", url, "VIGIL_REDIS_TLS_CA_CERT", missing.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "VIGIL_REDIS_TLS_CA_CERT names " + missing + ", which cannot be read");
    assertThatThrownBy(
            () ->
                build(Map.of("VIGIL_REDIS_URL", url, "VIGIL_REDIS_TLS_CA_CERT", notPem.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("VIGIL_REDIS_TLS_CA_CERT (" + notPem + ")");
    assertThatThrownBy(
            () ->
                build(
                    Map.of(
                        "VIGIL_REDIS_URL", url, "VIGIL_REDIS_TLS_KEY", tls.clientKey().toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("VIGIL_REDIS_TLS_CERT is not set, but VIGIL_REDIS_TLS_KEY is");
    assertThatThrownBy(
            () ->
                build(
                    Map.of(
                        "VIGIL_REDIS_URL",
                        url,
                        "VIGIL_REDIS_TLS_CERT",
                        tls.clientCert().toString(),
                        "VIGIL_REDIS_TLS_KEY",
                        tls.clientCert().toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("VIGIL_REDIS_TLS_KEY (" + tls.clientCert() + ") holds no");
    assertThatThrownBy(
            () ->
                build(
                    Map.of(
                        "VIGIL_REDIS_URL",
                        "redis://127.0.0.1:6379/0",
                        "VIGIL_REDIS_TLS_CA_CERT",
                        tls.caCert().toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "VIGIL_REDIS_TLS_CA_CERT is set, but VIGIL_REDIS_URL does not use TLS");
    assertThatThrownBy(
            () ->
                Monitoring.builder("bot")
                    .discoverExtensions(false)
                    .extension(RedisStore.builder().url(url).trustedCertificates(missing).build())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("RedisStore.Builder.trustedCertificates names " + missing);
  }

  private static Monitoring build(Map<String, String> env) {
    return Monitoring.builder("bot")
        .discoverExtensions(false)
        .extension(new RedisStore())
        .readEnvironment(env)
        .build();
  }

  /** The ACL the README gives for a standalone Redis: these commands, the namespace's keys. */
  static final List<String> ACL_COMMANDS =
      List.of(
          "+pfadd",
          "+pfcount",
          "+pfmerge",
          "+pexpire",
          "+zincrby",
          "+zremrangebyrank",
          "+zunionstore",
          "+zrevrange",
          "+del",
          "+incrby",
          "+mget",
          "+set",
          "+get",
          "+getset",
          "+client|setname");

  @Test
  void anAclUserWithOnlyVigilsCommandsAndKeys_sharesFiguresAndAgreesOnAlerts() {
    try (RedisServer redis = RedisServer.start(dir.resolve("acl-redis"));
        HttpReceiver webhook = HttpReceiver.start(HttpReceiver.Response.ok("ok"))) {
      List<String> setUser =
          new ArrayList<>(
              List.of(
                  "ACL",
                  "SETUSER",
                  "vigil-bot",
                  "on",
                  ">s3cret/pw",
                  "resetkeys",
                  "~{shop}:*",
                  "resetchannels",
                  "-@all"));
      setUser.addAll(ACL_COMMANDS);
      redis.command(setUser.toArray(new String[0]));
      // the password's '/' percent-encoded, as in any URL
      String url = "redis://vigil-bot:s3cret%2Fpw@127.0.0.1:" + redis.port() + "/0";
      Map<String, String> env =
          env(url, "VIGIL_REDIS_NAMESPACE", "shop", "ALERT_WEBHOOK_URL", webhook.url("/hook"));
      try (Monitoring a = replica("bot", env);
          Monitoring b = replica("bot", env)) {
        awaitUp(a, b);
        for (int i = 0; i < 100; i++) {
          a.trackKpi(Kpi.activeUser("user-" + i));
          b.trackKpi(Kpi.activeUser("user-" + (i + 50)));
        }
        a.trackKpi(Kpi.tokenSpend(500, "gpt-4", "input").forUser("alice"));
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(gauge(b, "active_users_distinct", "1h")).isCloseTo(150, within2()));
        a.alerts().alertQueueFailure("render", new IllegalStateException("GPU lost"), null);
        b.alerts().alertQueueFailure("render", new IllegalStateException("GPU lost"), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> suppressed(a, b) + sent(a, b) == 2);
        assertThat(webhook.requests()).hasSize(1);
        assertThat(scrape(a).sum("vigil_redis_commands_failed_total")).isZero();
        assertThat(scrape(b).sum("vigil_redis_commands_failed_total")).isZero();
        assertThat((String) redis.command("ACL", "WHOAMI")).isEqualTo("default");
        assertThat((List<?>) redis.command("ACL", "LOG", "1")).isEmpty(); // no command refused
      }
    }
  }
}
