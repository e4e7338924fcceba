package dev.vigil.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.spring.boot.testapp.ShopApplication;
import dev.vigil.testkit.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * {@code vigil.enabled=false}: the application, whose controller injects {@link Monitoring}, starts
 * and serves as before; the bean accepts every call and records, serves and sends nothing.
 */
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "vigil.enabled=false")
class SpringBootDisabledTest {
  @LocalServerPort int port;
  @Autowired Monitoring monitoring;
  @Autowired ApplicationContext context;

  @Test
  void applicationStartsWithADisabledMonitoringThatDoesNothing() {
    assertThat(
            Http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orders"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"plan\":\"team\"}"))
                        .build())
                .statusCode())
        .isEqualTo(201);
    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
    monitoring.trackKpi("token_spend", java.util.Map.of("tokens", 5));

    assertThat(monitoring.metricsAddress()).isNull();
    assertThat(monitoring.registry().scrape().stream())
        .filteredOn(f -> !f.getDataPoints().isEmpty())
        .extracting(f -> f.getMetadata().getName())
        .containsExactly("vigil_label_sets"); // Vigil's own gauge of the (empty) families
    assertThat(context.containsBean("vigilFilter")).isFalse();
    assertThat(Http.get("http://127.0.0.1:" + port + "/actuator/prometheus").body())
        .doesNotContain("token_spend_total", "http_requests_total");
  }
}
