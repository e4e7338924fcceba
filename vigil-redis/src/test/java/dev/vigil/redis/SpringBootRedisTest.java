package dev.vigil.redis;

import static dev.vigil.redis.RedisFixture.gauge;
import static dev.vigil.redis.SharedFiguresTest.awaitUp;
import static dev.vigil.redis.SharedFiguresTest.within2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.testkit.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * In Spring Boot, vigil-redis is configured from {@code vigil.redis.*} properties (the starter maps
 * them to the {@code VIGIL_REDIS_*} settings, kebab-case or camelCase): two applications, each the
 * starter's Monitoring bean, share their figures through a real redis-server, in the namespace the
 * properties name; a malformed URL fails start-up naming the property.
 */
class SpringBootRedisTest {
  @TempDir Path dir;

  @SpringBootApplication
  static class App {}

  private static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties("spring.application.name=bot", "vigil.metrics.host=127.0.0.1")
        .properties("vigil.metrics.port=0", "vigil.metrics.jvm=false")
        .properties(properties)
        .run();
  }

  @Test
  void vigilRedisProperties_reachTheModule_andTwoApplicationsShareTheirFigures() {
    try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
      String[] properties = {
        "vigil.redis.url=" + redis.url(),
        "vigil.redis.namespace=shop",
        "vigil.redis.flush-interval=100ms",
        "vigil.redis.refreshInterval=100ms",
        "vigil.redis.timeout=2s"
      };
      try (ConfigurableApplicationContext first = start(properties);
          ConfigurableApplicationContext second = start(properties)) {
        Monitoring a = first.getBean(Monitoring.class);
        Monitoring b = second.getBean(Monitoring.class);
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
        @SuppressWarnings("unchecked")
        List<Object> keys = (List<Object>) redis.command("KEYS", "*");
        assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat((String) k).startsWith("{shop}:"));
      }
    }
  }

  @Test
  void aMalformedUrlProperty_failsStartUpNamingTheProperty() {
    Throwable failure = catchThrowable(() -> start("vigil.redis.url=http://:hunter2@redis:6379/0"));
    Throwable named = failure;
    while (named != null && !(named instanceof IllegalArgumentException)) {
      named = named.getCause();
    }
    assertThat(named)
        .isNotNull()
        .hasMessageStartingWith(
            "vigil.redis.url (VIGIL_REDIS_URL) must start with redis://, rediss://,"
                + " redis+cluster:// or rediss+cluster://")
        .hasMessageNotContaining("hunter2");
  }
}
