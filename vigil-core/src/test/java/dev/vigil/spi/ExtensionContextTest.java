package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.KpiCounter;
import dev.vigil.MetricCatalog;
import dev.vigil.Monitoring;
import dev.vigil.testkit.Scrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What an extension is given: its own settings only, endpoints, self-metrics, listeners. */
class ExtensionContextTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Monitoring.Builder builder(Extension extension) {
    return Monitoring.builder("api")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .jvmMetrics(false)
        .discoverExtensions(false)
        .extension(extension);
  }

  @Test
  void anExtensionSeesOnlyTheVariablesOfItsPrefixes() {
    AtomicReference<Settings> seen = new AtomicReference<>();
    Map<String, String> env =
        Map.of(
            "AUDIT_URL", "https://audit.example/v1",
            "AUDIT_TOKEN", "s3cr3t",
            "SENTRY_DSN", "https://key@sentry.example/1",
            "METRICS_BEARER_TOKEN", "scrape-token");
    try (Monitoring monitoring =
        builder(context -> seen.set(context.settings("AUDIT_")))
            .metricsEnabled(false)
            .readEnvironment(env)
            .build()) {
      assertThat(monitoring.service()).isEqualTo("api");
      Settings settings = seen.get();
      assertThat(settings.asMap()).containsOnlyKeys("AUDIT_URL", "AUDIT_TOKEN");
      assertThat(settings.uri("AUDIT_URL", "https")).isEqualTo(URI.create(env.get("AUDIT_URL")));
      assertThat(settings.toString()).doesNotContain("s3cr3t");
      assertThatThrownBy(() -> settings.string("SENTRY_DSN"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Setting SENTRY_DSN is outside this extension's prefixes [AUDIT_]; ask"
                  + " ExtensionContext.settings(..) for its prefix too.");
    }
  }

  @Test
  void aMonitoringThatReadNoEnvironmentGivesEmptySettings() {
    AtomicReference<Settings> seen = new AtomicReference<>();
    try (Monitoring monitoring =
        builder(context -> seen.set(context.settings("SENTRY_"))).metricsEnabled(false).build()) {
      assertThat(monitoring.metricsAddress()).isNull();
      assertThat(seen.get().asMap()).isEmpty();
      assertThat(seen.get().secret("SENTRY_DSN")).isNull();
    }
  }

  @Test
  void shortOrMissingPrefixesAreRefused() {
    assertThatThrownBy(() -> builder(context -> context.settings()).metricsEnabled(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Settings.only needs at least one prefix, such as SENTRY_");
    assertThatThrownBy(
            () -> builder(context -> context.settings("A_")).metricsEnabled(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A settings prefix must have at least 3 characters, such as SENTRY_; got 'A_'");
  }

  @Test
  void anEndpointIsServedOnTheMetricsPortBehindTheBearerToken() throws Exception {
    Extension extension =
        context ->
            context.addEndpoint(
                "/audit",
                exchange -> {
                  byte[] body = "audit ok".getBytes(StandardCharsets.UTF_8);
                  exchange.sendResponseHeaders(200, body.length);
                  exchange.getResponseBody().write(body);
                  exchange.close();
                });
    try (Monitoring monitoring =
        builder(extension).metricsBearerToken("scrape-token").build().start()) {
      URI uri = URI.create("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/audit");
      HttpResponse<String> anonymous =
          HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> authorised =
          HTTP.send(
              HttpRequest.newBuilder(uri).header("Authorization", "Bearer scrape-token").build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(authorised.statusCode()).isEqualTo(200);
      assertThat(authorised.body()).isEqualTo("audit ok");
    }
  }

  @Test
  void vigilsOwnPathsCannotBeTaken() {
    for (String path : List.of("/metrics", "/health", "/kpi", "/kpi/history", "/")) {
      assertThatThrownBy(
              () ->
                  builder(context -> context.addEndpoint(path, exchange -> exchange.close()))
                      .build())
          .as(path)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Endpoint path " + path);
    }
    assertThatThrownBy(
            () -> builder(context -> context.addEndpoint("audit", exchange -> {})).build())
        .hasMessage(
            "Endpoint path 'audit' is not valid: an absolute path of letters, digits and . _ ~ /"
                + " -, such as /audit");
  }

  @Test
  void selfMetricsCarryTheServiceAndMayUseTheVigilPrefix() {
    MetricCatalog.Definition sent =
        new MetricCatalog.Definition(
            "vigil_audit_sent_total",
            MetricCatalog.Type.COUNTER,
            "Audit records sent, by outcome.",
            List.of("outcome"),
            List.of());
    List<KpiCounter> counters = new ArrayList<>();
    try (Monitoring monitoring =
        builder(context -> counters.add(context.counter(sent))).build().start()) {
      counters.get(0).inc("ok");
      counters.get(0).inc("ok");

      Scrape scrape = Scrape.of(monitoring.metricsAddress());
      assertThat(scrape.value("vigil_audit_sent_total", "service", "api", "outcome", "ok"))
          .isEqualTo(2.0);
      assertThat(scrape.family("vigil_audit_sent_total").help())
          .isEqualTo("Audit records sent, by outcome.");
    }
  }

  @Test
  void errorListenersHearRedactedContextAndCloseHooksRunAtClose() {
    List<String> events = new ArrayList<>();
    Monitoring monitoring =
        builder(
                context -> {
                  context.addErrorListener(
                      (error, type, severity, redacted) ->
                          events.add(type + " " + severity + " " + redacted));
                  context.onClose(() -> events.add("closed"));
                })
            .metricsEnabled(false)
            .build();
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("password", "hunter2");
    context.put("user", "ann");
    monitoring.handleError(new IllegalStateException("boom"), context);
    monitoring.close();
    monitoring.close();

    assertThat(events)
        .containsExactly("IllegalStateException error {password=[REDACTED], user=ann}", "closed");
  }
}
