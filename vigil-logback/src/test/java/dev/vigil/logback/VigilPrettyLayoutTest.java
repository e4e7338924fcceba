package dev.vigil.logback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.LogContext;
import dev.vigil.Monitoring;
import dev.vigil.testkit.SecretCorpus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The readable line of LOG_FORMAT=pretty, written by the real layout into memory. */
@SuppressWarnings("try") // log contexts are used for their scope
class VigilPrettyLayoutTest {
  private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

  private CapturedOutput out;
  private Monitoring monitoring;

  @BeforeEach
  void setUp() {
    out = CapturedOutput.pretty();
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
  void lineReadsTimestampLevelServiceThreadLoggerMessageAndFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("userId", 42);
    fields.put("text", "hi there");
    try (LogContext ctx = LogContext.request("r-1")) {
      monitoring.logger().info("Message received", fields);
    }
    assertThat(out.lines())
        .singleElement()
        .asString()
        .matches(
            TIMESTAMP
                + " INFO  bot/production \\["
                + Thread.currentThread().getName()
                + "] bot - Message received requestId=r-1 userId=42 text=\"hi there\"");
  }

  @Test
  void lineBreaksInsideValuesCannotForgeALine() {
    monitoring.logger().warn("first\nERROR fake line", Map.of("note", "a\nb"));
    assertThat(out.lines())
        .singleElement()
        .asString()
        .endsWith(" - first\\nERROR fake line note=\"a\\nb\"");
  }

  @Test
  void exceptionFollowsOnItsOwnLinesRedacted() {
    monitoring.logger().error("failed", new IllegalStateException("password=hunter2"), null);
    assertThat(out.lines().get(0)).endsWith(" ERROR bot/production [main] bot - failed");
    assertThat(out.lines().get(1))
        .isEqualTo("java.lang.IllegalStateException: password=[REDACTED]");
    assertThat(out.lines().get(2)).startsWith("\tat ");
  }

  @Test
  void corpusLeavesNoSecret() {
    monitoring.logger().info("context", SecretCorpus.context());
    monitoring.handleError(SecretCorpus.exception(), SecretCorpus.context());
    for (String text : SecretCorpus.texts()) {
      out.context().getLogger("plain").info(text);
    }
    assertThat(SecretCorpus.leaks(out.text())).isEmpty();
    assertThat(out.text()).contains(SecretCorpus.VISIBLE);
  }
}
