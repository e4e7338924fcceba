package dev.vigil.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Monitoring;
import dev.vigil.spring.boot.testapp.ShopApplication;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * The default a new user gets: {@code spring-boot-starter-web} and Vigil's starter, no Actuator and
 * no Micrometer. Vigil serves everything on its own port, JVM metrics included. The module's pom
 * runs this class in a surefire execution of its own, whose class path has no Actuator and no
 * Micrometer core.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringBootWithoutActuatorTest {
  private ConfigurableApplicationContext context;

  @BeforeAll
  void start() {
    assertThat(ClassUtils.isPresent("org.springframework.boot.actuate.endpoint.Access", null))
        .as("Actuator on the class path: run this test through its own surefire execution")
        .isFalse();
    assertThat(ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", null)).isFalse();
    context =
        new SpringApplicationBuilder(ShopApplication.class)
            .properties("server.port=0", "server.address=127.0.0.1", "vigil.service=plain")
            .run();
  }

  @AfterAll
  void stop() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void vigilServesRequestsAndJvmMetricsOnItsOwnPort() {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    Monitoring monitoring = context.getBean(Monitoring.class);

    assertThat(Http.get("http://127.0.0.1:" + port + "/api/users/7").statusCode()).isEqualTo(200);

    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    assertThat(scrape.value("http_requests_total", "route", "/api/users/{userId}")).isEqualTo(1.0);
    assertThat(scrape.samples("jvm_memory_used_bytes"))
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.labels()).containsEntry("service", "plain"));
    assertThat(Http.get("http://127.0.0.1:" + port + "/actuator/prometheus").statusCode())
        .isEqualTo(404);
  }
}
