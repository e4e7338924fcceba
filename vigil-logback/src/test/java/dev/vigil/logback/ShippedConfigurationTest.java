package dev.vigil.logback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testkit.SecretCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration Vigil ships, seen from a real application: each test starts {@link ChildApp} in
 * a JVM of its own, so that Logback initialises from scratch with the environment and class path
 * the test chooses, and reads what the application printed.
 */
class ShippedConfigurationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void withoutConfigurationEveryLineIsJson() throws Exception {
    ChildJvm.Result run = ChildJvm.run(Map.of());
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<JsonNode> lines = json(run);
    assertThat(lines)
        .extracting(l -> l.get("message").asText())
        .containsExactly(
            "before monitoring",
            "Message received",
            "after monitoring",
            "Error IllegalStateException: charge failed for card [REDACTED] with token=[REDACTED]",
            "plain error");
    assertThat(lines.get(1).get("userId").asInt()).isEqualTo(42);
    assertThat(lines.get(1).get("password").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void linesBeforeTheMonitoringTakeTheServiceFromTheEnvironment() throws Exception {
    ChildJvm.Result run = ChildJvm.run(Map.of("SERVICE_NAME", "billing", "APP_ENV", "staging"));
    List<JsonNode> lines = json(run);
    assertThat(lines)
        .extracting(l -> l.get("service").asText() + "/" + l.get("environment").asText())
        .containsExactly(
            "billing/staging", "child/staging", "child/staging", "child/staging", "child/staging");
  }

  @Test
  void unknownServiceBeforeTheMonitoringWhenNoneIsSet() throws Exception {
    List<JsonNode> lines = json(ChildJvm.run(Map.of()));
    assertThat(lines.get(0).get("service").asText()).isEqualTo("unknown");
    assertThat(lines.get(0).get("environment").asText()).isEqualTo("development");
  }

  @Test
  void prettyFormatWritesReadableLines() throws Exception {
    ChildJvm.Result run = ChildJvm.run(Map.of("LOG_FORMAT", "pretty"));
    assertThat(run.lines().get(0))
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  unknown/development"
                + " \\[main] com.example.Child - before monitoring");
    assertThat(run.lines().get(1))
        .contains(" INFO  child/development [main] child - Message received ")
        .contains(" userId=42")
        .contains(" password=[REDACTED]");
    assertThat(SecretCorpus.leaks(run.stdout())).isEmpty();
  }

  @Test
  void logLevelDebugShowsDebugLines() throws Exception {
    List<JsonNode> lines = json(ChildJvm.run(Map.of("LOG_LEVEL", "DEBUG")));
    assertThat(lines).extracting(l -> l.get("message").asText()).contains("debug line");
  }

  @Test
  void logLevelErrorHidesInfoLines() throws Exception {
    List<JsonNode> lines = json(ChildJvm.run(Map.of("LOG_LEVEL", "error")));
    assertThat(lines).extracting(l -> l.get("level").asText()).containsOnly("ERROR").hasSize(2);
  }

  @Test
  void malformedLogLevelIsReportedByLogbackAndFailsTheMonitoring() throws Exception {
    ChildJvm.Result run = ChildJvm.run(Map.of("LOG_LEVEL", "verbose"));
    assertThat(run.stdout())
        .contains(
            "LOG_LEVEL must be one of trace, debug, info, warn, error, off (any case), got"
                + " 'verbose'; logging at info")
        .contains(
            "CONFIG ERROR: LOG_LEVEL must be one of trace, debug, info, warn, error, off"
                + " (any case), got 'verbose'");
  }

  @Test
  void asyncAppenderDeliversEveryLineBeforeExit() throws Exception {
    ChildJvm.Result run = ChildJvm.run(Map.of("LOG_ASYNC", "true"));
    assertThat(json(run)).hasSize(5);
  }

  @Test
  void corpusLeavesNoSecretInTheShippedOutput() throws Exception {
    ChildJvm.Result run = ChildJvm.run(Map.of());
    assertThat(SecretCorpus.leaks(run.stdout())).isEmpty();
    assertThat(SecretCorpus.leaks(run.stderr())).isEmpty();
    assertThat(run.stdout()).contains(SecretCorpus.VISIBLE);
  }

  @Test
  void applicationsOwnLogbackXmlIsKept(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("logback.xml"),
        "<configuration>\n"
            + "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
            + "    <encoder><pattern>OWN %msg %kvp%n%ex</pattern></encoder>\n"
            + "  </appender>\n"
            + "  <root level=\"INFO\"><appender-ref ref=\"OUT\"/></root>\n"
            + "</configuration>\n");
    ChildJvm.Result run = ChildJvm.run(Map.of(), List.of(dir), "--vigil-only");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.lines().get(0)).isEqualTo("OWN before monitoring ");
    assertThat(run.stdout()).doesNotContain("\"timestamp\"");
    // Vigil's own lines stay redacted: fields, context and (a redacted copy of) the exception
    assertThat(run.stdout())
        .contains("OWN Message received service=\"child\" environment=\"development\" ")
        .contains("password=\"[REDACTED]\"")
        .contains("userId=\"42\"")
        .contains(
            "dev.vigil.internal.RedactedThrowable: java.lang.IllegalStateException: charge"
                + " failed for card [REDACTED]");
    assertThat(SecretCorpus.leaks(run.stdout())).as("Vigil's lines").isEmpty();
  }

  private static List<JsonNode> json(ChildJvm.Result run) throws Exception {
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : run.lines()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }
}
