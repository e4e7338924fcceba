package dev.vigil.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.vigil.Monitoring;
import dev.vigil.http.HttpInstrumentation;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The servlet filter in a real Jetty 12, called over HTTP, checked through a real scrape. */
class VigilServletFilterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private Monitoring monitoring;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    monitoring =
        Monitoring.builder("api")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .ticker(now::get)
            .build()
            .start();
    server =
        new TestServer(
            VigilServletFilter.create(
                HttpInstrumentation.builder(monitoring)
                    .errorHeaders("User-Agent")
                    .echoRequestId(true)
                    .build()),
            now::addAndGet);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    monitoring.close();
  }

  private Scrape scrape() {
    return Scrape.of(monitoring.metricsAddress());
  }

  @Test
  void getAndPostOnAnExactServletMappingUseTheMappingAsRoute() {
    Http.get(server.url("/hello"));
    HttpResponse<String> post =
        Http.send(
            HttpRequest.newBuilder(URI.create(server.url("/hello")))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());

    assertThat(post.statusCode()).isEqualTo(201);
    Scrape scrape = scrape();
    assertThat(
            scrape.value(
                "http_requests_total",
                "service",
                "api",
                "method",
                "GET",
                "route",
                "/hello",
                "status_code",
                "200"))
        .isEqualTo(1.0);
    assertThat(
            scrape.value(
                "http_requests_total", "method", "POST", "route", "/hello", "status_code", "201"))
        .isEqualTo(1.0);
    assertThat(
            scrape.value("http_request_duration_seconds_sum", "method", "GET", "route", "/hello"))
        .isEqualTo(0.02);
    assertThat(
            scrape.value("http_request_duration_seconds_sum", "method", "POST", "route", "/hello"))
        .isEqualTo(0.04);
    assertThat(scrape.value("http_request_duration_seconds_bucket", "method", "POST", "le", "0.05"))
        .isEqualTo(1.0);
    assertThat(scrape.value("http_request_duration_seconds_bucket", "method", "POST", "le", "0.01"))
        .isEqualTo(0.0);
  }

  @Test
  void idsInPathsUnderAPathMappingBecomeTemplatesWithoutTheContextPath() {
    Http.get(server.url("/api/users/123"));
    Http.get(server.url("/api/users/550e8400-e29b-41d4-a716-446655440000"));
    Http.get(server.url("/api/orders/77/items/3"));

    Scrape scrape = scrape();
    assertThat(scrape.value("http_requests_total", "route", "/api/users/{id}")).isEqualTo(2.0);
    assertThat(scrape.value("http_requests_total", "route", "/api/orders/{id}/items/{id}"))
        .isEqualTo(1.0);
  }

  @Test
  void routeSetByTheApplicationWins() {
    Http.get(server.url("/api/reports/monthly"));

    assertThat(scrape().value("http_requests_total", "route", "/api/reports/{name}"))
        .isEqualTo(1.0);
  }

  @Test
  void unmappedPathsAndNotFoundWithoutTemplateShareOneRoute() {
    try (LogCapture logs = LogCapture.of("dev.vigil.http")) {
      assertThat(
              Http.get(server.url("/wp-login.php"), Map.of("User-Agent", "scanner")).statusCode())
          .isEqualTo(404);
      assertThat(Http.get(server.url("/api/missing/42")).statusCode()).isEqualTo(404);

      assertThat(scrape().samples("http_requests_total"))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.labels())
                    .containsEntry("route", "UNMATCHED")
                    .containsEntry("status_code", "404");
                assertThat(s.value()).isEqualTo(2.0);
              });
      assertThat(logs.events())
          .hasSize(2)
          .allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
      assertThat(logs.events().get(0).getFormattedMessage())
          .isEqualTo("GET UNMATCHED 404 0.0 ms user-agent=scanner");
    }
  }

  @Test
  void thrownExceptionIsRecordedAs500ReportedUnwrappedAndRethrown() {
    try (LogCapture errors = LogCapture.of("dev.vigil.errors")) {
      HttpResponse<String> response =
          Http.send(
              HttpRequest.newBuilder(URI.create(server.url("/boom?order=9&api_key=k-123456")))
                  .header("User-Agent", "shop-app/2.1")
                  .header("Cookie", "session=abcdef")
                  .header("X-Request-Id", "req-42")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"hunter2\"}"))
                  .build());

      assertThat(response.statusCode()).isEqualTo(500); // the container's error page still runs
      Scrape scrape = scrape();
      assertThat(
              scrape.value(
                  "http_requests_total", "method", "POST", "route", "/boom", "status_code", "500"))
          .isEqualTo(1.0);
      assertThat(scrape.value("http_request_duration_seconds_sum", "route", "/boom"))
          .isEqualTo(0.1);
      assertThat(
              scrape.value(
                  "errors_total", "error_type", "IllegalStateException", "severity", "error"))
          .isEqualTo(1.0);
      assertThat(errors.events())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getFormattedMessage())
                    .isEqualTo("Error IllegalStateException: payment gateway down");
                assertThat(e.getKeyValuePairs())
                    .filteredOn(pair -> pair.key.equals("context"))
                    .singleElement()
                    .satisfies(
                        pair ->
                            assertThat(pair.value)
                                .hasToString(
                                    "{method=POST,"
                                        + " route=/boom, url=/shop/boom, query=order=9&api_key=[REDACTED],"
                                        + " requestId=req-42, headers={User-Agent=shop-app/2.1}}"));
                assertThat(e.getMDCPropertyMap()).containsEntry("requestId", "req-42");
              });
    }
    assertThat(server.requestIdSeen).isEqualTo("req-42");
  }

  @Test
  void asyncRequestIsMeasuredWhenItCompletesWithItsFinalStatus() {
    HttpResponse<String> response = Http.get(server.url("/async/ok"));

    assertThat(response.statusCode()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        scrape()
                            .value(
                                "http_requests_total",
                                "method",
                                "GET",
                                "route",
                                "/async/ok",
                                "status_code",
                                "202"))
                    .isEqualTo(1.0));
    assertThat(scrape().value("http_request_duration_seconds_sum", "route", "/async/ok"))
        .isEqualTo(1.5);
    assertThat(
            scrape()
                .value("http_request_duration_seconds_bucket", "route", "/async/ok", "le", "1.0"))
        .isEqualTo(0.0);
  }

  @Test
  void exceptionInAnAsyncRedispatchIsRecordedAs500AndReportedOnce() {
    HttpResponse<String> response =
        Http.get(server.url("/async/fail"), Map.of("X-Request-Id", "async-1"));

    assertThat(response.statusCode()).isEqualTo(500);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        scrape()
                            .value(
                                "http_requests_total",
                                "route",
                                "/async/fail",
                                "status_code",
                                "500"))
                    .isEqualTo(1.0));
    assertThat(
            scrape()
                .value(
                    "errors_total", "error_type", "IllegalArgumentException", "severity", "error"))
        .isEqualTo(1.0);
    assertThat(server.requestIdSeen).isEqualTo("async-1");
  }

  @Test
  void ignoredPathsRelativeToTheContextAreNotMeasured() {
    assertThat(Http.get(server.url("/health")).statusCode()).isEqualTo(200);

    assertThat(scrape().samples("http_requests_total")).isEmpty();
  }

  @Test
  void requestIdIsNotEchoedUnlessAskedFor() throws Exception {
    TestServer plain = new TestServer(VigilServletFilter.create(monitoring), now::addAndGet);
    try {
      HttpResponse<String> response =
          Http.get(plain.url("/hello"), Map.of("X-Request-Id", "abc-123"));
      assertThat(plain.requestIdSeen).isEqualTo("abc-123");
      assertThat(response.headers().firstValue("X-Request-Id")).isEmpty();
    } finally {
      plain.close();
    }
  }

  @Test
  void requestIdIsInTheLogContextDuringTheRequestAndEchoed() {
    HttpResponse<String> given = Http.get(server.url("/hello"), Map.of("X-Request-Id", "abc-123"));
    assertThat(server.requestIdSeen).isEqualTo("abc-123");
    assertThat(given.headers().firstValue("X-Request-Id")).contains("abc-123");

    HttpResponse<String> generated = Http.get(server.url("/hello"));
    assertThat(server.requestIdSeen).matches("[0-9a-f]{16}");
    assertThat(generated.headers().firstValue("X-Request-Id")).contains(server.requestIdSeen);
  }

  @Test
  void durationHistogramHasTheSeedBuckets() {
    Http.get(server.url("/hello"));

    assertThat(scrape().matching("http_request_duration_seconds_bucket", "route", "/hello"))
        .extracting(s -> s.labels().get("le"))
        .isEqualTo(List.of("0.01", "0.05", "0.1", "0.3", "0.5", "1.0", "2.0", "5.0", "+Inf"));
  }
}
