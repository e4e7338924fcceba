package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.Monitoring;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The JDK server filter, on a real {@code HttpServer} called by a real HTTP client. */
class VigilHttpServerFilterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AtomicReference<String> requestIdSeenByHandler = new AtomicReference<>();
  private Monitoring monitoring;
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    monitoring =
        Monitoring.builder("api")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .ticker(now::get)
            .build()
            .start();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2));
    VigilHttpServerFilter filter =
        VigilHttpServerFilter.create(
            HttpInstrumentation.builder(monitoring)
                .errorHeaders("User-Agent", "Authorization")
                .echoRequestId(true)
                .build(),
            exchange ->
                exchange.getRequestURI().getPath().startsWith("/api/reports/")
                    ? "/api/reports/{name}"
                    : null);
    server.createContext("/", this::handle).getFilters().add(filter);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    monitoring.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requestIdSeenByHandler.set(MDC.get(HttpInstrumentation.REQUEST_ID_KEY));
    String path = exchange.getRequestURI().getPath();
    now.addAndGet(Duration.ofMillis(250).toNanos()); // the handler "takes" 250 ms
    if (path.equals("/boom")) {
      throw new IllegalStateException("database is down");
    }
    int status =
        path.startsWith("/api/users/") || path.startsWith("/api/reports/") || path.equals("/health")
            ? 200
            : path.equals("/api/orders") ? 201 : 404;
    byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * The JDK server flushes the response when the handler closes the exchange, before the filter
   * records the request: the client can be answered a moment before the metric exists. Wait for the
   * number of recorded requests, never for time.
   */
  private Scrape scrapeOnceRecorded(int requests) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> Scrape.of(monitoring.metricsAddress()),
            scrape -> scrape.sum("http_requests_total") >= requests);
  }

  @Test
  void getWithIdInPathIsRecordedUnderItsTemplateWithExactDuration() {
    Http.get(base + "/api/users/123");
    Http.get(base + "/api/users/550e8400-e29b-41d4-a716-446655440000");

    Scrape scrape = scrapeOnceRecorded(2);
    assertThat(
            scrape.value(
                "http_requests_total",
                "method",
                "GET",
                "route",
                "/api/users/{id}",
                "status_code",
                "200",
                "service",
                "api"))
        .isEqualTo(2.0);
    assertThat(scrape.value("http_request_duration_seconds_sum", "route", "/api/users/{id}"))
        .isEqualTo(0.5);
    assertThat(
            scrape.value(
                "http_request_duration_seconds_bucket", "route", "/api/users/{id}", "le", "0.3"))
        .isEqualTo(2.0);
    assertThat(
            scrape.value(
                "http_request_duration_seconds_bucket", "route", "/api/users/{id}", "le", "0.1"))
        .isEqualTo(0.0);
  }

  @Test
  void postIsRecordedWithItsStatus() {
    HttpResponse<String> response =
        Http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/orders"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"plan\":\"premium\"}"))
                .build());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(
            scrapeOnceRecorded(1)
                .value(
                    "http_requests_total",
                    "method",
                    "POST",
                    "route",
                    "/api/orders",
                    "status_code",
                    "201"))
        .isEqualTo(1.0);
  }

  @Test
  void routeResolverTemplateWins() {
    Http.get(base + "/api/reports/monthly-revenue");

    assertThat(scrapeOnceRecorded(1).value("http_requests_total", "route", "/api/reports/{name}"))
        .isEqualTo(1.0);
  }

  @Test
  void notFoundPathsShareOneRouteAndAreLoggedAtWarn() {
    try (LogCapture logs = LogCapture.of("dev.vigil.http")) {
      Http.get(base + "/wp-admin/setup.php", Map.of("User-Agent", "scanner/1.0"));
      Http.get(base + "/.env");

      assertThat(scrapeOnceRecorded(2).samples("http_requests_total"))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.labels())
                    .containsEntry("route", HttpInstrumentation.UNMATCHED)
                    .containsEntry("status_code", "404");
                assertThat(s.value()).isEqualTo(2.0);
              });
      ILoggingEvent first = logs.events().get(0);
      assertThat(first.getLevel()).isEqualTo(Level.WARN);
      assertThat(first.getFormattedMessage())
          .isEqualTo("GET UNMATCHED 404 250.0 ms user-agent=scanner/1.0");
      // its own service, whatever other Monitoring the JVM built last
      assertThat(first.getKeyValuePairs())
          .anySatisfy(
              p -> assertThat(p.key + "=" + p.value).isEqualTo("service=" + monitoring.service()))
          .anySatisfy(
              p ->
                  assertThat(p.key + "=" + p.value)
                      .isEqualTo("environment=" + monitoring.environment()));
    }
  }

  @Test
  void successIsLoggedAtDebugOnly() {
    try (LogCapture logs = LogCapture.of("dev.vigil.http")) {
      Http.get(base + "/api/users/7");
      await().atMost(Duration.ofSeconds(10)).until(() -> !logs.events().isEmpty());

      assertThat(logs.events())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
                assertThat(e.getFormattedMessage()).startsWith("GET /api/users/{id} 200 250.0 ms");
              });
    }
  }

  @Test
  void thrownExceptionIsRecordedAs500AndReportedWithRedactedQueryAndNamedHeadersOnly() {
    try (LogCapture errors = LogCapture.of("dev.vigil.errors")) {
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/boom?user=42&token=s3cr3t&password=hunter2"))
              .header("Authorization", "Bearer abcdefghijklmnop")
              .header("User-Agent", "curl/8")
              .header("X-Secret-Thing", "never-sent")
              .POST(HttpRequest.BodyPublishers.ofString("{\"card\":\"4111111111111111\"}"))
              .build();
      // The JDK server closes the connection when a handler throws. POST, because the client
      // retries an idempotent GET on a closed connection.
      assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);

      Scrape scrape = scrapeOnceRecorded(1);
      assertThat(
              scrape.value(
                  "http_requests_total", "method", "POST", "route", "/boom", "status_code", "500"))
          .isEqualTo(1.0);
      assertThat(
              scrape.value(
                  "errors_total", "error_type", "IllegalStateException", "severity", "error"))
          .isEqualTo(1.0);
      // handleError logs the context as a key-value pair: render the line as a pattern with %kvp
      // would
      String logged = String.join("\n", errors.render("%msg %kvp%nopex"));
      assertThat(logged)
          .contains(
              "method=POST",
              "route=/boom",
              "url=/boom",
              "query=user=42&token=[REDACTED]&password=[REDACTED]",
              "headers={User-Agent=curl/8, Authorization=[REDACTED]}")
          .doesNotContain(
              "s3cr3t", "hunter2", "4111", "abcdefghijklmnop", "never-sent", "X-Secret-Thing");
    }
  }

  @Test
  void ignoredPathsAreNotMeasured() {
    Http.get(base + "/health");
    Http.get(base + "/metrics");
    Http.get(base + "/api/users/9"); // measured: once it is recorded, the ignored ones would be too

    assertThat(scrapeOnceRecorded(1).samples("http_requests_total"))
        .extracting(sample -> sample.labels().get("route"))
        .containsExactly("/api/users/{id}");
  }

  @Test
  void incomingRequestIdIsInTheLogContextAndEchoed() {
    HttpResponse<String> response =
        Http.get(base + "/api/users/1", Map.of("X-Request-Id", "req-abc.123"));

    assertThat(requestIdSeenByHandler.get()).isEqualTo("req-abc.123");
    assertThat(response.headers().firstValue("X-Request-Id")).contains("req-abc.123");
  }

  @Test
  void missingOrUnsafeRequestIdIsReplacedByANewOne() {
    HttpResponse<String> absent = Http.get(base + "/api/users/1");
    String generated = requestIdSeenByHandler.get();
    HttpResponse<String> unsafe =
        Http.get(base + "/api/users/1", Map.of("X-Request-Id", "x\" injected=\"1"));

    assertThat(generated).matches("[0-9a-f]{16}");
    assertThat(absent.headers().firstValue("X-Request-Id")).contains(generated);
    assertThat(requestIdSeenByHandler.get()).matches("[0-9a-f]{16}").isNotEqualTo(generated);
    assertThat(unsafe.headers().firstValue("X-Request-Id")).contains(requestIdSeenByHandler.get());
    assertThat(MDC.get(HttpInstrumentation.REQUEST_ID_KEY)).isNull();
  }

  @Test
  void nonStandardMethodsShareOneLabel() {
    Http.send(
        HttpRequest.newBuilder(URI.create(base + "/api/users/1"))
            .method("PROPFIND", HttpRequest.BodyPublishers.noBody())
            .build());

    assertThat(scrapeOnceRecorded(1).samples("http_requests_total"))
        .extracting(s -> s.labels().get("method"))
        .isEqualTo(List.of("OTHER"));
  }
}
