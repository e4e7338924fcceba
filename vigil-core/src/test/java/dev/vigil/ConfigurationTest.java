package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Environment variables and builder arguments: read correctly, or rejected naming the setting. */
class ConfigurationTest {

  private static Monitoring fromEnv(Map<String, String> env) {
    return Monitoring.builder("bot").jvmMetrics(false).readEnvironment(env).build();
  }

  @Test
  void defaultsWhenNothingIsSet() {
    try (Monitoring monitoring = fromEnv(Map.of())) {
      assertThat(monitoring.environment()).isEqualTo("development");
      assertThat(monitoring.strict()).isFalse();
      assertThat(monitoring.service()).isEqualTo("bot");
    }
  }

  @Test
  void environmentVariablesAreRead() {
    try (Monitoring monitoring =
        fromEnv(
            Map.of(
                "APP_ENV", "production",
                "ENABLE_METRICS", "yes",
                "METRICS_PORT", "0",
                "METRICS_HOST", "127.0.0.1",
                "VIGIL_STRICT", "true"))) {
      assertThat(monitoring.environment()).isEqualTo("production");
      assertThat(monitoring.strict()).isTrue();
      monitoring.start();
      assertThat(monitoring.metricsAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void environmentFallsBackToTheEnvironmentVariable() {
    try (Monitoring monitoring = fromEnv(Map.of("ENVIRONMENT", "staging"))) {
      assertThat(monitoring.environment()).isEqualTo("staging");
    }
  }

  @Test
  void blankVariablesCountAsUnset() {
    try (Monitoring monitoring = fromEnv(Map.of("METRICS_PORT", " ", "APP_ENV", ""))) {
      assertThat(monitoring.environment()).isEqualTo("development");
    }
  }

  @Test
  void malformedPortNamesTheVariable() {
    assertThatThrownBy(() -> fromEnv(Map.of("METRICS_PORT", "ninety")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("METRICS_PORT must be a whole number between 0 and 65535, got 'ninety'");
    assertThatThrownBy(() -> fromEnv(Map.of("METRICS_PORT", "70000")))
        .hasMessage("METRICS_PORT must be between 0 and 65535, got 70000");
  }

  @Test
  void malformedBooleanNamesTheVariable() {
    assertThatThrownBy(() -> fromEnv(Map.of("ENABLE_METRICS", "maybe")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ENABLE_METRICS must be true or false (also accepted: 1/0, yes/no, on/off), got 'maybe'");
  }

  @Test
  void labelSetLimitMustBePositive() {
    assertThatThrownBy(() -> fromEnv(Map.of("VIGIL_MAX_LABEL_SETS", "0")))
        .hasMessage("VIGIL_MAX_LABEL_SETS must be between 1 and 1000000, got 0");
    assertThatThrownBy(() -> Monitoring.builder("bot").maxLabelSets(0))
        .hasMessage("maxLabelSets must be between 1 and 1000000, got 0");
  }

  @Test
  void aPerMetricLimitInCodeMustNameAMetric() {
    assertThatThrownBy(() -> Monitoring.builder("bot").maxLabelSets(" ", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maxLabelSets: metricName must name a metric, such as http_requests_total; got ' '");
  }

  @Test
  void tokenAndTokenFileTogetherAreRejected() {
    assertThatThrownBy(
            () -> fromEnv(Map.of("METRICS_BEARER_TOKEN", "a", "METRICS_BEARER_TOKEN_FILE", "/x")))
        .hasMessage(
            "Both METRICS_BEARER_TOKEN and METRICS_BEARER_TOKEN_FILE are set; set only one of them.");
  }

  @Test
  void unreadableTokenFileNamesTheVariableButNotTheSecret() {
    assertThatThrownBy(
            () -> fromEnv(Map.of("METRICS_BEARER_TOKEN_FILE", "/nonexistent/vigil-token")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "METRICS_BEARER_TOKEN_FILE points to a file that cannot be read: /nonexistent/vigil-token");
  }

  @Test
  void builderRejectsBadArgumentsAtOnce() {
    assertThatThrownBy(() -> Monitoring.builder(" "))
        .hasMessage(
            "service must be a non-blank name of at most 128 characters without control"
                + " characters, such as \"bot\" or \"api\"; got ' '");
    assertThatThrownBy(() -> Monitoring.builder("bot").metricsPort(-1))
        .hasMessage("metricsPort must be between 0 and 65535, got -1");
    assertThatThrownBy(() -> Monitoring.builder("bot").metricsBearerToken(""))
        .hasMessage("metricsBearerToken must not be blank");
    assertThatThrownBy(() -> Monitoring.builder("bot").maxLabelValueLength(8))
        .hasMessage("maxLabelValueLength must be between 16 and 4096, got 8");
  }

  @Test
  void codeSettingsAfterReadingTheEnvironmentWin() {
    try (Monitoring monitoring =
        Monitoring.builder("bot")
            .jvmMetrics(false)
            .readEnvironment(Map.of("APP_ENV", "production", "VIGIL_STRICT", "true"))
            .environment("test")
            .strict(false)
            .build()) {
      assertThat(monitoring.environment()).isEqualTo("test");
      assertThat(monitoring.strict()).isFalse();
    }
  }
}
