package dev.vigil.sentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Monitoring;
import dev.vigil.testkit.SecretCorpus;
import dev.vigil.testkit.SentryReceiver;
import io.sentry.Breadcrumb;
import io.sentry.Sentry;
import io.sentry.protocol.Request;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real Sentry SDK sending to a receiver on 127.0.0.1, whose envelopes are decoded and checked
 * field by field.
 */
class SentryReporterTest {
  private final SentryFixture fixture = new SentryFixture();
  private final SentryReceiver sentry = fixture.receiver;

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  private Monitoring monitoring(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("ENABLE_METRICS", "false");
    return fixture.monitoring(all, b -> b);
  }

  private Monitoring monitoring() {
    return monitoring(Map.of("SENTRY_DSN", sentry.dsn()));
  }

  private JsonNode onlyEvent() {
    await().atMost(Duration.ofSeconds(10)).until(() -> !sentry.events().isEmpty());
    List<JsonNode> events = sentry.events();
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private static JsonNode exception(JsonNode event, String type) {
    for (JsonNode value : event.at("/exception/values")) {
      if (value.get("type").asText().equals(type)) {
        return value;
      }
    }
    throw new AssertionError("no exception of type " + type + " in " + event);
  }

  @Test
  void eventCarriesTheExceptionTagsAndContext() {
    monitoring()
        .handleError(
            new IllegalStateException("payment gateway timed out"),
            Map.of("userId", "u-1", "plan", "premium"));
    JsonNode event = onlyEvent();
    JsonNode exception = exception(event, "IllegalStateException");
    assertThat(exception.get("module").asText()).isEqualTo("java.lang");
    assertThat(exception.get("value").asText()).isEqualTo("payment gateway timed out");
    assertThat(exception.at("/stacktrace/frames")).isNotEmpty();
    assertThat(event.get("level").asText()).isEqualTo("error");
    assertThat(event.get("environment").asText()).isEqualTo("production");
    assertThat(event.at("/tags/service").asText()).isEqualTo("bot");
    assertThat(event.at("/tags/environment").asText()).isEqualTo("production");
    assertThat(event.at("/tags/error_type").asText()).isEqualTo("IllegalStateException");
    assertThat(event.at("/tags/severity").asText()).isEqualTo("error");
    assertThat(event.at("/contexts/context/userId").asText()).isEqualTo("u-1");
    assertThat(event.at("/contexts/context/plan").asText()).isEqualTo("premium");
  }

  @Test
  void causeIsPartOfTheEvent() {
    monitoring()
        .handleError(
            new IllegalStateException("charge failed", new java.io.IOException("connection reset")),
            null);
    JsonNode cause = exception(onlyEvent(), "IOException");
    assertThat(cause.get("module").asText()).isEqualTo("java.io");
    assertThat(cause.get("value").asText()).isEqualTo("connection reset");
  }

  @Test
  void criticalErrorIsFatalAndTaggedCritical() {
    monitoring().handleCriticalError(new IllegalStateException("database down"), Map.of());
    JsonNode event = onlyEvent();
    assertThat(event.get("level").asText()).isEqualTo("fatal");
    assertThat(event.at("/tags/severity").asText()).isEqualTo("critical");
  }

  @Test
  void errorWithoutAnExceptionIsAMessageEvent() {
    monitoring().handleError(null, Map.of("userId", "u-1"));
    JsonNode event = onlyEvent();
    assertThat(event.at("/message/formatted").asText())
        .isEqualTo("handleError was called without an exception");
    assertThat(event.at("/tags/error_type").asText()).isEqualTo("unknown");
  }

  @Test
  void releaseAndSentryEnvironmentComeFromTheEnvironment() {
    monitoring(
            Map.of(
                "SENTRY_DSN",
                sentry.dsn(),
                "SENTRY_RELEASE",
                "1.4.2",
                "SENTRY_ENVIRONMENT",
                "prod-eu"))
        .handleError(new RuntimeException("x"));
    JsonNode event = onlyEvent();
    assertThat(event.get("release").asText()).isEqualTo("1.4.2");
    assertThat(event.get("environment").asText()).isEqualTo("prod-eu");
    assertThat(event.at("/tags/environment").asText()).isEqualTo("production");
  }

  @Test
  void corpusSecretsNeverReachSentry() {
    Monitoring monitoring = monitoring();
    monitoring.handleError(SecretCorpus.exception(), SecretCorpus.context());
    monitoring.handleCriticalError(SecretCorpus.exception(), SecretCorpus.context());
    await().atMost(Duration.ofSeconds(10)).until(() -> sentry.events().size() == 2);
    String wire = sentry.allText();
    assertThat(SecretCorpus.leaks(wire)).isEmpty();
    assertThat(wire).contains(SecretCorpus.VISIBLE);
    JsonNode event = sentry.events().get(0);
    assertThat(exception(event, "IllegalStateException").get("value").asText())
        .isEqualTo("charge failed for card [REDACTED] with token=[REDACTED]");
    assertThat(event.at("/contexts/context/password").asText()).isEqualTo("[REDACTED]");
    assertThat(event.at("/contexts/context/headers/Authorization").asText())
        .isEqualTo("[REDACTED]");
  }

  @Test
  void eventsTheApplicationCapturesAreRedactedToo() {
    monitoring();
    Sentry.addBreadcrumb(
        new Breadcrumb("called with Authorization: Bearer " + SecretCorpus.BEARER_IN_TEXT));
    Sentry.configureScope(
        scope -> {
          Request request = new Request();
          request.setUrl("https://api.example/pay?access_token=" + SecretCorpus.QUERY_TOKEN);
          request.setHeaders(SecretCorpus.headers());
          request.setCookies("session=" + SecretCorpus.COOKIE);
          request.setData(Map.of("card_number", SecretCorpus.CARD_NUMBER));
          scope.setRequest(request);
          scope.setExtra(
              "dsn", "https://" + SecretCorpus.SENTRY_DSN_KEY + "@o1.ingest.sentry.io/2");
        });
    Sentry.captureException(new RuntimeException("login with password=" + SecretCorpus.PASSWORD));
    onlyEvent();
    assertThat(SecretCorpus.leaks(sentry.allText())).isEmpty();
    assertThat(exception(onlyEvent(), "RuntimeException").get("value").asText())
        .isEqualTo("login with password=[REDACTED]");
  }

  @Test
  void withoutDsnNothingIsStartedOrSent() {
    Monitoring monitoring = monitoring(Map.of());
    monitoring.handleError(new RuntimeException("x"));
    assertThat(Sentry.isEnabled()).isFalse();
  }

  @Test
  void disabledSentryIgnoresTheDsn() {
    Monitoring monitoring =
        monitoring(Map.of("SENTRY_DSN", sentry.dsn(), "SENTRY_ENABLED", "false"));
    monitoring.handleError(new RuntimeException("x"));
    monitoring.close();
    assertThat(Sentry.isEnabled()).isFalse();
    assertThat(sentry.requests()).isZero();
  }

  @Test
  void applicationsOwnSentryIsUsedAndKept() {
    try (SentryReceiver theirs = SentryReceiver.start()) {
      Sentry.init(
          options -> {
            options.setDsn(theirs.dsn());
            options.setTag("team", "payments");
          });
      Monitoring monitoring = monitoring();
      monitoring.handleError(new IllegalStateException("boom"), Map.of("userId", "u-1"));
      monitoring.close();
      assertThat(Sentry.isEnabled()).as("still the application's").isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> !theirs.events().isEmpty());
      JsonNode event = theirs.events().get(0);
      assertThat(event.at("/tags/team").asText()).isEqualTo("payments");
      assertThat(event.at("/tags/service").asText()).isEqualTo("bot");
      assertThat(event.at("/contexts/context/userId").asText()).isEqualTo("u-1");
      assertThat(sentry.requests()).as("Vigil's DSN is not used").isZero();
    }
  }

