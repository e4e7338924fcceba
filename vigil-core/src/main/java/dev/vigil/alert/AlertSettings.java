package dev.vigil.alert;

import dev.vigil.alert.internal.Secrets;
import dev.vigil.internal.EnvReader;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * exception messages.
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

  private static final Pattern MIN_SEVERITY_VARIABLE =
      Pattern.compile("ALERT_([A-Z][A-Z0-9_]{0,31})_MIN_SEVERITY");
  private static final Pattern BOT_TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");
  private static final Pattern CHAT_ID = Pattern.compile("-?[0-9]{1,20}|@[A-Za-z0-9_]{4,64}");

  private final boolean enabled;
  private final @Nullable URI webhookUrl;
  private final @Nullable URI slackWebhookUrl;
  private final @Nullable String telegramBotToken;
  private final @Nullable String telegramChatId;
  private final @Nullable Long telegramTopicId;
  private final URI telegramApiUrl;
  private final @Nullable URI alertmanagerUrl;
  private final Map<String, Severity> minSeverity;
  private final Duration cooldown;
  private final int paymentFailureThreshold;
  private final Duration paymentFailureWindow;
  private final int errorRateThreshold;
  private final Duration errorRateWindow;
  private final int queueCapacity;
  private final int maxAttempts;
  private final Duration retryDelay;
  private final Duration maxRetryDelay;
  private final Duration timeout;
  private final Duration closeTimeout;
  private final Duration resolveTimeout;

  private AlertSettings(Builder b) {
    this.enabled = b.enabled;
    this.webhookUrl = b.webhookUrl;
    this.slackWebhookUrl = b.slackWebhookUrl;
    this.telegramBotToken = b.telegramBotToken;
    this.telegramChatId = b.telegramChatId;
    this.telegramTopicId = b.telegramTopicId;
    this.telegramApiUrl = b.telegramApiUrl;
    this.alertmanagerUrl = b.alertmanagerUrl;
    this.minSeverity = Map.copyOf(b.minSeverity);
    this.cooldown = b.cooldown;
    this.paymentFailureThreshold = b.paymentFailureThreshold;
    this.paymentFailureWindow = b.paymentFailureWindow;
    this.errorRateThreshold = b.errorRateThreshold;
    this.errorRateWindow = b.errorRateWindow;
    this.queueCapacity = b.queueCapacity;
    this.maxAttempts = b.maxAttempts;
    this.retryDelay = b.retryDelay;
    this.maxRetryDelay = b.maxRetryDelay;
    this.timeout = b.timeout;
    this.closeTimeout = b.closeTimeout;
    this.resolveTimeout = b.resolveTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether alerts are raised at all ({@code ENABLE_ALERTS}); default true. */
  public boolean enabled() {
    return enabled;
  }

  public @Nullable URI webhookUrl() {
    return webhookUrl;
  }

  public @Nullable URI slackWebhookUrl() {
    return slackWebhookUrl;
  }

  public @Nullable String telegramBotToken() {
    return telegramBotToken;
  }

  public @Nullable String telegramChatId() {
    return telegramChatId;
  }

  /** The forum topic ({@code message_thread_id}), or null for the chat itself. */
  public @Nullable Long telegramTopicId() {
    return telegramTopicId;
  }

  public URI telegramApiUrl() {
    return telegramApiUrl;
  }

  public @Nullable URI alertmanagerUrl() {
    return alertmanagerUrl;
  }

  /** The least severe alert {@code channel} receives. */
  public Severity minSeverity(String channel) {
    Severity configured = minSeverity.get(channel);
    if (configured != null) {
      return configured;
    }
    switch (channel) {
      case SLACK:
      case TELEGRAM:
        return Severity.WARNING;
      case SENTRY:
        return Severity.ERROR;
      default:
        return Severity.INFO;
    }
  }

  /** How long repeats of one alert are merged; zero notifies every time. */
  public Duration cooldown() {
    return cooldown;
  }

  /**
   * Tracked payment failures inside {@link #paymentFailureWindow()} that raise an alert; 0 = off.
   */
  public int paymentFailureThreshold() {
    return paymentFailureThreshold;
  }

  public Duration paymentFailureWindow() {
    return paymentFailureWindow;
  }

  /**
   * Errors from {@code handleError} inside {@link #errorRateWindow()} that raise an alert; 0 = off.
   */
  public int errorRateThreshold() {
    return errorRateThreshold;
  }

  public Duration errorRateWindow() {
    return errorRateWindow;
  }

  /** The most alerts waiting for the delivery thread, and for each channel. */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** Delivery attempts per notification and channel, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The delay before the first retry; it doubles for each further retry, with jitter. */
  public Duration retryDelay() {
    return retryDelay;
  }

  /** The longest wait before a retry, a server's {@code Retry-After} included. */
  public Duration maxRetryDelay() {
    return maxRetryDelay;
  }

  /** The time limit of one delivery attempt. */
  public Duration timeout() {
    return timeout;
  }

  /** How long {@code Monitoring.close()} waits for pending alerts to be delivered. */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** How long after its last notification Alertmanager considers an alert resolved. */
  public Duration resolveTimeout() {
    return resolveTimeout;
  }

  /** The channel names with a destination configured (the log is always one). */
  public List<String> configuredChannels() {
    java.util.ArrayList<String> names = new java.util.ArrayList<>();
    names.add(LOG);
    if (webhookUrl != null) {
      names.add(WEBHOOK);
    }
    if (slackWebhookUrl != null) {
      names.add(SLACK);
    }
    if (telegramBotToken != null) {
      names.add(TELEGRAM);
    }
    if (alertmanagerUrl != null) {
      names.add(ALERTMANAGER);
    }
    return List.copyOf(names);
  }

  /** The settings with secrets masked: safe to log. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("AlertSettings{enabled=").append(enabled);
    out.append(", channels=[log");
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
    return out.append("}, cooldown=")
        .append(cooldown)
        .append(", paymentFailures=")
        .append(paymentFailureThreshold)
        .append(" in ")
        .append(paymentFailureWindow)
        .append(", errors=")
        .append(errorRateThreshold)
        .append(" in ")
        .append(errorRateWindow)
        .append(", queueCapacity=")
        .append(queueCapacity)
        .append(", maxAttempts=")
        .append(maxAttempts)
        .append(", retryDelay=")
        .append(retryDelay)
        .append(", maxRetryDelay=")
        .append(maxRetryDelay)
        .append(", timeout=")
        .append(timeout)
        .append(", closeTimeout=")
        .append(closeTimeout)
        .append(", resolveTimeout=")
        .append(resolveTimeout)
        .append('}')
        .toString();
  }

  /**
   * Configures alerting. Each method checks its argument at once and names itself in the message;
   * environment values read by {@link #readEnvironment(Map)} are overridden by methods called after
   * it.
   */
  public static final class Builder {
    private boolean enabled = true;
    private @Nullable URI webhookUrl;
    private @Nullable URI slackWebhookUrl;
    private @Nullable String telegramBotToken;
    private @Nullable String telegramChatId;
    private @Nullable Long telegramTopicId;
    private URI telegramApiUrl = URI.create(TELEGRAM_API);
    private @Nullable URI alertmanagerUrl;
    private final Map<String, Severity> minSeverity = new LinkedHashMap<>();
    private Duration cooldown = Duration.ofMinutes(5);
    private int paymentFailureThreshold = 3;
    private Duration paymentFailureWindow = Duration.ofMinutes(5);
    private int errorRateThreshold = 50;
    private Duration errorRateWindow = Duration.ofMinutes(5);
    private int queueCapacity = 1000;
    private int maxAttempts = 5;
    private Duration retryDelay = Duration.ofSeconds(1);
    private Duration maxRetryDelay = Duration.ofMinutes(1);
    private Duration timeout = Duration.ofSeconds(10);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private Duration resolveTimeout = Duration.ofMinutes(15);

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
      EnvReader env = new EnvReader(variables);
      Boolean on = env.bool("ENABLE_ALERTS");
      if (on != null) {
        enabled = on;
      }
      String webhook = env.secret("ALERT_WEBHOOK_URL");
      if (webhook != null) {
        webhookUrl = url("ALERT_WEBHOOK_URL", webhook, true);
      }
      String slack = env.secret("SLACK_WEBHOOK_URL");
      if (slack != null) {
        slackWebhookUrl = url("SLACK_WEBHOOK_URL", slack, true);
      }
      String token = env.secret("TELEGRAM_BOT_TOKEN");
      String chat = env.string("TELEGRAM_CHAT_ID");
      String topic = env.string("TELEGRAM_TOPIC_ID");
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
        telegramBotToken = botToken("TELEGRAM_BOT_TOKEN", token);
        telegramChatId = chatId("TELEGRAM_CHAT_ID", chat);
        telegramTopicId = topic == null ? null : topicId("TELEGRAM_TOPIC_ID", topic);
      }
      String api = env.string("TELEGRAM_API_URL");
      if (api != null) {
        telegramApiUrl = url("TELEGRAM_API_URL", api, false);
      }
      String am = env.string("ALERTMANAGER_URL");
      if (am != null) {
        alertmanagerUrl = url("ALERTMANAGER_URL", am, true);
      }
      // Any channel's, a user's own too: ALERT_PAGER_MIN_SEVERITY routes the channel "pager".
      for (String name : new java.util.TreeSet<>(variables.keySet())) {
        java.util.regex.Matcher m = MIN_SEVERITY_VARIABLE.matcher(name);
        String value = env.string(name);
        if (!m.matches() || value == null) {
          continue;
        }
        try {
          minSeverity.put(m.group(1).toLowerCase(Locale.ROOT), Severity.parse(value));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
      }
      Duration d = env.duration("ALERT_COOLDOWN");
      if (d != null) {
        cooldown = between("ALERT_COOLDOWN", d, Duration.ZERO, Duration.ofDays(1));
      }
      Integer n = env.integer("ALERT_PAYMENT_FAILURE_THRESHOLD", 0, 10_000);
      if (n != null) {
        paymentFailureThreshold = n;
      }
      d = env.duration("ALERT_PAYMENT_FAILURE_WINDOW");
      if (d != null) {
        paymentFailureWindow = window("ALERT_PAYMENT_FAILURE_WINDOW", d);
      }
      n = env.integer("ALERT_ERROR_RATE_THRESHOLD", 0, 10_000);
      if (n != null) {
        errorRateThreshold = n;
      }
      d = env.duration("ALERT_ERROR_RATE_WINDOW");
      if (d != null) {
        errorRateWindow = window("ALERT_ERROR_RATE_WINDOW", d);
      }
      n = env.integer("ALERT_QUEUE_CAPACITY", 1, 100_000);
      if (n != null) {
        queueCapacity = n;
      }
      n = env.integer("ALERT_MAX_ATTEMPTS", 1, 20);
      if (n != null) {
        maxAttempts = n;
      }
      d = env.duration("ALERT_RETRY_DELAY");
      if (d != null) {
        retryDelay = between("ALERT_RETRY_DELAY", d, Duration.ofMillis(1), Duration.ofMinutes(10));
      }
      d = env.duration("ALERT_MAX_RETRY_DELAY");
      if (d != null) {
        maxRetryDelay =
            between("ALERT_MAX_RETRY_DELAY", d, Duration.ofMillis(1), Duration.ofHours(1));
      }
      d = env.duration("ALERT_TIMEOUT");
      if (d != null) {
        timeout = between("ALERT_TIMEOUT", d, Duration.ofMillis(100), Duration.ofMinutes(5));
      }
      d = env.duration("ALERT_CLOSE_TIMEOUT");
      if (d != null) {
        closeTimeout = between("ALERT_CLOSE_TIMEOUT", d, Duration.ZERO, Duration.ofMinutes(5));
      }
      d = env.duration("ALERTMANAGER_RESOLVE_TIMEOUT");
      if (d != null) {
        resolveTimeout =
            between("ALERTMANAGER_RESOLVE_TIMEOUT", d, Duration.ofMinutes(1), Duration.ofDays(7));
      }
      return this;
    }

    /** Whether alerts are raised at all; default true. Off, every alert call does nothing. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /**
     * Posts every alert as JSON to this URL ({@code type}, {@code severity}, {@code message},
     * {@code service}, {@code environment}, {@code time}, {@code first_seen}, {@code occurrences},
     * {@code grouping}, {@code context}).
     */
    public Builder webhook(String url) {
      Objects.requireNonNull(url, "webhook url must not be null");
      this.webhookUrl = url("webhook", url, true);
      return this;
    }

    /** Posts alerts to a Slack incoming webhook ({@code https://hooks.slack.com/services/...}). */
    public Builder slackWebhook(String url) {
      Objects.requireNonNull(url, "slackWebhook url must not be null");
      this.slackWebhookUrl = url("slackWebhook", url, true);
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
      Objects.requireNonNull(botToken, "telegram botToken must not be null");
      Objects.requireNonNull(chatId, "telegram chatId must not be null");
      this.telegramBotToken = botToken("telegram botToken", botToken);
      this.telegramChatId = chatId("telegram chatId", chatId);
      this.telegramTopicId = null;
      return this;
    }

    /** Like {@link #telegram(String, String)}, into the forum topic {@code topicId}. */
    public Builder telegram(String botToken, String chatId, long topicId) {
      telegram(botToken, chatId);
      if (topicId <= 0) {
        throw new IllegalArgumentException(
            "telegram topicId must be a positive message_thread_id, got " + topicId);
      }
      this.telegramTopicId = topicId;
      return this;
    }

    /** The Bot API server; default {@value #TELEGRAM_API}. For self-hosted Bot API servers. */
    public Builder telegramApiUrl(String url) {
      Objects.requireNonNull(url, "telegramApiUrl must not be null");
      this.telegramApiUrl = url("telegramApiUrl", url, false);
      return this;
    }

    /**
     * Posts alerts to Alertmanager's API v2 ({@code POST <url>/api/v2/alerts}), such as {@code
     * http://alertmanager:9093}.
     */
    public Builder alertmanager(String url) {
      Objects.requireNonNull(url, "alertmanager url must not be null");
      this.alertmanagerUrl = url("alertmanager", url, true);
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
      if (!CHANNEL_NAME.matcher(channel).matches()) {
        throw new IllegalArgumentException(
            "minSeverity: channel '"
                + channel
                + "' is not a channel name (lower-case letters, digits and underscores, starting"
                + " with a letter, at most 32 characters), such as "
                + CHANNELS);
      }
      minSeverity.put(channel, severity);
      return this;
    }

    /**
     * How long repeats of the same alert are merged into one notification; default 5 minutes, zero
     * to notify every time, at most a day.
     */
    public Builder cooldown(Duration cooldown) {
      Objects.requireNonNull(cooldown, "cooldown must not be null");
      this.cooldown = between("cooldown", cooldown, Duration.ZERO, Duration.ofDays(1));
      return this;
    }

    /**
     * Raises a payment alert when {@code count} payment failures are tracked within {@code window};
     * default 3 within 5 minutes. A count of 0 turns the automatic alert off; 1 alerts on every
     * failure.
     */
    public Builder paymentFailureThreshold(int count, Duration window) {
      this.paymentFailureThreshold = count("paymentFailureThreshold", count);
      this.paymentFailureWindow =
          window("paymentFailureThreshold window", Objects.requireNonNull(window, "window"));
      return this;
    }

    /**
     * Raises an error-rate alert when {@code count} errors are reported with {@code handleError} or
     * {@code handleCriticalError} within {@code window}; default 50 within 5 minutes; 0 off.
     */
    public Builder errorRateThreshold(int count, Duration window) {
      this.errorRateThreshold = count("errorRateThreshold", count);
      this.errorRateWindow =
          window("errorRateThreshold window", Objects.requireNonNull(window, "window"));
      return this;
    }

    /**
     * The most alerts waiting for delivery, in the queue and for each channel; default 1000. Past
     * it, alerts are dropped and counted in {@code vigil_alerts_dropped_total}.
     */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1 || capacity > 100_000) {
        throw new IllegalArgumentException(
            "queueCapacity must be between 1 and 100000, got " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /** Delivery attempts per notification and channel, the first included; default 5, 1 to 20. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 20) {
        throw new IllegalArgumentException("maxAttempts must be between 1 and 20, got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * The delay before the first retry (default 1 s), doubled for each further one with jitter, up
     * to {@code maxDelay} (default 1 minute). A server's {@code Retry-After} longer than {@code
     * maxDelay} ends the retries.
     */
    public Builder retryDelay(Duration firstDelay, Duration maxDelay) {
      Objects.requireNonNull(firstDelay, "retryDelay firstDelay must not be null");
      Objects.requireNonNull(maxDelay, "retryDelay maxDelay must not be null");
      this.retryDelay =
          between(
              "retryDelay firstDelay", firstDelay, Duration.ofMillis(1), Duration.ofMinutes(10));
      this.maxRetryDelay =
          between("retryDelay maxDelay", maxDelay, Duration.ofMillis(1), Duration.ofHours(1));
      return this;
    }

    /** The time limit of one delivery attempt; default 10 s, 100 ms to 5 minutes. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout must not be null");
      this.timeout = between("timeout", timeout, Duration.ofMillis(100), Duration.ofMinutes(5));
      return this;
    }

    /**
     * How long {@code Monitoring.close()} waits for pending alerts; default 5 s, at most 5 minutes.
     * What is left then is dropped and counted.
     */
    public Builder closeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "closeTimeout must not be null");
      this.closeTimeout = between("closeTimeout", timeout, Duration.ZERO, Duration.ofMinutes(5));
      return this;
    }

    /**
     * How long after its last notification Alertmanager resolves an alert ({@code endsAt}); default
     * 15 minutes. Must be longer than the cool-down, so a repeating alert stays firing.
     */
    public Builder alertmanagerResolveTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "alertmanagerResolveTimeout must not be null");
      this.resolveTimeout =
          between("alertmanagerResolveTimeout", timeout, Duration.ofMinutes(1), Duration.ofDays(7));
      return this;
    }

    /**
     * @throws IllegalStateException if the settings contradict each other
     */
    public AlertSettings build() {
      if (maxRetryDelay.compareTo(retryDelay) < 0) {
        throw new IllegalStateException(
            "The longest retry delay ("
                + maxRetryDelay
                + ", ALERT_MAX_RETRY_DELAY) is shorter"
                + " than the first ("
                + retryDelay
                + ", ALERT_RETRY_DELAY); raise the former.");
      }
      if (alertmanagerUrl != null && resolveTimeout.compareTo(cooldown) <= 0) {
        throw new IllegalStateException(
            "The Alertmanager resolve timeout ("
                + resolveTimeout
                + ", ALERTMANAGER_RESOLVE_TIMEOUT) must be longer than the alert cool-down ("
                + cooldown
                + ", ALERT_COOLDOWN), or a repeating alert would resolve between"
                + " two notifications.");
      }
      return new AlertSettings(this);
    }

    private static int count(String setting, int count) {
      if (count < 0 || count > 10_000) {
        throw new IllegalArgumentException(
            setting + " count must be between 0 (off) and 10000, got " + count);
      }
      return count;
    }

    private static Duration window(String setting, Duration window) {
      return between(setting, window, Duration.ofSeconds(1), Duration.ofDays(1));
    }

    private static Duration between(String setting, Duration value, Duration min, Duration max) {
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            setting
                + " must be between "
                + human(min)
                + " and "
                + human(max)
                + ", got "
                + human(value));
      }
      return value;
    }

    private static String human(Duration d) {
      return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /**
     * An absolute http(s) URL. A secret one (webhook URLs carry their credential in the path) is
     * never quoted back in the message.
     */
    static URI url(String setting, String value, boolean secret) {
      String shown = secret ? "(value not shown: it may contain a secret)" : "'" + value + "'";
      URI uri;
      try {
        uri = new URI(value.strip());
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException(
            setting + " must be an absolute http or https URL; the value is malformed " + shown);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            setting
                + " must be an absolute http or https URL with a host, such as"
                + " https://example.com/hook; got "
                + shown);
      }
      return uri;
    }

    private static String botToken(String setting, String token) {
      String value = token.strip();
      if (!BOT_TOKEN.matcher(value).matches()) {
        throw new IllegalArgumentException(
            setting
                + " is not a Telegram bot token (digits, a colon, then letters, digits, '-'"
                + " and '_', as BotFather gives it); the value is not shown.");
      }
      return value;
    }

    private static String chatId(String setting, String chatId) {
      String value = chatId.strip();
      if (!CHAT_ID.matcher(value).matches()) {
        throw new IllegalArgumentException(
            setting
                + " must be a chat id such as -1001234567890 or a channel name such as"
                + " @alerts, got '"
                + chatId
                + "'");
      }
      return value;
    }

    private static long topicId(String setting, String topic) {
      try {
        long id = Long.parseLong(topic.strip());
        if (id > 0) {
          return id;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          setting + " must be a positive message_thread_id (the forum topic), got '" + topic + "'");
    }
  }
}
