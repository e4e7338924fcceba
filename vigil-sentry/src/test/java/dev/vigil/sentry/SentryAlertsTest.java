package dev.vigil.sentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Monitoring;
import dev.vigil.Ticker;
import dev.vigil.alert.Alert;
import dev.vigil.alert.Severity;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import dev.vigil.testkit.SecretCorpus;
import dev.vigil.testkit.SentryReceiver;
import io.sentry.Sentry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Alerts as Sentry events: the real Sentry SDK sending to a receiver on 127.0.0.1, whose envelopes
 * are decoded and checked field by field.
 */
class SentryAlertsTest {
  private final SentryFixture fixture = new SentryFixture();
  private final SentryReceiver sentry = fixture.receiver;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = nanos::get;
  private final LogCapture deliveries = LogCapture.of("dev.vigil.alerts");

  @AfterEach
  void tearDown() {
    fixture.close();
    deliveries.close();
  }

  /** Delivery attempts made to {@code channel}: Vigil logs one DEBUG line for each. */
  private long attempts(String channel) {
    return deliveries.events().stream()
        .filter(e -> e.getLevel() == Level.DEBUG)
        .filter(
            e ->
                e.getKeyValuePairs() != null
                    && e.getKeyValuePairs().stream()
                        .anyMatch(p -> p.key.equals("channel") && channel.equals(p.value)))
        .count();
  }

  /** The alert channels of {@code monitoring}, as its KPI page lists them. */
  private static List<String> channels(Monitoring monitoring) throws Exception {
    JsonNode history =
        new ObjectMapper()
            .readTree(
                Http.get(
                        "http://127.0.0.1:"
                            + monitoring.metricsAddress().getPort()
                            + "/kpi/history")
                    .body());
    List<String> names = new ArrayList<>();
    history.at("/alerts/channels").forEach(c -> names.add(c.get("name").asText()));
    return names;
  }

  /** Metrics on a free port of 127.0.0.1; the cool-down runs on a ticker the test moves. */
  private Monitoring monitoring(Map<String, String> env) {
    return fixture
        .monitoring(env, b -> b.metricsHost("127.0.0.1").metricsPort(0).ticker(ticker))
        .start();
  }

  private Monitoring monitoring() {
    return monitoring(Map.of("SENTRY_DSN", sentry.dsn()));
  }

  /** Waits for an event that {@code matches}, and returns it. */
  private JsonNode awaitEvent(Predicate<JsonNode> matches) {
    await().atMost(Duration.ofSeconds(10)).until(() -> sentry.events().stream().anyMatch(matches));
    return sentry.events().stream().filter(matches).findFirst().orElseThrow();
  }

  private static Predicate<JsonNode> alertType(String type) {
    return event -> type.equals(event.at("/tags/alert_type").asText(null));
  }

  @Test
  void aPaymentFailureAlertArrivesAsAMessageEventWithTagsAndContext() {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("amount", 49.99);
    context.put("plan", "premium");
    context.put("api_key", SecretCorpus.API_KEY);

    monitoring()
        .alerts()
        .alertPaymentFailure("pay_123", new IllegalStateException("card declined"), context);

    JsonNode event = awaitEvent(alertType("payment_failure"));
    assertThat(event.get("level").asText()).isEqualTo("error");
    assertThat(event.at("/message/formatted").asText())
        .isEqualTo("Payment failed: IllegalStateException: card declined");
    assertThat(event.has("exception")).as("a message event").isFalse();
    assertThat(event.get("logger").asText()).isEqualTo("dev.vigil.alerts");
    assertThat(event.at("/tags/service").asText()).isEqualTo("bot");
    assertThat(event.at("/tags/environment").asText()).isEqualTo("production");
    assertThat(event.at("/tags/alert_type").asText()).isEqualTo("payment_failure");
    assertThat(event.at("/tags/severity").asText()).isEqualTo("error");
    assertThat(event.at("/tags/error_type").asText()).isEqualTo("IllegalStateException");
    assertThat(event.at("/contexts/context/payment_id").asText()).isEqualTo("pay_123");
    assertThat(event.at("/contexts/context/amount").asDouble()).isEqualTo(49.99);
    assertThat(event.at("/contexts/context/plan").asText()).isEqualTo("premium");
    assertThat(event.at("/contexts/context/api_key").asText()).isEqualTo("[REDACTED]");
    assertThat(event.at("/contexts/alert/occurrences").asLong()).isEqualTo(1);
    assertThat(event.get("fingerprint"))
        .extracting(JsonNode::asText)
        .containsExactly("vigil-alert", "bot", "payment_failure/error");
    assertThat(sentry.allText()).doesNotContain(SecretCorpus.API_KEY);
  }

