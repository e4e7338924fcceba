package dev.vigil.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.spring.boot.testapp.ShopApplication;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.Promtool;
import dev.vigil.testkit.Scrape;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code vigil.metrics.export=actuator}: Vigil's metrics in Actuator's /actuator/prometheus. */
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "vigil.metrics.export=actuator")
class SpringBootActuatorModeTest {
  @LocalServerPort int port;
  @Autowired Monitoring monitoring;

  private Scrape scrape() {
    return Scrape.of(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"), null);
  }

  @Test
  void vigilDoesNotOpenItsOwnPort() {
    assertThat(monitoring.metricsAddress()).isNull();
  }

  @Test
  void vigilMetricsAreServedByActuatorBesideMicrometersWithoutCollisions() {
    Http.get("http://127.0.0.1:" + port + "/api/users/8");
    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));

    Scrape scrape = scrape();
    assertThat(
            scrape.value(
                "http_requests_total",
                "service",
                "shop",
                "method",
                "GET",
                "route",
                "/api/users/{userId}",
                "status_code",
                "200"))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(scrape.value("token_spend_total", "model", "gpt-4", "type", "completion"))
        .isEqualTo(1500.0);
    assertThat(scrape.family("jvm_memory_used_bytes")).as("Micrometer's JVM metrics").isNotNull();
    assertThat(scrape.families())
        .as("Micrometer's HTTP meters stay, beside Vigil's")
        .containsKeys("http_server_requests_seconds", "http_requests_total");
    assertThat(scrape.samples("jvm_memory_used_bytes"))
        .allSatisfy(
            s ->
                assertThat(s.labels())
                    .doesNotContainKey("service")); // Micrometer's, not client_java's
  }

  @Test
  void textExpositionPassesPromtool() {
    Http.get("http://127.0.0.1:" + port + "/api/users/9");

    String text = Http.get("http://127.0.0.1:" + port + "/actuator/prometheus").body();
    Promtool.Result result = Promtool.checkMetrics(text);
    assertThat(text).contains("http_requests_total{");
    assertThat(result.output()).doesNotContain("error");
  }
}
