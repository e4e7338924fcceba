package dev.vigil.alert.internal;

import dev.vigil.Redactor;
import dev.vigil.alert.AlertSettings;
import dev.vigil.spi.AlertChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The channels {@link AlertSettings} configures: the log always, and the webhook, Slack, Telegram
 * and Alertmanager when each has a destination, sharing one HTTP client; with the secrets their
 * destinations carry, which are scrubbed from anything they write.
 */
final class BuiltInChannels {
  private BuiltInChannels() {}

  /** The configured secrets, to scrub from anything written: the shared redactor runs too. */
  static Secrets secrets(AlertSettings s, Redactor redactor) {
    List<String> secretValues = new ArrayList<>();
    if (s.telegramBotToken() != null) {
      secretValues.add(s.telegramBotToken());
    }
    for (URI uri : new URI[] {s.webhookUrl(), s.slackWebhookUrl(), s.alertmanagerUrl()}) {
      if (uri != null) {
        secretValues.add(uri.toString());
        if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
          secretValues.add(uri.getRawPath());
        }
        if (uri.getRawUserInfo() != null) {
          secretValues.add(uri.getRawUserInfo());
        }
      }
    }
    return new Secrets(secretValues, redactor);
  }

  static List<AlertChannel> create(
      AlertSettings s, Secrets secrets, Clock clock, boolean tagsLines) {
    List<AlertChannel> channels = new ArrayList<>();
    channels.add(new LogChannel(tagsLines));
    if (s.webhookUrl() == null
        && s.slackWebhookUrl() == null
        && s.telegramBotToken() == null
        && s.alertmanagerUrl() == null) {
      return channels;
    }
    Duration timeout = s.timeout();
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(
                timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    if (s.webhookUrl() != null) {
      channels.add(new WebhookChannel(s.webhookUrl(), client, timeout, secrets, clock));
    }
    if (s.slackWebhookUrl() != null) {
      channels.add(new SlackChannel(s.slackWebhookUrl(), client, timeout, secrets, clock));
    }
    String token = s.telegramBotToken();
    String chat = s.telegramChatId();
    if (token != null && chat != null) {
      channels.add(
          new TelegramChannel(
              s.telegramApiUrl(),
              token,
              chat,
              s.telegramTopicId(),
              client,
              timeout,
              secrets,
              clock));
    }
    if (s.alertmanagerUrl() != null) {
      channels.add(
          new AlertmanagerChannel(
              s.alertmanagerUrl(), s.resolveTimeout(), client, timeout, secrets, clock));
    }
    return channels;
  }
}
