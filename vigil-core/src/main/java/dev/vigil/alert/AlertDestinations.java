package dev.vigil.alert;

import dev.vigil.alert.internal.Secrets;
import dev.vigil.internal.Setting;
import dev.vigil.spi.Settings;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where alerts go: the destination of each built-in channel and the least severe alert each channel
 * receives, with the settings that give them. Part of {@link AlertSettings}; mutable while its
 * builder fills it, copied when it is built.
 */
final class AlertDestinations {
  private static final Pattern MIN_SEVERITY_VARIABLE =
      Pattern.compile("ALERT_([A-Z][A-Z0-9_]{0,31})_MIN_SEVERITY");
  private static final Pattern BOT_TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");
  private static final Pattern CHAT_ID = Pattern.compile("-?[0-9]{1,20}|@[A-Za-z0-9_]{4,64}");

  static final Setting<AlertDestinations, URI> WEBHOOK =
      Setting.<AlertDestinations>url("ALERT_WEBHOOK_URL", "http", "https")
          .secret()
          .method("webhook")
          .field(d -> d.webhookUrl, (d, v) -> d.webhookUrl = v);

  static final Setting<AlertDestinations, URI> SLACK =
      Setting.<AlertDestinations>url("SLACK_WEBHOOK_URL", "http", "https")
          .secret()
          .method("slackWebhook")
          .field(d -> d.slackWebhookUrl, (d, v) -> d.slackWebhookUrl = v);

  static final Setting<AlertDestinations, String> TELEGRAM_BOT_TOKEN =
      Setting.<AlertDestinations>text("TELEGRAM_BOT_TOKEN")
          .secret()
          .method("telegram botToken")
          .check(AlertDestinations::botToken)
          .field(d -> d.telegramBotToken, (d, v) -> d.telegramBotToken = v);

  static final Setting<AlertDestinations, String> TELEGRAM_CHAT_ID =
      Setting.<AlertDestinations>text("TELEGRAM_CHAT_ID")
          .method("telegram chatId")
          .check(AlertDestinations::chatId)
          .field(d -> d.telegramChatId, (d, v) -> d.telegramChatId = v);

  static final Setting<AlertDestinations, Long> TELEGRAM_TOPIC_ID =
      Setting.<AlertDestinations, Long>of(
              "TELEGRAM_TOPIC_ID", Long.class, AlertDestinations::parseTopicId)
          .method("telegram topicId")
          .check(AlertDestinations::topicId)
          .field(d -> d.telegramTopicId, (d, v) -> d.telegramTopicId = v);

  static final Setting<AlertDestinations, URI> TELEGRAM_API =
      Setting.<AlertDestinations>url("TELEGRAM_API_URL", "http", "https")
          .method("telegramApiUrl")
          .field(d -> d.telegramApiUrl, (d, v) -> d.telegramApiUrl = v);

  static final Setting<AlertDestinations, URI> ALERTMANAGER =
      Setting.<AlertDestinations>url("ALERTMANAGER_URL", "http", "https")
          .secret()
          .method("alertmanager")
          .field(d -> d.alertmanagerUrl, (d, v) -> d.alertmanagerUrl = v);

  /** {@code ALERT_<CHANNEL>_MIN_SEVERITY} of each built-in channel, in {@link #CHANNELS} order. */
  static final List<Setting<AlertDestinations, Severity>> MIN_SEVERITY = minSeverities();

  static final List<Setting<AlertDestinations, ?>> ALL = all();

  @Nullable URI webhookUrl;
  @Nullable URI slackWebhookUrl;
  @Nullable String telegramBotToken;
  @Nullable String telegramChatId;
  @Nullable Long telegramTopicId;
  URI telegramApiUrl = URI.create(AlertSettings.TELEGRAM_API);
  @Nullable URI alertmanagerUrl;
  final Map<String, Severity> minSeverity = new LinkedHashMap<>();

  AlertDestinations copy() {
    AlertDestinations c = new AlertDestinations();
    c.webhookUrl = webhookUrl;
    c.slackWebhookUrl = slackWebhookUrl;
    c.telegramBotToken = telegramBotToken;
    c.telegramChatId = telegramChatId;
    c.telegramTopicId = telegramTopicId;
    c.telegramApiUrl = telegramApiUrl;
    c.alertmanagerUrl = alertmanagerUrl;
    c.minSeverity.putAll(minSeverity);
    return c;
  }

  /**
   * Reads the destinations and routes of {@code settings}: the Telegram token and chat together or
   * neither, and the minimum severity of any channel, a user's own too ({@code
   * ALERT_PAGER_MIN_SEVERITY} routes the channel {@code pager}).
   */
  void read(Settings settings, Map<String, String> variables) {
    for (Setting<AlertDestinations, ?> setting :
        List.of(WEBHOOK, SLACK, TELEGRAM_API, ALERTMANAGER)) {
      setting.read(settings, this);
    }
    String token = TELEGRAM_BOT_TOKEN.value(settings);
    String chat = TELEGRAM_CHAT_ID.value(settings);
    Long topic = TELEGRAM_TOPIC_ID.value(settings);
    if (token != null || chat != null || topic != null) {
      if (token == null || chat == null) {
        throw new IllegalArgumentException(
            (token == null
                    ? "TELEGRAM_CHAT_ID"
                        + (topic != null ? "/TELEGRAM_TOPIC_ID" : "")
                        + " is set but TELEGRAM_BOT_TOKEN is not"
                    : "TELEGRAM_BOT_TOKEN is set but TELEGRAM_CHAT_ID is not")
                + ": set both to send alerts to Telegram, or neither.");
      }
      telegramBotToken = token;
      telegramChatId = chat;
      telegramTopicId = topic;
    }
    for (String name : new TreeSet<>(variables.keySet())) {
      Matcher m = MIN_SEVERITY_VARIABLE.matcher(name);
      if (m.matches()) {
        minSeveritySetting(m.group(1).toLowerCase(Locale.ROOT)).read(settings, this);
      }
    }
  }

