package dev.vigil.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Monitoring;
import dev.vigil.spring.boot.testapp.ShopApplication;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A real Spring Boot application on a random port, called by a real HTTP client, with metrics on
 * Vigil's own port (the default) and Actuator with Micrometer's Prometheus endpoint beside them, as
 * a team that already has Actuator and its dashboards adds Vigil: Micrometer's meters stay as they
 * were, and no metric name is served on both endpoints.
 */
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootServerModeTest {
  @LocalServerPort int port;
  @Autowired Monitoring monitoring;

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private Scrape scrape() {
    return Scrape.of(monitoring.metricsAddress());
  }

  private double count(String method, String route, String status) {
    return scrape()
        .matching("http_requests_total", "method", method, "route", route, "status_code", status)
        .stream()
        .mapToDouble(Scrape.Sample::value)
        .sum();
  }

  /** Tomcat can answer the client before the filter records: wait for the count, not for time. */
  private void awaitCount(String method, String route, String status, double expected) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(count(method, route, status)).isEqualTo(expected));
  }

  @Test
  void monitoringIsConfiguredFromPropertiesAndServesOnItsOwnPort() {
    assertThat(monitoring.service()).isEqualTo("shop");
    assertThat(monitoring.metricsAddress()).isNotNull();
    assertThat(monitoring.metricsAddress().getPort()).isNotEqualTo(port);
    assertThat(
            Http.get("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/health")
                .body())
        .contains("\"service\":\"shop\"");
  }

  @Test
  void theKpiPageIsServedOnVigilsPortNotTheApplications() {
    String vigil = "http://127.0.0.1:" + monitoring.metricsAddress().getPort();
    assertThat(Http.get(vigil + "/").headers().firstValue("Content-Type"))
        .hasValue("text/html; charset=utf-8");
    assertThat(Http.get(vigil + "/kpi/history").body()).startsWith("{\"service\":\"shop\"");
    assertThat(Http.get(url("/kpi/history")).statusCode()).isEqualTo(404);
  }

  @Test
  void pathVariablesBecomeTheMvcTemplate() {
    double before = count("GET", "/api/users/{userId}", "200");

    Http.get(url("/api/users/42"));
    Http.get(url("/api/users/550e8400-e29b-41d4-a716-446655440000"));

    awaitCount("GET", "/api/users/{userId}", "200", before + 2);
  }

  @Test
  void postIsRecordedWithStatusAndExactDuration() {
    double before = count("POST", "/api/orders", "201");
    double sumBefore =
        scrape().matching("http_request_duration_seconds_sum", "route", "/api/orders").stream()
            .mapToDouble(Scrape.Sample::value)
            .sum();

    HttpResponse<String> response =
        Http.send(
            HttpRequest.newBuilder(URI.create(url("/api/orders")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"plan\":\"premium\"}"))
                .build());

    assertThat(response.statusCode()).isEqualTo(201);
    awaitCount("POST", "/api/orders", "201", before + 1);
    assertThat(scrape().value("http_request_duration_seconds_sum", "route", "/api/orders"))
        .isCloseTo(sumBefore + 0.08, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void notFoundFromAMatchedHandlerKeepsItsTemplateButUnmatchedPathsShareOneRoute() {
    double matched = count("GET", "/api/users/{userId}", "404");
    double unmatched = count("GET", "UNMATCHED", "404");

    assertThat(Http.get(url("/api/users/0")).statusCode()).isEqualTo(404);
    assertThat(Http.get(url("/wp-admin/install.php")).statusCode()).isEqualTo(404);
    assertThat(Http.get(url("/api/nothing/here/123")).statusCode()).isEqualTo(404);

    awaitCount("GET", "/api/users/{userId}", "404", matched + 1);
    awaitCount("GET", "UNMATCHED", "404", unmatched + 2);
    assertThat(scrape().matching("http_requests_total", "route", "/**")).isEmpty();
  }

  @Test
  void unhandledExceptionIsRecordedAs500AndReportedThroughHandleError() {
    double before = count("GET", "/api/boom", "500");
    try (LogCapture errors = LogCapture.of("dev.vigil.errors")) {
      HttpResponse<String> response =
          Http.get(
              url("/api/boom?user=7&access_token=abcdef123456"), Map.of("X-Request-Id", "boom-1"));

      assertThat(response.statusCode()).isEqualTo(500);
      awaitCount("GET", "/api/boom", "500", before + 1);
      assertThat(
              scrape()
                  .value(
                      "errors_total", "error_type", "IllegalStateException", "severity", "error"))
          .isGreaterThanOrEqualTo(1.0);
      assertThat(errors.events())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getFormattedMessage())
                    .isEqualTo("Error IllegalStateException: payment provider down");
                assertThat(e.getKeyValuePairs())
                    .filteredOn(pair -> pair.key.equals("context"))
                    .singleElement()
                    .satisfies(
                        pair ->
                            assertThat(pair.value)
                                .hasToString(
                                    "{method=GET,"
                                        + " route=/api/boom, url=/api/boom, query=user=7&access_token=[REDACTED],"
                                        + " requestId=boom-1}"));
              });
    }
  }

  @Test
  void asyncEndpointIsMeasuredWhenItCompletes() {
    double before = count("GET", "/api/reports/{name}", "200");

    HttpResponse<String> response =
        Http.get(url("/api/reports/monthly"), Map.of("X-Request-Id", "async-7"));

    assertThat(response.body()).isEqualTo("report monthly");
    assertThat(response.headers().firstValue("X-Request-Id")).isEmpty(); // echo is opt-in
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(count("GET", "/api/reports/{name}", "200")).isEqualTo(before + 1));
    assertThat(
            scrape()
                .value(
                    "http_request_duration_seconds_bucket",
                    "route",
                    "/api/reports/{name}",
                    "le",
                    "2.0"))
        .isEqualTo(before + 1);
    assertThat(
            scrape()
                .value(
                    "http_request_duration_seconds_bucket",
                    "route",
                    "/api/reports/{name}",
                    "le",
                    "1.0"))
        .isEqualTo(0.0);
  }

  @Test
  void ignoredPathsAndActuatorAreNotMeasured() {
    assertThat(Http.get(url("/health")).body()).isEqualTo("ok");
    assertThat(Http.get(url("/actuator/prometheus")).statusCode()).isEqualTo(200);

    assertThat(scrape().matching("http_requests_total", "route", "/health")).isEmpty();
    assertThat(scrape().samples("http_requests_total"))
        .noneMatch(s -> s.labels().get("route").startsWith("/actuator"));
  }

  @Test
  void exceptionHandledByAnExceptionHandlerKeepsItsRouteAndStatusAndIsNotReported() {
    double before = count("GET", "/api/stock/{sku}", "409");
    try (LogCapture errors = LogCapture.of("dev.vigil.errors")) {
      assertThat(Http.get(url("/api/stock/A-17")).statusCode()).isEqualTo(409);

      assertThat(errors.events()).isEmpty();
    }
    awaitCount("GET", "/api/stock/{sku}", "409", before + 1);
  }

  @Test
  void aControllerThatInjectsMonitoringTracksItsKpis() {
    double before =
        scrape().matching("payment_conversions_total", "plan", "team").stream()
            .mapToDouble(Scrape.Sample::value)
            .sum();

    Http.send(
        HttpRequest.newBuilder(URI.create(url("/api/orders")))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"plan\":\"team\"}"))
            .build());

    assertThat(
            scrape().value("payment_conversions_total", "payment_method", "card", "plan", "team"))
        .isEqualTo(before + 1);
  }

  @Test
  void micrometersHttpServerRequestsStayAsTheApplicationHadThem() {
    Http.get(url("/api/users/1"));

    Scrape actuator = Scrape.of(URI.create(url("/actuator/prometheus")), null);
    assertThat(actuator.samples("http_server_requests_seconds_count"))
        .anySatisfy(s -> assertThat(s.labels()).containsEntry("uri", "/api/users/{userId}"));
  }

  @Test
  void jvmMetricsAreServedOnceByMicrometerNotAlsoByVigilWithOtherLabels() {
    Scrape actuator = Scrape.of(URI.create(url("/actuator/prometheus")), null);

    assertThat(actuator.samples("jvm_memory_used_bytes")).isNotEmpty();
    assertThat(scrape().families().keySet())
        .noneMatch(name -> name.startsWith("jvm_") || name.startsWith("process_"))
        .contains("http_requests_total");
  }
}