  @Test
  void plantedSecretsInAnAlertNeverReachSentry() {
    monitoring()
        .alerts()
        .alertPaymentFailure("pay_1", SecretCorpus.exception(), SecretCorpus.context());

    awaitEvent(alertType("payment_failure"));
    String wire = sentry.allText();
    assertThat(SecretCorpus.leaks(wire)).isEmpty();
    assertThat(wire).contains(SecretCorpus.VISIBLE);
  }

  @Test
  void aGroupingValueShapedLikeACredentialIsRedactedInTheFingerprint() {
    monitoring()
        .alerts()
        .send(
            Alert.builder("upstream_failure", Severity.ERROR, "Upstream refused the call")
                .groupBy("upstream", "api_key=" + SecretCorpus.API_KEY)
                .build());

    JsonNode event = awaitEvent(alertType("upstream_failure"));
    assertThat(event.get("fingerprint"))
        .extracting(JsonNode::asText)
        .containsExactly(
            "vigil-alert", "bot", "upstream_failure/error{upstream=api_key=[REDACTED]}");
    assertThat(event.at("/tags/upstream").asText()).isEqualTo("api_key=[REDACTED]");
    assertThat(event.at("/contexts/alert/key").asText())
        .isEqualTo("upstream_failure/error{upstream=api_key=[REDACTED]}");
    assertThat(sentry.allText()).doesNotContain(SecretCorpus.API_KEY);
  }

  @Test
  void eachSeverityHasItsSentryLevel() {
    Monitoring monitoring =
        monitoring(Map.of("SENTRY_DSN", sentry.dsn(), "ALERT_SENTRY_MIN_SEVERITY", "info"));
    monitoring.alerts().send(Alert.builder("note", Severity.INFO, "FYI").build());
    monitoring.alerts().send(Alert.builder("quota_low", Severity.WARNING, "Quota low").build());
    monitoring.alerts().send(Alert.builder("refund_failure", Severity.ERROR, "Refund").build());
    monitoring.alerts().send(Alert.builder("ledger_broken", Severity.CRITICAL, "Ledger").build());

    assertThat(awaitEvent(alertType("note")).get("level").asText()).isEqualTo("info");
    assertThat(awaitEvent(alertType("quota_low")).get("level").asText()).isEqualTo("warning");
    assertThat(awaitEvent(alertType("refund_failure")).get("level").asText()).isEqualTo("error");
    JsonNode critical = awaitEvent(alertType("ledger_broken"));
    assertThat(critical.get("level").asText()).isEqualTo("fatal");
    assertThat(critical.at("/tags/severity").asText()).isEqualTo("critical");
  }

  @Test
  void alertsBelowTheMinimumSeverityAreNotSent() {
    Monitoring monitoring = monitoring();
    monitoring.alerts().alertServiceDegradation("openai", "p95 above 10 s", null);
    monitoring.alerts().alertQueueFailure("image-generation", null, null);

    // One delivery thread takes alerts in order: once the second is in Sentry, the first was seen.
    awaitEvent(alertType("queue_failure"));
    assertThat(sentry.events()).hasSize(1);
    assertThat(attempts("sentry")).isEqualTo(1);
  }

  @Test
  void theMinimumSeverityComesFromAlertSentryMinSeverity() {
    monitoring(Map.of("SENTRY_DSN", sentry.dsn(), "ALERT_SENTRY_MIN_SEVERITY", "warning"))
        .alerts()
        .alertServiceDegradation("openai", "p95 above 10 s", Map.of("p95", 12.5));

    JsonNode event = awaitEvent(alertType("service_degradation"));
    assertThat(event.get("level").asText()).isEqualTo("warning");
    assertThat(event.at("/message/formatted").asText())
        .isEqualTo("Service degraded: openai: p95 above 10 s");
    assertThat(event.at("/tags/component").asText()).isEqualTo("openai");
    assertThat(event.at("/contexts/context/p95").asDouble()).isEqualTo(12.5);
  }

  @Test
  void handleCriticalErrorReachesSentryOnceAsTheException() {
    Monitoring monitoring = monitoring();
    monitoring.handleCriticalError(
        new IllegalStateException("database down"), Map.of("db", "main"));
    monitoring.alerts().alertQueueFailure("email", null, null);

    // The critical alert was raised first: once the later alert is in Sentry, it was handled.
    awaitEvent(alertType("queue_failure"));
    List<JsonNode> events = sentry.events();
    assertThat(events).hasSize(2);
    JsonNode error = events.stream().filter(e -> e.has("exception")).findFirst().orElseThrow();
    assertThat(error.get("level").asText()).isEqualTo("fatal");
    assertThat(error.at("/tags/severity").asText()).isEqualTo("critical");
    assertThat(events).noneMatch(alertType("critical_error"));
    assertThat(attempts("sentry")).isEqualTo(1);
  }