  @Test
  void closeDeliversWhatWasQueued() {
    Monitoring monitoring = monitoring();
    for (int i = 0; i < 5; i++) {
      monitoring.handleError(new RuntimeException("error " + i));
    }
    monitoring.close();
    assertThat(sentry.events()).hasSize(5);
    assertThat(Sentry.isEnabled()).isFalse();
  }

  @Test
  void discoveryCanBeReplacedByAReporterConfiguredInCode() {
    Monitoring monitoring =
        Monitoring.builder("api")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .readEnvironment(Map.of("SENTRY_DSN", "https://other@127.0.0.1:9/2"))
            .extension(SentryReporter.builder().dsn(sentry.dsn()).release("2.0.0").build())
            .build();
    fixture.track(monitoring);
    monitoring.handleError(new RuntimeException("x"));
    JsonNode event = onlyEvent();
    assertThat(event.get("release").asText()).isEqualTo("2.0.0");
    assertThat(event.at("/tags/service").asText()).isEqualTo("api");
  }

  @Test
  void malformedDsnNamesTheVariableButNotTheSecret() {
    assertThatThrownBy(() -> monitoring(Map.of("SENTRY_DSN", "https://o1.ingest.sentry.io/42")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "SENTRY_DSN is not a valid Sentry DSN: it has no public key before the @."
                + " Expected https://<public key>@<host>/<project id>, as shown in Sentry's project"
                + " settings under Client Keys; unset it to send no errors to Sentry.");
    assertThatThrownBy(() -> monitoring(Map.of("SENTRY_DSN", "secretkey123 not a url")))
        .hasMessageNotContaining("secretkey123");
  }

  @Test
  void sampleRateOutsideZeroToOneNamesTheVariable() {
    assertThatThrownBy(
            () ->
                monitoring(Map.of("SENTRY_DSN", sentry.dsn(), "SENTRY_TRACES_SAMPLE_RATE", "1.5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SENTRY_TRACES_SAMPLE_RATE must be between 0 and 1, got 1.5");
  }

  @Test
  void builderRejectsBadArgumentsAtOnce() {
    assertThatThrownBy(() -> SentryReporter.builder().tracesSampleRate(-0.1))
        .hasMessage("tracesSampleRate must be between 0 and 1, got -0.1");
    assertThatThrownBy(() -> SentryReporter.builder().flushTimeout(Duration.ZERO))
        .hasMessage("flushTimeout must be more than 0 and at most 1 minute, got PT0S");
    assertThatThrownBy(() -> SentryReporter.builder().dsn("ftp://k@h/1"))
        .hasMessageStartingWith("dsn is not a valid Sentry DSN: it must start with https://");
  }
}
