package dev.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.vigil.Monitoring;
import dev.vigil.alert.internal.DeliveryProbe;
import dev.vigil.testkit.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert settings from the environment and the builder: read correctly, or rejected at once with a
 * message that names the setting and never shows a secret.
 */
class AlertConfigurationTest {
  private static final String TOKEN = "987654321:AAFsecretTokenValue_abcdefghijklmnop";
  private static final String SLACK = "https://hooks.slack.com/services/T000/B000/SlackSecret42";

  private static AlertSettings fromEnv(Map<String, String> env) {
    return AlertSettings.builder().readEnvironment(env).build();
  }

  @Test
  void defaults() {
    AlertSettings s = fromEnv(Map.of());
    assertThat(s.enabled()).isTrue();
    assertThat(s.configuredChannels()).containsExactly("log");
    assertThat(s.cooldown()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.paymentFailureThreshold()).isEqualTo(3);
    assertThat(s.paymentFailureWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.errorRateThreshold()).isEqualTo(50);
    assertThat(s.errorRateWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.queueCapacity()).isEqualTo(1000);
    assertThat(s.maxAttempts()).isEqualTo(5);
    assertThat(s.retryDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.maxRetryDelay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.resolveTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.telegramApiUrl()).hasToString("https://api.telegram.org");
    assertThat(s.minSeverity(AlertSettings.LOG)).isEqualTo(Severity.INFO);
    assertThat(s.minSeverity(AlertSettings.WEBHOOK)).isEqualTo(Severity.INFO);
    assertThat(s.minSeverity(AlertSettings.ALERTMANAGER)).isEqualTo(Severity.INFO);
    assertThat(s.minSeverity(AlertSettings.SLACK)).isEqualTo(Severity.WARNING);
    assertThat(s.minSeverity(AlertSettings.TELEGRAM)).isEqualTo(Severity.WARNING);
    assertThat(s.minSeverity(AlertSettings.SENTRY)).isEqualTo(Severity.ERROR);
  }

  @Test
  void everyVariableIsRead() {
    Map<String, String> env = new HashMap<>();
    env.put("ALERT_WEBHOOK_URL", "https://hooks.example.com/vigil/abc");
    env.put("SLACK_WEBHOOK_URL", SLACK);
    env.put("TELEGRAM_BOT_TOKEN", TOKEN);
    env.put("TELEGRAM_CHAT_ID", "-1001234567890");
    env.put("TELEGRAM_TOPIC_ID", "7");
    env.put("TELEGRAM_API_URL", "http://bot-api.internal:8081");
    env.put("ALERTMANAGER_URL", "http://alertmanager:9093");
    env.put("ALERT_TELEGRAM_MIN_SEVERITY", "error");
    env.put("ALERT_LOG_MIN_SEVERITY", "warning");
    env.put("ALERT_COOLDOWN", "10m");
    env.put("ALERT_PAYMENT_FAILURE_THRESHOLD", "1");
    env.put("ALERT_PAYMENT_FAILURE_WINDOW", "1h");
    env.put("ALERT_ERROR_RATE_THRESHOLD", "0");
    env.put("ALERT_ERROR_RATE_WINDOW", "30s");
    env.put("ALERT_QUEUE_CAPACITY", "50");
    env.put("ALERT_MAX_ATTEMPTS", "3");
    env.put("ALERT_RETRY_DELAY", "500ms");
    env.put("ALERT_MAX_RETRY_DELAY", "2m");
    env.put("ALERT_TIMEOUT", "3s");
    env.put("ALERT_CLOSE_TIMEOUT", "1s");
    env.put("ALERTMANAGER_RESOLVE_TIMEOUT", "1h");

    AlertSettings s = fromEnv(env);

    assertThat(s.configuredChannels())
        .containsExactly("log", "webhook", "slack", "telegram", "alertmanager");
    assertThat(s.webhookUrl()).hasToString("https://hooks.example.com/vigil/abc");
    assertThat(s.slackWebhookUrl()).hasToString(SLACK);
    assertThat(s.telegramBotToken()).isEqualTo(TOKEN);
    assertThat(s.telegramChatId()).isEqualTo("-1001234567890");
    assertThat(s.telegramTopicId()).isEqualTo(7L);
    assertThat(s.telegramApiUrl()).hasToString("http://bot-api.internal:8081");
    assertThat(s.alertmanagerUrl()).hasToString("http://alertmanager:9093");
    assertThat(s.minSeverity(AlertSettings.TELEGRAM)).isEqualTo(Severity.ERROR);
    assertThat(s.minSeverity(AlertSettings.LOG)).isEqualTo(Severity.WARNING);
    assertThat(s.cooldown()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.paymentFailureThreshold()).isEqualTo(1);
    assertThat(s.paymentFailureWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(s.errorRateThreshold()).isZero();
    assertThat(s.errorRateWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.queueCapacity()).isEqualTo(50);
    assertThat(s.maxAttempts()).isEqualTo(3);
    assertThat(s.retryDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.maxRetryDelay()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.closeTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.resolveTimeout()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aSecretCanComeFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, TOKEN + "\n");
    AlertSettings s =
        fromEnv(Map.of("TELEGRAM_BOT_TOKEN_FILE", file.toString(), "TELEGRAM_CHAT_ID", "@alerts"));
    assertThat(s.telegramBotToken()).isEqualTo(TOKEN);
  }

  @Test
  void aMalformedWebhookUrlNamesTheVariableButNotTheValue() {
    assertThatThrownBy(
            () -> fromEnv(Map.of("SLACK_WEBHOOK_URL", "hooks.slack.com/services/T/B/Sec42")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "SLACK_WEBHOOK_URL must be an absolute http or https URL with a host, such as"
                + " https://example.com/hook; got (value not shown: it may contain a secret)");
    assertThatThrownBy(() -> fromEnv(Map.of("ALERT_WEBHOOK_URL", "http://exa mple.com/Sec42")))
        .hasMessage(
            "ALERT_WEBHOOK_URL must be an absolute http or https URL; the value is malformed"
                + " (value not shown: it may contain a secret)");
    assertThatThrownBy(() -> fromEnv(Map.of("TELEGRAM_API_URL", "ftp://bot")))
        .hasMessage(
            "TELEGRAM_API_URL must be an absolute http or https URL with a host, such as"
                + " https://example.com/hook; got 'ftp://bot'");
  }

  @Test
  void telegramNeedsBothTokenAndChat() {
    assertThatThrownBy(() -> fromEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN)))
        .hasMessage(
            "TELEGRAM_BOT_TOKEN is set but TELEGRAM_CHAT_ID is not: set both to send alerts to"
                + " Telegram, or neither.")
        .hasMessageNotContaining(TOKEN);
    assertThatThrownBy(() -> fromEnv(Map.of("TELEGRAM_CHAT_ID", "-100123")))
        .hasMessage(
            "TELEGRAM_CHAT_ID is set but TELEGRAM_BOT_TOKEN is not: set both to send alerts to"
                + " Telegram, or neither.");
  }