  @Test
  void aCriticalAlertRaisedDirectlyIsSent() {
    monitoring()
        .alerts()
        .alertCriticalError(new IllegalStateException("ledger out of balance"), null);

    JsonNode event = awaitEvent(alertType("critical_error"));
    assertThat(event.get("level").asText()).isEqualTo("fatal");
    assertThat(event.at("/message/formatted").asText())
        .isEqualTo("Critical error: IllegalStateException: ledger out of balance");
    assertThat(event.at("/tags/error_type").asText()).isEqualTo("IllegalStateException");
  }

  @Test
  void repeatsBecomeOneSummaryInTheSameSentryIssue() {
    Monitoring monitoring = monitoring();
    for (int i = 0; i < 3; i++) {
      monitoring.alerts().alertQueueFailure("email", null, Map.of("attempt", i));
    }
    JsonNode first = awaitEvent(alertType("queue_failure"));

    nanos.addAndGet(Duration.ofMinutes(5).toNanos()); // the cool-down ends
    // A new alert below Sentry's minimum wakes the delivery thread, which then sees the new time.
    monitoring.alerts().alertServiceDegradation("openai", "slow", null);

    await().atMost(Duration.ofSeconds(10)).until(() -> sentry.events().size() == 2);
    JsonNode summary = sentry.events().get(1);
    assertThat(summary.at("/message/formatted").asText())
        .matches(
            "Job failed in queue email\nOccurred 2 times since"
                + " \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC");
    assertThat(summary.at("/contexts/alert/occurrences").asLong()).isEqualTo(2);
    assertThat(summary.at("/contexts/context/attempt").asInt()).isEqualTo(2);
    assertThat(summary.get("fingerprint")).isEqualTo(first.get("fingerprint"));
    assertThat(summary.get("fingerprint"))
        .extracting(JsonNode::asText)
        .containsExactly("vigil-alert", "bot", "queue_failure/error{queue_name=email}");
  }

  @Test
  void deliveriesCountInTheSelfMetrics() {
    Monitoring monitoring = monitoring();
    monitoring.alerts().alertQueueFailure("email", null, null);
    monitoring.alerts().alertQueueFailure("sms", null, null);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        Scrape.of(monitoring.metricsAddress())
                            .value("vigil_alerts_sent_total", "channel", "sentry"))
                    .isEqualTo(2.0));
    assertThat(sentry.events()).hasSize(2);
  }

  @Test
  void withoutADsnThereIsNoSentryChannel() throws Exception {
    Monitoring monitoring = monitoring(Map.of());
    assertThat(channels(monitoring)).containsExactly("log");
  }

  @Test
  void withSentryOffThereIsNoSentryChannel() throws Exception {
    Monitoring monitoring =
        monitoring(Map.of("SENTRY_DSN", sentry.dsn(), "SENTRY_ENABLED", "false"));
    assertThat(channels(monitoring)).containsExactly("log");
  }

  @Test
  void alertSentryEnabledFalseKeepsAlertsOutOfSentryButNotErrors() throws Exception {
    Monitoring monitoring =
        monitoring(Map.of("SENTRY_DSN", sentry.dsn(), "ALERT_SENTRY_ENABLED", "false"));
    monitoring.alerts().alertQueueFailure("email", null, null);
    monitoring.handleError(new IllegalStateException("boom"));

    assertThat(channels(monitoring)).containsExactly("log");
    monitoring.close();
    assertThat(sentry.events()).hasSize(1);
    assertThat(sentry.events().get(0).has("exception")).isTrue();
  }

  @Test
  void theBuilderSwitchesAlertsOff() throws Exception {
    Monitoring monitoring =
        Monitoring.builder("api")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .extension(SentryReporter.builder().dsn(sentry.dsn()).alerts(false).build())
            .build()
            .start();
    fixture.track(monitoring);
    assertThat(Sentry.isEnabled()).isTrue();
    assertThat(channels(monitoring)).containsExactly("log");
  }

  @Test
  void closeDeliversPendingAlertsBeforeSentryCloses() {
    Monitoring monitoring = monitoring();
    for (int i = 0; i < 5; i++) {
      monitoring.alerts().alertQueueFailure("queue-" + i, null, null);
    }
    monitoring.close();
    assertThat(sentry.events()).hasSize(5);
  }
}
