package dev.vigil.alert;

import dev.vigil.internal.Setting;
import dev.vigil.spi.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where alerts go and when: channels, the minimum severity of each, thresholds and windows of the
 * automatic alerts, the cool-down, and delivery limits. Built through {@code
 * Monitoring.builder(..)}, which reads the environment variables listed on {@link
 * Builder#readEnvironment(Map)}.
 *
 * <pre>{@code
 * Monitoring monitoring = Monitoring.builder("api")
 *     .telegram(botToken, "-1001234567890")
 *     .alertmanager("http://alertmanager:9093")
 *     .alerting(alerts -> alerts
 *         .minSeverity(AlertSettings.TELEGRAM, Severity.ERROR)
 *         .paymentFailureThreshold(5, Duration.ofMinutes(10))
 *         .cooldown(Duration.ofMinutes(15)))
 *     .build();
 * }</pre>
 *
 * <p>Secrets (the bot token, webhook URLs) are never shown by {@link #toString()}, in logs or in
 * exception messages. Each setting is declared once, with its environment variable, its builder
 * method and its bounds, in the part it belongs to: the destinations and routes of the channels,
 * the rules that raise alerts, and the tuning of their delivery.
 */
public final class AlertSettings {
  /** Channel names, as used in {@link Builder#minSeverity} and the {@code channel} label. */
  public static final String LOG = "log";

  public static final String WEBHOOK = "webhook";
  public static final String SLACK = "slack";
  public static final String TELEGRAM = "telegram";
  public static final String ALERTMANAGER = "alertmanager";
  public static final String SENTRY = "sentry";

  /** Every channel name, in the order channels are set up. */
  public static final List<String> CHANNELS =
      List.of(LOG, WEBHOOK, SLACK, TELEGRAM, ALERTMANAGER, SENTRY);

  /** The public Bot API server. */
  public static final String TELEGRAM_API = "https://api.telegram.org";

  /** A channel name: the {@code channel} label of the self-metrics. */
  public static final Pattern CHANNEL_NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

  private final AlertDestinations destinations;
  private final AlertRules rules;
  private final AlertDelivery delivery;

  private AlertSettings(Builder b) {
    this.destinations = b.destinations.copy();
    this.rules = b.rules.copy();
    this.delivery = b.delivery.copy();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether alerts are raised at all ({@code ENABLE_ALERTS}); default true. */
  public boolean enabled() {
    return rules.enabled;
  }

  public @Nullable URI webhookUrl() {
    return destinations.webhookUrl;
  }

  public @Nullable URI slackWebhookUrl() {
    return destinations.slackWebhookUrl;
  }

  public @Nullable String telegramBotToken() {
    return destinations.telegramBotToken;
  }

  public @Nullable String telegramChatId() {
    return destinations.telegramChatId;
  }

  /** The forum topic ({@code message_thread_id}), or null for the chat itself. */
  public @Nullable Long telegramTopicId() {
    return destinations.telegramTopicId;
  }

  public URI telegramApiUrl() {
    return destinations.telegramApiUrl;
  }

  public @Nullable URI alertmanagerUrl() {
    return destinations.alertmanagerUrl;
  }

  /** The least severe alert {@code channel} receives. */
  public Severity minSeverity(String channel) {
    return destinations.minSeverity(channel);
  }

  /** How long repeats of one alert are merged; zero notifies every time. */
  public Duration cooldown() {
    return rules.cooldown;
  }

  /**
   * Tracked payment failures inside {@link #paymentFailureWindow()} that raise an alert; 0 = off.
   */
  public int paymentFailureThreshold() {
    return rules.paymentFailureThreshold;
  }

  public Duration paymentFailureWindow() {
    return rules.paymentFailureWindow;
  }

  /**
   * Errors from {@code handleError} inside {@link #errorRateWindow()} that raise an alert; 0 = off.
   */
  public int errorRateThreshold() {
    return rules.errorRateThreshold;
  }

  public Duration errorRateWindow() {
    return rules.errorRateWindow;
  }

  /** The most alerts waiting for the delivery thread, and for each channel. */
  public int queueCapacity() {
    return delivery.queueCapacity;
  }

  /** Delivery attempts per notification and channel, the first included. */
  public int maxAttempts() {
    return delivery.maxAttempts;
  }

  /** The delay before the first retry; it doubles for each further retry, with jitter. */
  public Duration retryDelay() {
    return delivery.retryDelay;
  }

  /** The longest wait before a retry, a server's {@code Retry-After} included. */
  public Duration maxRetryDelay() {
    return delivery.maxRetryDelay;
  }

  /** The time limit of one delivery attempt. */
  public Duration timeout() {
    return delivery.timeout;
  }

  /** How long {@code Monitoring.close()} waits for pending alerts to be delivered. */
  public Duration closeTimeout() {
    return delivery.closeTimeout;
  }

  /** How long after its last notification Alertmanager considers an alert resolved. */
  public Duration resolveTimeout() {
    return delivery.resolveTimeout;
  }

  /** The channel names with a destination configured (the log is always one). */
  public List<String> configuredChannels() {
    return destinations.configuredChannels();
  }

  /** The settings with secrets masked: safe to log. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("AlertSettings{enabled=").append(rules.enabled);
    out.append(", ");
    destinations.describe(out);
    out.append(", ");
    rules.describe(out);
    out.append(", ");
    delivery.describe(out);
    return out.append('}').toString();
  }

  /**
   * Configures alerting. Each method checks its argument at once, with the bounds of its
   * environment variable, and names itself in the message; environment values read by {@link
   * #readEnvironment(Map)} are overridden by methods called after it.
   */
  public static final class Builder {
    final AlertDestinations destinations = new AlertDestinations();
    final AlertRules rules = new AlertRules();
    final AlertDelivery delivery = new AlertDelivery();

    private Builder() {}

    /**
     * Reads the alerting variables from {@code variables}:
     *
     * <table>
     *   <caption>Environment variables</caption>
     *   <tr><th>variable</th><th>default</th></tr>
     *   <tr><td>{@code ENABLE_ALERTS}</td><td>true</td></tr>
     *   <tr><td>{@code ALERT_WEBHOOK_URL} (or {@code _FILE})</td><td>none</td></tr>
     *   <tr><td>{@code SLACK_WEBHOOK_URL} (or {@code _FILE})</td><td>none</td></tr>
     *   <tr><td>{@code TELEGRAM_BOT_TOKEN} (or {@code _FILE}), {@code TELEGRAM_CHAT_ID}</td>
     *       <td>none</td></tr>
     *   <tr><td>{@code TELEGRAM_TOPIC_ID}</td><td>none</td></tr>
     *   <tr><td>{@code TELEGRAM_API_URL}</td><td>{@value #TELEGRAM_API}</td></tr>
     *   <tr><td>{@code ALERTMANAGER_URL}</td><td>none</td></tr>
     *   <tr><td>{@code ALERT_<CHANNEL>_MIN_SEVERITY}</td>
     *       <td>info; warning for Slack and Telegram; error for Sentry</td></tr>
     *   <tr><td>{@code ALERT_COOLDOWN}</td><td>5m</td></tr>
     *   <tr><td>{@code ALERT_PAYMENT_FAILURE_THRESHOLD}, {@code ALERT_PAYMENT_FAILURE_WINDOW}</td>
     *       <td>3, 5m</td></tr>
     *   <tr><td>{@code ALERT_ERROR_RATE_THRESHOLD}, {@code ALERT_ERROR_RATE_WINDOW}</td>
     *       <td>50, 5m</td></tr>
     *   <tr><td>{@code ALERT_QUEUE_CAPACITY}</td><td>1000</td></tr>
     *   <tr><td>{@code ALERT_MAX_ATTEMPTS}</td><td>5</td></tr>
     *   <tr><td>{@code ALERT_RETRY_DELAY}, {@code ALERT_MAX_RETRY_DELAY}</td><td>1s, 1m</td></tr>
     *   <tr><td>{@code ALERT_TIMEOUT}</td><td>10s</td></tr>
     *   <tr><td>{@code ALERT_CLOSE_TIMEOUT}</td><td>5s</td></tr>
     *   <tr><td>{@code ALERTMANAGER_RESOLVE_TIMEOUT}</td><td>15m</td></tr>
     * </table>
     *
     * @throws IllegalArgumentException naming the variable, if one is malformed (secret values are
     *     not shown)
     */
    public Builder readEnvironment(Map<String, String> variables) {
      Settings settings = Settings.of(variables);
      for (Setting<AlertRules, ?> setting : AlertRules.ALL) {
        setting.read(settings, rules);
      }
      destinations.read(settings, variables);
      for (Setting<AlertDelivery, ?> setting : AlertDelivery.ALL) {
        setting.read(settings, delivery);
      }
      return this;
    }

    /** Whether alerts are raised at all; default true. Off, every alert call does nothing. */
    public Builder enabled(boolean enabled) {
      rules.enabled = enabled;
      return this;
    }

    /**
     * Posts every alert as JSON to this URL ({@code type}, {@code severity}, {@code message},
     * {@code service}, {@code environment}, {@code time}, {@code first_seen}, {@code occurrences},
     * {@code grouping}, {@code context}).
     */
    public Builder webhook(String url) {
      destinations.webhookUrl = AlertDestinations.WEBHOOK.parse(url);
      return this;
    }

    /** Posts alerts to a Slack incoming webhook ({@code https://hooks.slack.com/services/...}). */
    public Builder slackWebhook(String url) {
      destinations.slackWebhookUrl = AlertDestinations.SLACK.parse(url);
      return this;
    }

    /**
     * Sends alerts with the Bot API's {@code sendMessage} to a chat.
     *
     * @param botToken the token BotFather gave, such as {@code 123456:ABC-DEF...}
     * @param chatId the chat's id (groups and channels are negative, such as {@code
     *     -1001234567890}) or {@code @channelname}
     */
    public Builder telegram(String botToken, String chatId) {
      String token = AlertDestinations.TELEGRAM_BOT_TOKEN.check(botToken);
      String chat = AlertDestinations.TELEGRAM_CHAT_ID.check(chatId);
      destinations.telegramBotToken = token;
      destinations.telegramChatId = chat;
      destinations.telegramTopicId = null;
      return this;
    }

    /** Like {@link #telegram(String, String)}, into the forum topic {@code topicId}. */
    public Builder telegram(String botToken, String chatId, long topicId) {
      Long topic = AlertDestinations.TELEGRAM_TOPIC_ID.check(topicId);
      telegram(botToken, chatId);
      destinations.telegramTopicId = topic;
      return this;
    }

    /** The Bot API server; default {@value #TELEGRAM_API}. For self-hosted Bot API servers. */
    public Builder telegramApiUrl(String url) {
      destinations.telegramApiUrl = AlertDestinations.TELEGRAM_API.parse(url);
      return this;
    }

    /**
     * Posts alerts to Alertmanager's API v2 ({@code POST <url>/api/v2/alerts}), such as {@code
     * http://alertmanager:9093}.
     */
    public Builder alertmanager(String url) {
      destinations.alertmanagerUrl = AlertDestinations.ALERTMANAGER.parse(url);
      return this;
    }

    /**
     * The least severe alert {@code channel} receives. Defaults: {@code info} for the log, the
     * webhook and Alertmanager; {@code warning} for Slack and Telegram; {@code error} for Sentry.
     *
     * <p>A channel of your own ({@code Monitoring.Builder.alertChannel}) receives {@code info} and
     * above unless set here.
     *
     * @param channel one of {@link #CHANNELS}, or the name of a channel of your own
     */
    public Builder minSeverity(String channel, Severity severity) {
      Objects.requireNonNull(channel, "minSeverity channel must not be null");
      Objects.requireNonNull(severity, "minSeverity severity must not be null");
      destinations.minSeverity.put(AlertDestinations.channel(channel), severity);
      return this;
    }

    /**
     * How long repeats of the same alert are merged into one notification; default 5 minutes, zero
     * to notify every time, at most a day.
     */
    public Builder cooldown(Duration cooldown) {
      rules.cooldown = AlertRules.COOLDOWN.check(cooldown);
      return this;
    }

    /**
     * Raises a payment alert when {@code count} payment failures are tracked within {@code window};
     * default 3 within 5 minutes. A count of 0 turns the automatic alert off; 1 alerts on every
     * failure.
     */
    public Builder paymentFailureThreshold(int count, Duration window) {
      int checked = AlertRules.PAYMENT_FAILURE_THRESHOLD.check(count);
      rules.paymentFailureWindow = AlertRules.PAYMENT_FAILURE_WINDOW.check(window);
      rules.paymentFailureThreshold = checked;
      return this;
    }

    /**
     * Raises an error-rate alert when {@code count} errors are reported with {@code handleError} or
     * {@code handleCriticalError} within {@code window}; default 50 within 5 minutes; 0 off.
     */
    public Builder errorRateThreshold(int count, Duration window) {
      int checked = AlertRules.ERROR_RATE_THRESHOLD.check(count);
      rules.errorRateWindow = AlertRules.ERROR_RATE_WINDOW.check(window);
      rules.errorRateThreshold = checked;
      return this;
    }

    /**
     * The most alerts waiting for delivery, in the queue and for each channel; default 1000, 1 to
     * 100,000. Past it, alerts are dropped and counted in {@code vigil_alerts_dropped_total}.
     */
    public Builder queueCapacity(int capacity) {
      delivery.queueCapacity = AlertDelivery.QUEUE_CAPACITY.check(capacity);
      return this;
    }

    /** Delivery attempts per notification and channel, the first included; default 5, 1 to 20. */
    public Builder maxAttempts(int attempts) {
      delivery.maxAttempts = AlertDelivery.MAX_ATTEMPTS.check(attempts);
      return this;
    }

    /**
     * The delay before the first retry (default 1 s, 1 ms to 10 minutes), doubled for each further
     * one with jitter, up to {@code maxDelay} (default 1 minute, at most an hour). A server's
     * {@code Retry-After} longer than {@code maxDelay} ends the retries.
     */
    public Builder retryDelay(Duration firstDelay, Duration maxDelay) {
      Duration first = AlertDelivery.RETRY_DELAY.check(firstDelay);
      delivery.maxRetryDelay = AlertDelivery.MAX_RETRY_DELAY.check(maxDelay);
      delivery.retryDelay = first;
      return this;
    }

    /** The time limit of one delivery attempt; default 10 s, 100 ms to 5 minutes. */
    public Builder timeout(Duration timeout) {
      delivery.timeout = AlertDelivery.TIMEOUT.check(timeout);
      return this;
    }

    /**
     * How long {@code Monitoring.close()} waits for pending alerts; default 5 s, at most 5 minutes.
     * What is left then is dropped and counted.
     */
    public Builder closeTimeout(Duration timeout) {
      delivery.closeTimeout = AlertDelivery.CLOSE_TIMEOUT.check(timeout);
      return this;
    }

    /**
     * How long after its last notification Alertmanager resolves an alert ({@code endsAt}); default
     * 15 minutes, 1 minute to 7 days. Must be longer than the cool-down, so a repeating alert stays
     * firing.
     */
    public Builder alertmanagerResolveTimeout(Duration timeout) {
      delivery.resolveTimeout = AlertDelivery.RESOLVE_TIMEOUT.check(timeout);
      return this;
    }

    /**
     * @throws IllegalStateException if the settings contradict each other
     */
    public AlertSettings build() {
      delivery.checkConsistent();
      if (destinations.alertmanagerUrl != null
          && delivery.resolveTimeout.compareTo(rules.cooldown) <= 0) {
        throw new IllegalStateException(
            "The Alertmanager resolve timeout ("
                + delivery.resolveTimeout
                + ", ALERTMANAGER_RESOLVE_TIMEOUT) must be longer than the alert cool-down ("
                + rules.cooldown
                + ", ALERT_COOLDOWN), or a repeating alert would resolve between"
                + " two notifications.");
      }
      return new AlertSettings(this);
    }
  }
}
