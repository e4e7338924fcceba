package dev.vigil.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.Monitoring;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LOG_LEVEL, LOG_FORMAT and LOG_ASYNC configure Logback before any Monitoring exists, which can
 * only warn; building a Monitoring then fails on a malformed one, naming the variable.
 */
class LogSettingsValidationTest {

  private static Monitoring fromEnv(Map<String, String> variables) {
    return Monitoring.builder("bot")
        .metricsEnabled(false)
        .jvmMetrics(false)
        .readEnvironment(variables)
        .build();
  }

  @Test
  void unknownLogLevelNamesTheVariableAndTheChoices() {
    assertThatThrownBy(() -> fromEnv(Map.of("LOG_LEVEL", "verbose")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "LOG_LEVEL must be one of trace, debug, info, warn, error, off (any case), got"
                + " 'verbose'");
  }

  @Test
  void unknownLogFormatNamesTheVariableAndTheChoices() {
    assertThatThrownBy(() -> fromEnv(Map.of("LOG_FORMAT", "xml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("LOG_FORMAT must be one of json, pretty (any case), got 'xml'");
  }

  @Test
  void logSettingsInAnyCaseAreAccepted() {
    try (Monitoring monitoring =
        fromEnv(Map.of("LOG_LEVEL", "DEBUG", "LOG_FORMAT", "Pretty", "LOG_ASYNC", "true"))) {
      assertThat(monitoring.service()).isEqualTo("bot");
    }
  }

  @Test
  void malformedLogAsyncNamesTheVariable() {
    assertThatThrownBy(() -> fromEnv(Map.of("LOG_ASYNC", "sometimes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("LOG_ASYNC must be true or false");
  }
}