  @Test
  void aMalformedTokenIsRejectedWithoutBeingShown() {
    assertThatThrownBy(
            () -> fromEnv(Map.of("TELEGRAM_BOT_TOKEN", "Bearer s3cr3t", "TELEGRAM_CHAT_ID", "-1")))
        .hasMessage(
            "TELEGRAM_BOT_TOKEN is not a Telegram bot token (digits, a colon, then letters,"
                + " digits, '-' and '_', as BotFather gives it); the value is not shown.");
    assertThatThrownBy(
            () -> fromEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_CHAT_ID", "my group")))
        .hasMessage(
            "TELEGRAM_CHAT_ID must be a chat id such as -1001234567890 or a channel name such as"
                + " @alerts, got 'my group'");
    assertThatThrownBy(
            () ->
                fromEnv(
                    Map.of(
                        "TELEGRAM_BOT_TOKEN",
                        TOKEN,
                        "TELEGRAM_CHAT_ID",
                        "-1",
                        "TELEGRAM_TOPIC_ID",
                        "general")))
        .hasMessage(
            "TELEGRAM_TOPIC_ID must be a positive message_thread_id (the forum topic), got"
                + " 'general'");
  }

  @Test
  void malformedNumbersDurationsAndSeveritiesNameTheVariable() {
    assertThatThrownBy(() -> fromEnv(Map.of("ALERT_TELEGRAM_MIN_SEVERITY", "loud")))
        .hasMessage(
            "ALERT_TELEGRAM_MIN_SEVERITY: unknown severity 'loud'; use info, warning, error or"
                + " critical");
    assertThatThrownBy(() -> fromEnv(Map.of("ALERT_COOLDOWN", "soon")))
        .hasMessage("ALERT_COOLDOWN must be a duration such as 30s, 5m, 1h or 1d, got 'soon'");
    assertThatThrownBy(() -> fromEnv(Map.of("ALERT_COOLDOWN", "2d")))
        .hasMessage("ALERT_COOLDOWN must be between 0s and 1d, got 2d");
    assertThatThrownBy(() -> fromEnv(Map.of("ALERT_PAYMENT_FAILURE_THRESHOLD", "-1")))
        .hasMessage("ALERT_PAYMENT_FAILURE_THRESHOLD must be between 0 and 10000, got -1");
    assertThatThrownBy(() -> fromEnv(Map.of("ALERT_QUEUE_CAPACITY", "lots")))
        .hasMessage("ALERT_QUEUE_CAPACITY must be a whole number between 1 and 100000, got 'lots'");
    assertThatThrownBy(() -> fromEnv(Map.of("ALERT_TIMEOUT", "10ms")))
        .hasMessage("ALERT_TIMEOUT must be between 100ms and 5m, got 10ms");
    assertThatThrownBy(() -> fromEnv(Map.of("ENABLE_ALERTS", "maybe")))
        .hasMessageStartingWith("ENABLE_ALERTS must be true or false");
  }

  @Test
  void contradictorySettingsFailAtBuild() {
    assertThatThrownBy(
            () ->
                fromEnv(
                    Map.of(
                        "ALERTMANAGER_URL",
                        "http://am:9093",
                        "ALERTMANAGER_RESOLVE_TIMEOUT",
                        "5m",
                        "ALERT_COOLDOWN",
                        "5m")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "The Alertmanager resolve timeout (PT5M, ALERTMANAGER_RESOLVE_TIMEOUT) must be longer"
                + " than the alert cool-down (PT5M, ALERT_COOLDOWN), or a repeating alert would"
                + " resolve between two notifications.");
    assertThatThrownBy(
            () -> fromEnv(Map.of("ALERT_RETRY_DELAY", "2m", "ALERT_MAX_RETRY_DELAY", "1m")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("The longest retry delay (PT1M, ALERT_MAX_RETRY_DELAY)");
    assertThatThrownBy(() -> Monitoring.builder("x").alerting(a -> a.cooldown(Duration.ofDays(2))))
        .hasMessage("cooldown must be between 0s and 1d, got 2d");
  }

  @Test
  void aRejectedTelegramTopicLeavesTheEarlierDestination() {
    AlertSettings.Builder builder = AlertSettings.builder().telegram(TOKEN, "-100", 7);
    assertThatThrownBy(() -> builder.telegram("123:other", "-200", 0))
        .hasMessage(
            "telegram topicId must be a positive message_thread_id (the forum topic), got 0");
    AlertSettings settings = builder.build();
    assertThat(settings.telegramBotToken()).isEqualTo(TOKEN);
    assertThat(settings.telegramChatId()).isEqualTo("-100");
    assertThat(settings.telegramTopicId()).isEqualTo(7L);
  }

  @Test
  void builderArgumentsAreCheckedAtOnce() {
    assertThatThrownBy(() -> Monitoring.builder("bot").telegram("nope", "-1"))
        .hasMessageStartingWith("telegram botToken is not a Telegram bot token");
    assertThatThrownBy(() -> Monitoring.builder("bot").telegram(TOKEN, "-1", 0))
        .hasMessage(
            "telegram topicId must be a positive message_thread_id (the forum topic), got 0");
    assertThatThrownBy(() -> Monitoring.builder("bot").alertRouting("Pager Duty", Severity.ERROR))
        .hasMessage(
            "minSeverity: channel 'Pager Duty' is not a channel name (lower-case letters, digits"
                + " and underscores, starting with a letter, at most 32 characters), such as [log,"
                + " webhook, slack, telegram, alertmanager, sentry]");
    assertThatThrownBy(() -> Monitoring.builder("bot").alertmanager("alertmanager:9093"))
        .hasMessageStartingWith("alertmanager must be an absolute http or https URL");
    assertThatThrownBy(
            () ->
                Monitoring.builder("bot")
                    .alerting(a -> a.paymentFailureThreshold(-1, Duration.ofMinutes(1))))
        .hasMessage("paymentFailureThreshold count must be between 0 and 10000, got -1");
    assertThatThrownBy(() -> Monitoring.builder("bot").alerting(a -> a.queueCapacity(0)))
        .hasMessage("queueCapacity must be between 1 and 100000, got 0");
  }

  @Test
  void theStartupLineShowsChannelsWithTheirSecretsMasked() {
    try (LogCapture logs = LogCapture.of("dev.vigil.alerts")) {
      Map<String, String> env = new HashMap<>();
      env.put("SLACK_WEBHOOK_URL", SLACK);
      env.put("TELEGRAM_BOT_TOKEN", TOKEN);
      env.put("TELEGRAM_CHAT_ID", "-1001234567890");
      env.put("TELEGRAM_TOPIC_ID", "7");
      env.put("ALERTMANAGER_URL", "http://alertmanager:9093");
      try (Monitoring monitoring =
          Monitoring.builder("bot")
              .metricsEnabled(false)
              .jvmMetrics(false)
              .readEnvironment(env)
              .build()) {
        String line = String.join("\n", logs.messages(Level.INFO));
        assertThat(line)
            .contains(
                "Vigil: alerts for service 'bot': AlertSettings{enabled=true, channels=[log,"
                    + " slack https://hooks.slack.com/…, telegram chat -1001234567890 topic 7 via"
                    + " https://api.telegram.org (bot token set), alertmanager"
                    + " http://alertmanager:9093], minSeverity={log=info, slack=warning,"
                    + " telegram=warning, alertmanager=info}, cooldown=PT5M")
            .doesNotContain(TOKEN, "SlackSecret42", "T000");
        assertThat(DeliveryProbe.of(monitoring).service().settings().toString())
            .doesNotContain(TOKEN, "SlackSecret42");
      }
    }
  }
}