  /** The least severe alert {@code channel} receives. */
  Severity minSeverity(String channel) {
    Severity configured = minSeverity.get(channel);
    if (configured != null) {
      return configured;
    }
    switch (channel) {
      case AlertSettings.SLACK:
      case AlertSettings.TELEGRAM:
        return Severity.WARNING;
      case AlertSettings.SENTRY:
        return Severity.ERROR;
      default:
        return Severity.INFO;
    }
  }

  /** The channel names with a destination configured (the log is always one). */
  List<String> configuredChannels() {
    List<String> names = new ArrayList<>();
    names.add(AlertSettings.LOG);
    if (webhookUrl != null) {
      names.add(AlertSettings.WEBHOOK);
    }
    if (slackWebhookUrl != null) {
      names.add(AlertSettings.SLACK);
    }
    if (telegramBotToken != null) {
      names.add(AlertSettings.TELEGRAM);
    }
    if (alertmanagerUrl != null) {
      names.add(AlertSettings.ALERTMANAGER);
    }
    return List.copyOf(names);
  }

  /** The channels with their destinations, secrets masked: safe to log. */
  void describe(StringBuilder out) {
    out.append("channels=[log");
    if (webhookUrl != null) {
      out.append(", webhook ").append(Secrets.maskUrl(webhookUrl));
    }
    if (slackWebhookUrl != null) {
      out.append(", slack ").append(Secrets.maskUrl(slackWebhookUrl));
    }
    if (telegramBotToken != null) {
      out.append(", telegram chat ").append(telegramChatId);
      if (telegramTopicId != null) {
        out.append(" topic ").append(telegramTopicId);
      }
      out.append(" via ").append(Secrets.maskUrl(telegramApiUrl)).append(" (bot token set)");
    }
    if (alertmanagerUrl != null) {
      out.append(", alertmanager ").append(Secrets.maskUrl(alertmanagerUrl));
    }
    out.append("], minSeverity={");
    String sep = "";
    for (String channel : configuredChannels()) {
      out.append(sep).append(channel).append('=').append(minSeverity(channel).label());
      sep = ", ";
    }
    out.append('}');
  }

  /** The {@code ALERT_<CHANNEL>_MIN_SEVERITY} setting of {@code channel}. */
  static Setting<AlertDestinations, Severity> minSeveritySetting(String channel) {
    return Setting.<AlertDestinations, Severity>of(
            "ALERT_" + channel.toUpperCase(Locale.ROOT) + "_MIN_SEVERITY",
            Severity.class,
            (name, text) -> {
              try {
                return Severity.parse(text);
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
              }
            })
        .method("minSeverity")
        .field(d -> d.minSeverity(channel), (d, severity) -> d.minSeverity.put(channel, severity));
  }

  /** A channel name of {@code minSeverity}, checked. */
  static String channel(String channel) {
    if (!AlertSettings.CHANNEL_NAME.matcher(channel).matches()) {
      throw new IllegalArgumentException(
          "minSeverity: channel '"
              + channel
              + "' is not a channel name (lower-case letters, digits and underscores, starting"
              + " with a letter, at most 32 characters), such as "
              + AlertSettings.CHANNELS);
    }
    return channel;
  }

  private static List<Setting<AlertDestinations, Severity>> minSeverities() {
    List<Setting<AlertDestinations, Severity>> settings = new ArrayList<>();
    for (String channel : AlertSettings.CHANNELS) {
      settings.add(minSeveritySetting(channel));
    }
    return List.copyOf(settings);
  }

  private static List<Setting<AlertDestinations, ?>> all() {
    List<Setting<AlertDestinations, ?>> all =
        new ArrayList<>(
            List.of(
                WEBHOOK,
                SLACK,
                TELEGRAM_BOT_TOKEN,
                TELEGRAM_CHAT_ID,
                TELEGRAM_TOPIC_ID,
                TELEGRAM_API,
                ALERTMANAGER));
    all.addAll(MIN_SEVERITY);
    return List.copyOf(all);
  }

  private static String botToken(String name, String token) {
    if (!BOT_TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException(
          name
              + " is not a Telegram bot token (digits, a colon, then letters, digits, '-'"
              + " and '_', as BotFather gives it); the value is not shown.");
    }
    return token;
  }

  private static String chatId(String name, String chatId) {
    if (!CHAT_ID.matcher(chatId).matches()) {
      throw new IllegalArgumentException(
          name
              + " must be a chat id such as -1001234567890 or a channel name such as"
              + " @alerts, got '"
              + chatId
              + "'");
    }
    return chatId;
  }

  private static Long parseTopicId(String name, String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a positive message_thread_id (the forum topic), got '" + text + "'", e);
    }
  }

  private static Long topicId(String name, Long id) {
    if (id <= 0) {
      throw new IllegalArgumentException(
          name + " must be a positive message_thread_id (the forum topic), got " + id);
    }
    return id;
  }
}
