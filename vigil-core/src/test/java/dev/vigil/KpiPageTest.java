package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.alert.Alert;
import dev.vigil.alert.Severity;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The KPI page over HTTP: {@code /} and its files, {@code /kpi/history} and its agreement with
 * {@code /kpi}, the token, the switch. What a browser makes of it is in {@code
 * vigil-browser-tests}.
 */
class KpiPageTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final FakeTicker ticker = new FakeTicker();
  private final List<Monitoring> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(Monitoring::close);
  }

  private Monitoring start(Monitoring.Builder builder) {
    Monitoring m = builder.build().start();
    started.add(m);
    return m;
  }

  private Monitoring.Builder builder() {
    return Monitoring.builder("bot")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .ticker(ticker)
        .clock(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC))
        .topSpendersLogInterval(Duration.ZERO);
  }

  private static String url(Monitoring m, String path) {
    return "http://127.0.0.1:" + m.metricsAddress().getPort() + path;
  }

  @Test
  void thePageIsServedOnTheMetricsPortWithAStrictContentSecurityPolicy() {
    Monitoring m = start(builder());
    HttpResponse<String> page = Http.get(url(m, "/"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.body()).doesNotContain("<script>").doesNotContain(" style=");

    Map<String, String> types =
        Map.of(
            "page.js", "text/javascript; charset=utf-8",
            "page.css", "text/css; charset=utf-8",
            "uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "uPlot.min.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");
    Matcher linked = Pattern.compile("\"(ui/([^\"?]+)\\?v=([0-9a-f]{16}))\"").matcher(page.body());
    List<String> seen = new ArrayList<>();
    while (linked.find()) {
      HttpResponse<String> asset = Http.get(url(m, "/" + linked.group(1)));
      assertThat(asset.statusCode()).as(linked.group(1)).isEqualTo(200);
      assertThat(asset.headers().firstValue("Content-Type")).hasValue(types.get(linked.group(2)));
      assertThat(asset.headers().firstValue("Cache-Control"))
          .hasValue("public, max-age=31536000, immutable");
      assertThat(asset.headers().firstValue("ETag")).hasValue('"' + linked.group(3) + '"');
      assertThat(asset.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
      seen.add(linked.group(2));
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(types.keySet());
  }

  @Test
  void filesAreRevalidatedByETagAndNothingElseIsServed() {
    Monitoring m = start(builder());
    HttpResponse<String> js = Http.get(url(m, "/ui/page.js"));
    assertThat(js.headers().firstValue("Cache-Control")).hasValue("no-cache");
    String etag = js.headers().firstValue("ETag").orElseThrow();
    assertThat(Http.get(url(m, "/ui/page.js"), Map.of("If-None-Match", etag)).statusCode())
        .isEqualTo(304);
    assertThat(Http.get(url(m, "/ui/NOTICE")).statusCode()).isEqualTo(404);
    assertThat(Http.get(url(m, "/ui/../KpiPage.class")).statusCode()).isEqualTo(404);
    assertThat(Http.get(url(m, "/index.html")).statusCode()).isEqualTo(404);
    assertThat(Http.get(url(m, "/kpi/history/x")).statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        Http.send(
            HttpRequest.newBuilder(URI.create(url(m, "/")))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void thePageItsFilesAndItsHistoryAreGuardedByTheMetricsTokenAsKpiIs() {
    Monitoring m = start(builder().metricsBearerToken("s3cret-page-token"));
    m.trackKpi(Kpi.generationSuccess("image"));
    Map<String, String> bearer = Map.of("Authorization", "Bearer s3cret-page-token");
    for (String path : List.of("/kpi", "/kpi/history", "/ui/page.js", "/ui/uPlot.iife.min.js")) {
      assertThat(Http.get(url(m, path)).statusCode()).as(path).isEqualTo(401);
      assertThat(Http.get(url(m, path), bearer).statusCode()).as(path).isEqualTo(200);
    }
    HttpResponse<String> history = Http.get(url(m, "/kpi/history"), bearer);
    assertThat(history.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(history.headers().firstValue("Cache-Control")).hasValue("no-store");

    // Without the token, / is a sign-in form: no script, no number, no name of the service.
    HttpResponse<String> signIn = Http.get(url(m, "/"));
    assertThat(signIn.statusCode()).isEqualTo(401);
    assertThat(signIn.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(signIn.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(signIn.headers().firstValue("Content-Security-Policy").orElseThrow())
        .startsWith("default-src 'none'; style-src 'sha256-")
        .endsWith("'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    assertThat(signIn.body())
        .contains("<form id=\"login\" method=\"post\" action=\"./\">")
        .contains("name=\"token\" type=\"password\"")
        .doesNotContain("<script")
        .doesNotContain("bot")
        .doesNotContain("login-error");
    assertThat(Http.get(url(m, "/"), bearer).body()).contains("ui/page.js?v=");
  }

  @Test
  void aBrowserSignsInOnceAndIsAdmittedByAnHttpOnlyCookieThatIsNotTheToken() {
    Monitoring m = start(builder().metricsBearerToken("s3cret-page-token"));
    int port = m.metricsAddress().getPort();

    HttpResponse<String> wrong = Http.get(url(m, "/?token=not-it"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(wrong.body()).contains("<p id=\"login-error\" class=\"error\">");

    HttpResponse<String> fromQuery = Http.get(url(m, "/?token=s3cret-page-token"));
    assertThat(fromQuery.statusCode()).isEqualTo(303);
    assertThat(fromQuery.headers().firstValue("Location")).hasValue("./");
    String setCookie = fromQuery.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .matches("vigil_session_" + port + "=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict")
        .doesNotContain("s3cret");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    HttpResponse<String> fromForm =
        Http.send(
            HttpRequest.newBuilder(URI.create(url(m, "/")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=s3cret-page-token"))
                .build());
    assertThat(fromForm.statusCode()).isEqualTo(303);
    assertThat(fromForm.headers().firstValue("Set-Cookie")).hasValue(setCookie);
    HttpResponse<String> wrongForm =
        Http.send(
            HttpRequest.newBuilder(URI.create(url(m, "/")))
                .POST(HttpRequest.BodyPublishers.ofString("token=s3cret-page-tokeN"))
                .build());
    assertThat(wrongForm.statusCode()).isEqualTo(401);
    assertThat(wrongForm.headers().firstValue("Set-Cookie")).isEmpty();

    Map<String, String> session = Map.of("Cookie", "theme=dark; " + cookie);
    for (String path : List.of("/", "/ui/page.js", "/kpi/history", "/kpi", "/metrics")) {
      assertThat(Http.get(url(m, path), session).statusCode()).as(path).isEqualTo(200);
    }
    String forged = cookie.substring(0, cookie.length() - 1) + (cookie.endsWith("A") ? "B" : "A");
    assertThat(Http.get(url(m, "/kpi/history"), Map.of("Cookie", forged)).statusCode())
        .isEqualTo(401);

    // Another service's cookie (another token) does not open this one.
    Monitoring other = start(builder().metricsBearerToken("another-token"));
    HttpResponse<String> otherSignIn = Http.get(url(other, "/?token=another-token"));
    String otherCookie = otherSignIn.headers().firstValue("Set-Cookie").orElseThrow();
    String renamed =
        "vigil_session_"
            + port
            + otherCookie.substring(otherCookie.indexOf('='), otherCookie.indexOf(';'));
    assertThat(Http.get(url(m, "/kpi/history"), Map.of("Cookie", renamed)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void theTokenNeverReachesTheLogs() {
    try (LogCapture logs = LogCapture.of("dev.vigil")) {
      Monitoring m = start(builder().metricsBearerToken("s3cret-page-token"));
      Http.get(url(m, "/?token=s3cret-page-token"));
      Http.get(url(m, "/kpi/history?token=s3cret-page-token"));
      Http.get(url(m, "/kpi/history"), Map.of("Authorization", "Bearer s3cret-page-token"));
      m.close();
      assertThat(logs.render("%msg %ex")).noneMatch(line -> line.contains("s3cret"));
    }
  }

  @Test
  void theHistoryShowsKpiItselfAndSamplesEqualToKpiAtTheirInstant() throws Exception {
    Monitoring m = start(builder());
    await().until(() -> history(m).at("/history/time").size() == 1); // the sample at start
    script(m);
    ticker.advance(Duration.ofSeconds(10));
    await().until(() -> history(m).at("/history/time").size() == 2);

    String kpiText = Http.get(url(m, "/kpi")).body();
    HttpResponse<String> response = Http.get(url(m, "/kpi/history"));
    assertThat(response.body()).contains("\"kpi\":" + kpiText + ",");
    JsonNode doc = JSON.readTree(response.body());
    JsonNode kpi = JSON.readTree(kpiText);
    assertThat(doc.get("kpi")).isEqualTo(kpi);

    JsonNode series = doc.at("/history/series");
    assertThat(last(series, "interactions")).isEqualTo(kpi.at("/activeUsers/interactions"));
    assertThat(last(series, "generationSuccess")).isEqualTo(kpi.at("/generation/success"));
    assertThat(last(series, "generationFailure")).isEqualTo(kpi.at("/generation/failure"));
    assertThat(last(series, "paymentConversions")).isEqualTo(kpi.at("/payments/conversions"));
    assertThat(last(series, "paymentFailures")).isEqualTo(kpi.at("/payments/failures"));
    assertThat(last(series, "tokens")).isEqualTo(kpi.at("/tokens/total"));
    assertThat(last(series, "costUsd").decimalValue())
        .isEqualByComparingTo(kpi.at("/tokens/costUsd").decimalValue());
    assertThat(last(doc.at("/history/distinct"), "5m"))
        .isEqualTo(kpi.at("/activeUsers/distinct/5m"));
    assertThat(series.get("generationSuccess").get(0).asInt()).isZero();
    assertThat(Scrape.of(m.metricsAddress()).value("vigil_page_sample_failures_total"))
        .isEqualTo(0.0);

    JsonNode models = doc.at("/history/tokensByModel");
    assertThat(models.get("names")).hasSize(2);
    for (int c = 0; c < 2; c++) {
      String model = models.get("names").get(c).asText();
      assertThat(last(models.get("tokens"), c))
          .isEqualTo(kpi.at("/tokens/byModel/" + model + "/tokens"));
    }
    JsonNode types = doc.at("/history/generationByType");
    assertThat(types.get("names").get(0).asText()).isEqualTo("text");
    assertThat(last(types.get("success"), 0)).isEqualTo(kpi.at("/generation/byType/text/success"));
  }

  @Test
  void theHistoryAddsHttpQueuesAndFailuresByErrorType() throws Exception {
    Monitoring m = start(builder());
    script(m);
    JsonNode now = history(m).get("now");
    Scrape scrape = Scrape.of(m.metricsAddress());
    assertThat(now.at("/http/requests").asDouble())
        .isEqualTo(scrape.sum("http_requests_total"))
        .isEqualTo(4);
    assertThat(now.at("/http/clientErrors").asInt()).isEqualTo(1);
    assertThat(now.at("/http/serverErrors").asInt()).isEqualTo(1);
    assertThat(now.at("/routes/0/route").asText()).isEqualTo("/api/generate");
    assertThat(now.at("/routes/0/requests").asInt()).isEqualTo(3);
    assertThat(now.at("/generationFailuresByError/top/0/name").asText()).isEqualTo("timeout");
    assertThat(now.at("/generationFailuresByError/top/0/count").asInt()).isEqualTo(2);
    assertThat(now.at("/generationFailuresByError/total").asInt()).isEqualTo(3);
    assertThat(now.at("/paymentFailuresByReason/top/0/name").asText())
        .isEqualTo("insufficient_funds");
    assertThat(now.at("/queues/0/name").asText()).isEqualTo("image-generation");
    assertThat(now.at("/queues/0/jobs").asInt()).isEqualTo(2);
    assertThat(now.at("/queues/0/active").asInt()).isEqualTo(3);
    assertThat(now.at("/queueFailures/top/0/detail").asText()).isEqualTo("TimeoutException");
  }

  @Test
  void labelValuesPastTheTopFiveAreSummedAsOther() throws Exception {
    Monitoring m = start(builder());
    await().until(() -> history(m).at("/history/time").size() == 1);
    for (int i = 0; i < 40; i++) {
      m.trackKpi(Kpi.tokenSpend(100 + i, "model-" + i, "completion"));
    }
    ticker.advance(Duration.ofSeconds(10));
    await().until(() -> history(m).at("/history/time").size() == 2);
    JsonNode models = history(m).at("/history/tokensByModel");
    assertThat(models.get("names"))
        .extracting(JsonNode::asText)
        .containsExactly("model-39", "model-38", "model-37", "model-36", "model-35");
    long shown = 0;
    for (int c = 0; c < 5; c++) {
      shown += last(models.get("tokens"), c).asLong();
    }
    long all = 40 * 100 + (39 * 40) / 2;
    assertThat(last(models.at("/other"), "tokens").asLong()).isEqualTo(all - shown);
  }

  @Test
  void alertsShowTheirChannelOutcomes() throws Exception {
    Monitoring m = start(builder());
    m.alerts().send(Alert.builder("quota_exhausted", Severity.WARNING, "Quota at 95%").build());
    await()
        .until(
            () -> "sent".equals(history(m).at("/alerts/recent/0/channels/0/outcome").asText(null)));
    JsonNode alerts = history(m).get("alerts");
    assertThat(alerts.get("enabled").asBoolean()).isTrue();
    assertThat(alerts.at("/recent/0/type").asText()).isEqualTo("quota_exhausted");
    assertThat(alerts.at("/recent/0/severity").asText()).isEqualTo("warning");
    assertThat(alerts.at("/recent/0/message").asText()).isEqualTo("Quota at 95%");
    assertThat(alerts.at("/recent/0/channels/0/channel").asText()).isEqualTo("log");
    assertThat(alerts.at("/channels/0/name").asText()).isEqualTo("log");
    assertThat(alerts.at("/channels/0/sent").asInt()).isEqualTo(1);
    assertThat(alerts.at("/channels/0/latest/outcome").asText()).isEqualTo("sent");
  }

  @Test
  void theSwitchTurnsThePageOffInCodeAndFromTheEnvironment() {
    Monitoring code = start(builder().uiEnabled(false));
    Monitoring env = start(builder().readEnvironment(Map.of("VIGIL_UI_ENABLED", "false")));
    for (Monitoring m : List.of(code, env)) {
      assertThat(Http.get(url(m, "/")).statusCode()).isEqualTo(404);
      assertThat(Http.get(url(m, "/ui/page.js")).statusCode()).isEqualTo(404);
      assertThat(Http.get(url(m, "/kpi/history")).statusCode()).isEqualTo(404);
      assertThat(Http.get(url(m, "/kpi")).statusCode()).isEqualTo(200);
    }
    assertThatThrownBy(() -> builder().readEnvironment(Map.of("VIGIL_UI_ENABLED", "maybe")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VIGIL_UI_ENABLED");
  }

  @Test
  void hostileLabelValuesTravelAsJsonStrings() throws Exception {
    Monitoring m = start(builder());
    String hostile = "<script>alert(\"x\")</script>\u2028";
    m.trackKpi(Kpi.generationSuccess(hostile));
    JsonNode doc = history(m);
    assertThat(doc.at("/kpi/generation/byType").fieldNames())
        .toIterable()
        .contains("<script>alert(\"x\")</script>");
  }

  private static JsonNode last(JsonNode series, String name) {
    JsonNode column = series.get(name);
    return column.get(column.size() - 1);
  }

  private static JsonNode last(JsonNode columns, int index) {
    JsonNode column = columns.get(index);
    return column.get(column.size() - 1);
  }

  private static JsonNode history(Monitoring m) throws Exception {
    HttpResponse<String> response = Http.get(url(m, "/kpi/history"));
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private void script(Monitoring m) {
    for (int u = 0; u < 6; u++) {
      m.trackKpi(Kpi.activeUser("user-" + u));
    }
    for (int i = 0; i < 7; i++) {
      m.trackKpi(Kpi.generationSuccess(i < 5 ? "text" : "image"));
    }
    m.trackKpi(Kpi.generationFailure("image", "timeout"));
    m.trackKpi(Kpi.generationFailure("text", "timeout"));
    m.trackKpi(Kpi.generationFailure("image", "content_policy"));
    m.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "input").forUser("user-1"));
    m.trackKpi(Kpi.tokenSpend(700, "gpt-4o-mini", "completion").forUser("user-2"));
    m.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("19.99"), "USD"));
    m.trackKpi(Kpi.paymentFailure("p-1", "card", "insufficient_funds"));
    m.metrics().recordHttpRequest("POST", "/api/generate", 200, 120_000_000L);
    m.metrics().recordHttpRequest("POST", "/api/generate", 200, 80_000_000L);
    m.metrics().recordHttpRequest("POST", "/api/generate", 500, 2_000_000_000L);
    m.metrics().recordHttpRequest("GET", "/api/users/{id}", 404, 3_000_000L);
    for (int i = 0; i < 2; i++) {
      JobTimer timer = m.metrics().startJobTimer("image-generation", "dalle-3");
      ticker.advance(Duration.ofMillis(1500));
      timer.stop();
    }
    m.metrics().setActiveJobs("image-generation", 3);
    m.metrics().trackQueueFailure("image-generation", new java.util.concurrent.TimeoutException());
  }
}
