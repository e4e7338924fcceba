package dev.vigil.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.Monitoring;
import dev.vigil.http.HttpInstrumentation;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import jakarta.servlet.ServletContext;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.catalina.Context;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the servlet filter does beyond the HTTP-adapter contract ({@link JettyContractTest} and the
 * others): the routes of prefix and extension mappings, a route the application names, wrapped
 * exceptions, the container's error page, an exception after the response is committed, and {@link
 * VigilServletFilter#addTo}. On a real Jetty 12, checked through a real scrape.
 */
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
    server = new TestServer(VigilServletFilter.create(monitoring), now::addAndGet);
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
  void prefixMappingIsItsLiteralPartAndTheRestWithIdsReplacedWithoutTheContextPath() {
    Http.get(server.url("/api/users/123"));
    Http.get(server.url("/api/users/550e8400-e29b-41d4-a716-446655440000"));
    Http.get(server.url("/api/orders/77/items/3"));
    Http.get(server.url("/2024/orders/7"));

    Scrape scrape = scrape();
    assertThat(scrape.value("http_requests_total", "route", "/api/users/{id}")).isEqualTo(2.0);
    assertThat(scrape.value("http_requests_total", "route", "/api/orders/{id}/items/{id}"))
        .isEqualTo(1.0);
    assertThat(scrape.value("http_requests_total", "route", "/2024/orders/{id}")).isEqualTo(1.0);
  }

  @Test
  void notFoundUnderAPrefixMappingIsTheMappingAndTheBareMappingIsItsLiteralPart() {
    assertThat(Http.get(server.url("/api/missing/42")).statusCode()).isEqualTo(404);
    assertThat(Http.get(server.url("/api/missing/.env")).statusCode()).isEqualTo(404);
    assertThat(Http.get(server.url("/api")).statusCode()).isEqualTo(404);

    Scrape scrape = scrape();
    assertThat(scrape.value("http_requests_total", "route", "/api/*", "status_code", "404"))
        .isEqualTo(2.0);
    assertThat(scrape.value("http_requests_total", "route", "/api", "status_code", "404"))
        .isEqualTo(1.0);
  }

  @Test
  void extensionMappingIsItsPattern() {
    Http.get(server.url("/reports/2024-01.csv"));
    Http.get(server.url("/exports/daily/users.csv"));

    assertThat(scrape().samples("http_requests_total"))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.labels()).containsEntry("route", "*.csv");
              assertThat(s.value()).isEqualTo(2.0);
            });
  }

  @Test
  void routeSetByTheApplicationWins() {
    Http.get(server.url("/api/reports/monthly"));

    assertThat(scrape().value("http_requests_total", "route", "/api/reports/{name}"))
        .isEqualTo(1.0);
  }

  @Test
  void wrappedExceptionIsReportedUnwrappedOnceAndTheContainersErrorPageAnswers() {
    try (LogCapture errors = LogCapture.of("dev.vigil.errors");
        LogCapture everything = LogCapture.everything()) {
      HttpResponse<String> response = Http.get(server.url("/boom/wrapped"));

      assertThat(response.statusCode()).isEqualTo(500);
      // Jetty's error dispatch takes the exception from its own state, not the request attribute
      // the filter sets (Tomcat's and Spring Boot's error pages find it there).
      assertThat(response.body()).isEqualTo("error page: 500 no exception");
      assertThat(errors.events())
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getFormattedMessage())
                      .isEqualTo("Error IllegalStateException: payment gateway down"));
      assertThat(everything.events()).filteredOn(e -> e.getThrowableProxy() != null).hasSize(1);
    }
    Scrape scrape = scrape();
    assertThat(scrape.value("http_requests_total", "route", "/boom/wrapped", "status_code", "500"))
        .isEqualTo(1.0);
    assertThat(
            scrape.value(
                "errors_total", "error_type", "IllegalStateException", "severity", "error"))
        .isEqualTo(1.0);
  }

  @Test
  void exceptionAfterTheResponseIsCommittedIsRecordedReportedAndRethrownToTheContainer() {
    try (LogCapture errors = LogCapture.of("dev.vigil.errors")) {
      Http.status(server.url("/boom/late"));

      assertThat(errors.events())
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getFormattedMessage())
                      .isEqualTo(
                          "Error IllegalStateException: failed after the response was committed"));
    }
    assertThat(scrape().value("http_requests_total", "route", "/boom/late", "status_code", "500"))
        .isEqualTo(1.0);
  }

  @Test
  void requestIdIsNotEchoedUnlessAskedFor() {
    HttpResponse<String> response = Http.get(server.url("/hello"), Map.of("X-Request-Id", "abc-1"));

    assertThat(server.requestIdSeen).isEqualTo("abc-1");
    assertThat(response.headers().firstValue("X-Request-Id")).isEmpty();
  }

  @Test
  void durationHistogramHasTheSeedBuckets() {
    Http.get(server.url("/hello"));

    assertThat(scrape().matching("http_request_duration_seconds_bucket", "route", "/hello"))
        .extracting(s -> s.labels().get("le"))
        .isEqualTo(List.of("0.01", "0.05", "0.1", "0.3", "0.5", "1.0", "2.0", "5.0", "+Inf"));
  }

  @Test
  void addToOnTomcatLeavesAnExistingDefaultServletAloneAndRefusesASecondFilter() throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("vigil-tomcat").toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(context, "default", new DefaultServlet());
    context.addServletMappingDecoded("/", "default");
    AtomicReference<Throwable> second = new AtomicReference<>();
    context.addServletContainerInitializer(
        (classes, servletContext) -> {
          VigilServletFilter.create(monitoring).addTo(servletContext);
          try {
            VigilServletFilter.create(monitoring).addTo(servletContext);
          } catch (IllegalStateException e) {
            second.set(e);
          }
        },
        null);
    tomcat.start();
    try {
      ServletContext servletContext = context.getServletContext();
      assertThat(servletContext.getServletRegistrations()).containsOnlyKeys("default");
      assertThat(
              servletContext
                  .getFilterRegistration(VigilServletFilter.FILTER_NAME)
                  .getUrlPatternMappings())
          .containsExactly("/*");
      assertThat(second.get())
          .hasMessage(
              "A filter named 'vigil' is already registered in this servlet context; register"
                  + " VigilServletFilter once");
      assertThat(
              Http.get("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/nothing")
                  .statusCode())
          .isEqualTo(404);
      assertThat(scrape().value("http_requests_total", "route", HttpInstrumentation.UNMATCHED))
          .isEqualTo(1.0);
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @Test
  void filterWithoutMonitoringIsUsableOnlyAfterInit() {
    assertThatThrownBy(() -> new VigilServletFilter().instrumentation())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("VigilServletFilter is not initialised yet");
  }
}
