package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.internal.Internals;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.Scrape;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} and {@code /health}: serving, authorisation, lifecycle and start-up errors. */
class EndpointTest {

  private static Monitoring.Builder local(String service) {
    return Monitoring.builder(service).metricsHost("127.0.0.1").metricsPort(0).jvmMetrics(false);
  }

  @Test
  void healthAnswersStatusAndService() {
    try (Monitoring monitoring = local("bot").environment("staging").build().start()) {
      var response = Http.get(url(monitoring, "/health"));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(response.body())
          .isEqualTo("{\"status\":\"ok\",\"service\":\"bot\",\"environment\":\"staging\"}");
    }
  }

  @Test
  void unknownPathsAnswer404() {
    try (Monitoring monitoring = local("bot").build().start()) {
      assertThat(Http.get(url(monitoring, "/nothing-here")).statusCode()).isEqualTo(404);
      assertThat(Http.get(url(monitoring, "/metricsx")).statusCode()).isEqualTo(404);
      assertThat(Http.get(url(monitoring, "/health/deep")).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void theNotFoundPageListsEveryEndpointServedIncludingAnExtensionsOwn() {
    dev.vigil.spi.Extension status =
        context ->
            context.addEndpoint("/status", exchange -> exchange.sendResponseHeaders(204, -1));
    String expected =
        "Not found. This port serves / (the KPI page), /metrics, /health, /kpi, /kpi/history,"
            + " /status.\n";
    try (Monitoring monitoring =
        local("bot").discoverExtensions(false).extension(status).build().start()) {
      assertThat(Http.get(url(monitoring, "/nothing-here")).body()).isEqualTo(expected);
      assertThat(Http.get(url(monitoring, "/health/deep")).body()).isEqualTo(expected);
    }
    try (Monitoring monitoring =
        local("bot").discoverExtensions(false).uiEnabled(false).build().start()) {
      assertThat(Http.get(url(monitoring, "/nothing-here")).body())
          .isEqualTo("Not found. This port serves /metrics, /health, /kpi.\n");
    }
  }

  @Test
  void bearerTokenIsRequiredWhenConfigured() {
    try (Monitoring monitoring = local("api").metricsBearerToken("s3cret-token").build().start()) {
      monitoring.trackKpi(Kpi.activeUser("u-1"));
      assertThat(Http.get(url(monitoring, "/metrics")).statusCode()).isEqualTo(401);
      assertThat(
              Http.get(url(monitoring, "/metrics"), Map.of("Authorization", "Bearer wrong"))
                  .statusCode())
          .isEqualTo(401);
      Scrape scrape = Scrape.of(URI.create(url(monitoring, "/metrics")), "s3cret-token");
      assertThat(scrape.value("active_users_total")).isEqualTo(1.0);
      // health stays open for load balancers
      assertThat(Http.get(url(monitoring, "/health")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void bearerTokenCanComeFromAFile(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("metrics-token");
    Files.writeString(secret, "from-file-token\n");
    try (Monitoring monitoring =
        local("api")
            .readEnvironment(Map.of("METRICS_BEARER_TOKEN_FILE", secret.toString()))
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .build()
            .start()) {
      assertThat(Http.get(url(monitoring, "/metrics")).statusCode()).isEqualTo(401);
      assertThat(
              Http.get(
                      url(monitoring, "/metrics"),
                      Map.of("Authorization", "Bearer from-file-token"))
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void portInUseFailsAtStartNamingThePortAndTheSetting() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        Monitoring monitoring =
            Monitoring.builder("worker")
                .metricsHost("127.0.0.1")
                .metricsPort(taken.getLocalPort())
                .jvmMetrics(false)
                .build()) {
      int port = taken.getLocalPort();
      assertThatThrownBy(monitoring::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(
              "Cannot serve metrics on 127.0.0.1:" + port + ": port " + port + " is already in use")
          .hasMessageContaining(
              "Set METRICS_PORT (or Monitoring.builder(..).metricsPort(..)) to a free port");
    }
  }

  @Test
  void disabledMetricsServeNothingButStillCount() {
    try (Monitoring monitoring =
        local("worker").readEnvironment(Map.of("ENABLE_METRICS", "false")).build().start()) {
      monitoring.trackKpi(Kpi.generationSuccess("image"));
      assertThat(monitoring.metricsAddress()).isNull();
      assertThat(
              monitoring.registry().scrape().stream()
                  .filter(s -> s.getMetadata().getName().equals("generation_success"))
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void startIsIdempotentAndCloseStopsTheServer() {
    Monitoring monitoring = local("bot").build();
    monitoring.start();
    var address = monitoring.metricsAddress();
    assertThat(monitoring.start().metricsAddress()).isEqualTo(address);
    monitoring.close();
    monitoring.close();
    assertThat(monitoring.metricsAddress()).isNull();
    assertThatThrownBy(monitoring::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Monitoring for service 'bot' is closed");
  }

  @Test
  void closeRunsRegisteredHooksOnce() {
    Monitoring monitoring = local("bot").build();
    int[] runs = {0};
    Internals.of(monitoring).core().onClose(() -> runs[0]++);
    monitoring.close();
    monitoring.close();
    assertThat(runs[0]).isEqualTo(1);
  }

  private static String url(Monitoring monitoring, String path) {
    return "http://127.0.0.1:" + monitoring.metricsAddress().getPort() + path;
  }
}
