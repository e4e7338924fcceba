package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * What the JDK server filter does beyond the HTTP-adapter contract ({@link JdkServerContractTest}):
 * a route resolver, contexts as prefix mappings, the 500 it answers for a handler that threw, named
 * error headers, and the method label. On a real {@code HttpServer} called by a real HTTP client.
 */
class VigilHttpServerFilterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private Monitoring monitoring;
  private HttpServer server;
  private ExecutorService executor;
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
    executor = Executors.newFixedThreadPool(2);
    server.setExecutor(executor);
    VigilHttpServerFilter filter =
        VigilHttpServerFilter.create(
            HttpInstrumentation.builder(monitoring)
                .errorHeaders("User-Agent", "Authorization")
                .build(),
            exchange ->
                exchange.getRequestURI().getPath().startsWith("/api/reports/")
                    ? "/api/reports/{name}"
                    : null);
    server.createContext("/api/", this::handle).getFilters().add(filter);
    server.createContext("/exact", this::handle).getFilters().add(filter);
    server.createContext("/", VigilHttpServerFilter.notFound()).getFilters().add(filter);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
    monitoring.close();
  }

  /** 404 for {@code .../missing...} and the bare {@code /exact}, a throw for {@code /api/boom}. */
  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    now.addAndGet(Duration.ofMillis(250).toNanos());
    if (path.equals("/api/boom")) {
      throw new IllegalStateException("database is down");
    }
    int status = path.contains("missing") || path.equals("/exact") ? 404 : 200;
    byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The JDK server answers before the filter records: wait for the count, never for time. */
  private Scrape scrapeOnceRecorded(int requests) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> Scrape.of(monitoring.metricsAddress()),
            scrape -> scrape.sum("http_requests_total") >= requests);
  }

  @Test
  void routeResolverTemplateWins() {
    Http.get(base + "/api/reports/monthly-revenue");

    assertThat(scrapeOnceRecorded(1).value("http_requests_total", "route", "/api/reports/{name}"))
        .isEqualTo(1.0);
  }

  @Test
  void contextIsAPrefixMappingItsNotFoundIsItsPatternAndAnExactContextKeepsItsPath() {
    Http.get(base + "/api/users/123");
    Http.get(base + "/api/missing/.git/config");
    Http.get(base + "/exact");

    Scrape scrape = scrapeOnceRecorded(3);
    assertThat(
            scrape.value("http_requests_total", "route", "/api/users/{id}", "status_code", "200"))
        .isEqualTo(1.0);
    assertThat(scrape.value("http_requests_total", "route", "/api/*", "status_code", "404"))
        .isEqualTo(1.0);
    assertThat(scrape.value("http_requests_total", "route", "/exact", "status_code", "404"))
        .isEqualTo(1.0);
  }

  @Test
  void handlerThatThrowsBeforeAnsweringGets500AndIsReportedWithRedactedQueryAndNamedHeadersOnly() {
    try (LogCapture errors = LogCapture.of("dev.vigil.errors")) {
      HttpResponse<String> response =
          Http.send(
              HttpRequest.newBuilder(
                      URI.create(base + "/api/boom?user=42&token=s3cr3t&password=hunter2"))
                  .header("Authorization", "Bearer abcdefghijklmnop")
                  .header("User-Agent", "curl/8")
                  .header("X-Secret-Thing", "never-sent")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"card\":\"4111111111111111\"}"))
                  .build());

      assertThat(response.statusCode()).isEqualTo(500);
      Scrape scrape = scrapeOnceRecorded(1);
      assertThat(scrape.value("http_requests_total", "route", "/api/boom", "status_code", "500"))
          .isEqualTo(1.0);
      await().atMost(Duration.ofSeconds(10)).until(() -> !errors.events().isEmpty());
      String logged = String.join("\n", errors.render("%msg %kvp%nopex"));
      assertThat(logged)
          .contains(
              "method=POST",
              "route=/api/boom",
              "url=/api/boom",
              "query=user=42&token=[REDACTED]&password=[REDACTED]",
              "headers={User-Agent=curl/8, Authorization=[REDACTED]}")
          .doesNotContain(
              "s3cr3t", "hunter2", "4111", "abcdefghijklmnop", "never-sent", "X-Secret-Thing");
    }
  }

  @Test
  void requestIdLeavesTheLogContextOfTheServerThreadClean() {
    Http.get(base + "/api/users/1");

    scrapeOnceRecorded(1);
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
