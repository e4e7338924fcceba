package dev.vigil.logback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.LogContext;
import dev.vigil.Monitoring;
import dev.vigil.internal.Internals;
import dev.vigil.testkit.SecretCorpus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** Vigil's JSON lines, written by the real encoder into memory and parsed back. */
@SuppressWarnings("try") // log contexts are used for their scope
class VigilJsonEncoderTest {
  private CapturedOutput out;
  private Monitoring monitoring;

  @BeforeEach
  void setUp() {
    out = CapturedOutput.json();
    monitoring =
        Monitoring.builder("bot")
            .environment("production")
            .loggerFactory(out.context())
            .metricsEnabled(false)
            .jvmMetrics(false)
            .build();
  }

  @AfterEach
  void tearDown() {
    monitoring.close();
    out.close();
    MDC.clear();
  }

  @Test
  void lineHasTheStandardFieldsInOrderThenTheCallersFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("userId", 42);
    fields.put("text", "hi");
    monitoring.logger().info("Message received", fields);
    JsonNode line = out.only();
    assertThat(names(line))
        .containsExactly(
            "timestamp",
            "level",
            "service",
            "environment",
            "logger",
            "thread",
            "message",
            "userId",
            "text");
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("service").asText()).isEqualTo("bot");
    assertThat(line.get("environment").asText()).isEqualTo("production");
    assertThat(line.get("logger").asText()).isEqualTo("bot");
    assertThat(line.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(line.get("message").asText()).isEqualTo("Message received");
    assertThat(line.get("userId").asInt()).isEqualTo(42);
    assertThat(line.get("text").asText()).isEqualTo("hi");
  }

  @Test
  void timestampIsIso8601InUtcWithMilliseconds() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    monitoring.logger().info("x");
    String timestamp = out.only().get("timestamp").asText();
    assertThat(timestamp).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(Instant.parse(timestamp)).isBetween(before, Instant.now());
  }

  @Test
  void nestedFieldsStayJsonObjects() {
    monitoring.logger().info("Payment", Map.of("payment", Map.of("plan", "premium", "cvv", "123")));
    JsonNode payment = out.only().get("payment");
    assertThat(payment.get("plan").asText()).isEqualTo("premium");
    assertThat(payment.get("cvv").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void plainSlf4jLineCarriesTheServiceOfTheMonitoring() {
    out.context().getLogger("com.example.Payments").info("charged");
    JsonNode line = out.only();
    assertThat(line.get("service").asText()).isEqualTo("bot");
    assertThat(line.get("environment").asText()).isEqualTo("production");
    assertThat(line.get("logger").asText()).isEqualTo("com.example.Payments");
  }

  @Test
  void logContextIdsAreFields() {
    try (LogContext ctx = LogContext.user("u-1").and(LogContext.REQUEST_ID, "r-1")) {
      monitoring.logger().info("inside");
    }
    JsonNode line = out.only();
    assertThat(line.get("userId").asText()).isEqualTo("u-1");
    assertThat(line.get("requestId").asText()).isEqualTo("r-1");
  }

  @Test
  void fieldWinsOverTheContextEntryOfTheSameName() {
    try (LogContext ctx = LogContext.user("from-context")) {
      monitoring.logger().info("x", Map.of("userId", "from-field"));
    }
    JsonNode line = out.only();
    assertThat(names(line).stream().filter("userId"::equals)).hasSize(1);
    assertThat(line.get("userId").asText()).isEqualTo("from-field");
  }

  @Test
  void fieldNamedLikeAStandardFieldIsPrefixed() {
    monitoring.logger().info("real", Map.of("message", "spoof", "level", "spoof"));
    JsonNode line = out.only();
    assertThat(line.get("message").asText()).isEqualTo("real");
    assertThat(line.get("fields.message").asText()).isEqualTo("spoof");
    assertThat(line.get("fields.level").asText()).isEqualTo("spoof");
  }

  @Test
  void plainSlf4jKeyValuePairsAndMessagesAreRedactedToo() {
    Logger plain = out.context().getLogger("com.example.Client");
    plain
        .atWarn()
        .addKeyValue("api_key", "abc")
        .addKeyValue("url", "https://u:pw@h/x")
        .log("retrying with Bearer abcdefgh123");
    JsonNode line = out.only();
    assertThat(line.get("api_key").asText()).isEqualTo("[REDACTED]");
    assertThat(line.get("url").asText()).isEqualTo("https://[REDACTED]@h/x");
    assertThat(line.get("message").asText()).isEqualTo("retrying with Bearer [REDACTED]");
  }

  @Test
  void sensitiveMdcEntryIsMasked() {
    MDC.put("sessionToken", "abc123");
    out.context().getLogger("x").info("y");
    assertThat(out.only().get("sessionToken").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void exceptionIsAStackTraceWithItsMessagesRedacted() {
    IllegalStateException error =
        new IllegalStateException("token=abc", new RuntimeException("card 4111 1111 1111 1111"));
    out.context().getLogger("x").error("failed", error);
    String trace = out.only().get("stack_trace").asText();
    assertThat(trace)
        .startsWith("java.lang.IllegalStateException: token=[REDACTED]\n\tat ")
        .contains("Caused by: java.lang.RuntimeException: card [REDACTED]\n");
  }

  @Test
  void theCoreHandsTheOriginalExceptionToThisEncoder() {
    assertThat(Internals.of(monitoring).logOutput().backendRedactsThrowables()).isTrue();
    monitoring.handleError(new IllegalStateException("token=abc"), Map.of());
    JsonNode line = out.only();
    assertThat(line.get("stack_trace").asText())
        .startsWith("java.lang.IllegalStateException: token=[REDACTED]");
    assertThat(line.get("error_type").asText()).isEqualTo("IllegalStateException");
    assertThat(line.get("severity").asText()).isEqualTo("error");
  }

  @Test
  void handleErrorContextIsOneNestedObject() {
    monitoring.handleError(new RuntimeException("x"), Map.of("userId", "u-1", "password", "p"));
    JsonNode context = out.only().get("context");
    assertThat(context.get("userId").asText()).isEqualTo("u-1");
    assertThat(context.get("password").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void corpusThroughEveryLogPathLeavesNoSecret() {
    Logger plain = out.context().getLogger("com.example.App");
    try (LogContext ctx = LogContext.user(SecretCorpus.VISIBLE)) {
      monitoring.logger().info("context", SecretCorpus.context());
      monitoring
          .logger()
          .warn("headers", SecretCorpus.exception(), Map.of("headers", SecretCorpus.headers()));
      for (String text : SecretCorpus.texts()) {
        monitoring.logger().info(text);
        plain.info(text);
        plain.info("with argument {}", text);
      }
      monitoring.handleError(SecretCorpus.exception(), SecretCorpus.context());
      monitoring.handleCriticalError(SecretCorpus.exception(), SecretCorpus.context());
      plain.error("plain SLF4J error", SecretCorpus.exception());
      plain.atError().addKeyValue("context", SecretCorpus.context()).log("plain pairs");
    }
    String text = out.text();
    assertThat(SecretCorpus.leaks(text)).isEmpty();
    assertThat(out.objects()).hasSize(6 + 3 * SecretCorpus.texts().size());
    assertThat(text).contains(SecretCorpus.VISIBLE).contains("\"tokens\":1500");
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
