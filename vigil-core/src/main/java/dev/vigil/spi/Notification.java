package dev.vigil.spi;

import dev.vigil.alert.Severity;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One message to people about an alert, as an {@link AlertChannel} formats it: already redacted,
 * with the number of occurrences it stands for (1, or the repeats merged during a cool-down).
 * Immutable; shared by every channel it is routed to.
 *
 * <p>Vigil builds these; a channel only reads them. The {@linkplain #builder builder} is for
 * testing a channel of your own:
 *
 * <pre>{@code
 * Notification n = Notification.builder("quota_exhausted", Severity.WARNING, "OpenAI quota at 95%")
 *     .service("api")
 *     .grouping(Map.of("provider", "openai"))
 *     .context(Map.of("used", 0.95))
 *     .time(Instant.parse("2026-03-01T12:00:00Z"))
 *     .build();
 * assertThat(new PagerChannel().body(n)).contains("OpenAI quota at 95%");
 * }</pre>
 */
public final class Notification {
  private final String key;
  private final String type;
  private final Severity severity;
  private final String alertname;
  private final String service;
  private final String environment;
  private final String message;
  private final @Nullable String errorType;
  private final Map<String, String> grouping;
  private final Map<String, @Nullable Object> context;
  private final Instant time;
  private final Instant firstSeen;
  private final Instant episodeStart;
  private final long occurrences;

  private static final DateTimeFormatter READABLE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private Notification(Builder b, Instant time) {
    this.type = b.type;
    this.severity = b.severity;
    this.message = b.message;
    this.service = Objects.requireNonNull(b.service, "service is not set");
    this.environment = b.environment;
    this.errorType = b.errorType;
    this.grouping = Collections.unmodifiableMap(new LinkedHashMap<>(b.grouping));
    this.context = Collections.unmodifiableMap(new LinkedHashMap<>(b.context));
    this.key = b.key != null ? b.key : keyOf(b.type, b.severity, b.grouping);
    this.alertname = alertname(b.type);
    this.time = time;
    this.firstSeen = b.firstSeen != null ? b.firstSeen : time;
    this.episodeStart = b.episodeStart != null ? b.episodeStart : this.firstSeen;
    this.occurrences = b.occurrences;
  }

  /**
   * Starts a notification of an alert of {@code type} (lower-case, such as {@code
   * "payment_failure"}) and {@code severity}, saying {@code message}. Set at least {@link
   * Builder#service(String)}.
   */
  public static Builder builder(String type, Severity severity, String message) {
    return new Builder(type, severity, message);
  }

  /** Type, severity and grouping fields: what makes two alerts the same alert. */
  public String key() {
    return key;
  }

  public String type() {
    return type;
  }

  public Severity severity() {
    return severity;
  }

  /** The Alertmanager {@code alertname}: {@code Vigil} and the type in CamelCase. */
  public String alertname() {
    return alertname;
  }

  public String service() {
    return service;
  }

  public String environment() {
    return environment;
  }

  /** The message, with the error's type and message appended when there is one; redacted. */
  public String message() {
    return message;
  }

  /** The error's simple class name, or null. */
  public @Nullable String errorType() {
    return errorType;
  }

  /** The grouping fields (Alertmanager labels); redacted. */
  public Map<String, String> grouping() {
    return grouping;
  }

  /** The redacted context, in insertion order. */
  public Map<String, @Nullable Object> context() {
    return context;
  }

  /** When the latest occurrence this notification stands for happened. */
  public Instant time() {
    return time;
  }

  /** When the earliest occurrence this notification stands for happened. */
  public Instant firstSeen() {
    return firstSeen;
  }

  /**
   * When this run of repeats began: the first occurrence after a quiet cool-down. Alertmanager's
   * {@code startsAt}.
   */
  public Instant episodeStart() {
    return episodeStart;
  }

  /** How many occurrences this notification stands for: 1, or the repeats merged into it. */
  public long occurrences() {
    return occurrences;
  }

  /**
   * For a summary of repeats, {@code Occurred 4 times since 2025-03-01 12:00:01 UTC}: the line the
   * plain-text channels add under the message; null for a single occurrence.
   */
  public @Nullable String repeatSummary() {
    return occurrences > 1
        ? "Occurred " + occurrences + " times since " + readable(firstSeen)
        : null;
  }

  /** {@code 2025-03-01 12:00:01 UTC}: how Vigil's plain-text channels show a time. */
  public static String readable(Instant time) {
    return READABLE.format(time);
  }

  /**
   * The {@link #key()} of an alert: type, severity and grouping fields sorted by name, such as
   * {@code queue_failure/error{queue_name=images}}. Never holds an instance label, so every replica
   * of a service computes the same key for the same incident.
   */
  public static String keyOf(String type, Severity severity, Map<String, String> grouping) {
    StringBuilder key = new StringBuilder(64).append(type).append('/').append(severity.label());
    if (!grouping.isEmpty()) {
      Map<String, String> sorted = grouping.size() == 1 ? grouping : new TreeMap<>(grouping);
      char sep = '{';
      for (Map.Entry<String, String> e : sorted.entrySet()) {
        key.append(sep).append(e.getKey()).append('=').append(e.getValue());
        sep = ',';
      }
      key.append('}');
    }
    return key.toString();
  }

  /** {@code payment_failure} becomes {@code VigilPaymentFailure}. */
  private static String alertname(String type) {
    StringBuilder out = new StringBuilder("Vigil");
    boolean upper = true;
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "Notification{" + key + " x" + occurrences + '}';
  }

  /** Builds a {@link Notification}; for Vigil's delivery and for tests of a channel. */
  public static final class Builder {
    private final String type;
    private final Severity severity;
    private final String message;
    private @Nullable String service;
    private String environment = "development";
    private @Nullable String errorType;
    private @Nullable String key;
    private Map<String, String> grouping = Map.of();
    private Map<String, @Nullable Object> context = Map.of();
    private @Nullable Instant time;
    private @Nullable Instant firstSeen;
    private @Nullable Instant episodeStart;
    private long occurrences = 1;

    private Builder(String type, Severity severity, String message) {
      this.type = Objects.requireNonNull(type, "type must not be null");
      this.severity = Objects.requireNonNull(severity, "severity must not be null");
      this.message = Objects.requireNonNull(message, "message must not be null");
    }

    /** The {@code service} of the Monitoring that raised it; required. */
    public Builder service(String service) {
      this.service = Objects.requireNonNull(service, "service must not be null");
      return this;
    }

    /** The deployment environment; default {@code development}. */
    public Builder environment(String environment) {
      this.environment = Objects.requireNonNull(environment, "environment must not be null");
      return this;
    }

    /** The error's simple class name, when the alert carries an error. */
    public Builder errorType(@Nullable String errorType) {
      this.errorType = errorType;
      return this;
    }

    /** What makes two alerts the same alert; default type, severity and grouping fields. */
    public Builder key(String key) {
      this.key = Objects.requireNonNull(key, "key must not be null");
      return this;
    }

    /** The grouping fields (Alertmanager labels), already redacted. */
    public Builder grouping(Map<String, String> grouping) {
      this.grouping = Objects.requireNonNull(grouping, "grouping must not be null");
      return this;
    }

    /** The context, already redacted, in the order to show it. */
    public Builder context(Map<String, ? extends @Nullable Object> context) {
      Objects.requireNonNull(context, "context must not be null");
      this.context = new LinkedHashMap<>(context);
      return this;
    }

    /** When the latest occurrence happened; default now. */
    public Builder time(Instant time) {
      this.time = Objects.requireNonNull(time, "time must not be null");
      return this;
    }

    /**
     * When the earliest occurrence this notification stands for happened; default {@link #time}.
     */
    public Builder firstSeen(Instant firstSeen) {
      this.firstSeen = Objects.requireNonNull(firstSeen, "firstSeen must not be null");
      return this;
    }

    /** When this run of repeats began; default {@link #firstSeen}. */
    public Builder episodeStart(Instant episodeStart) {
      this.episodeStart = Objects.requireNonNull(episodeStart, "episodeStart must not be null");
      return this;
    }

    /** How many occurrences it stands for, at least 1; default 1. */
    public Builder occurrences(long occurrences) {
      if (occurrences < 1) {
        throw new IllegalArgumentException("occurrences must be at least 1, got " + occurrences);
      }
      this.occurrences = occurrences;
      return this;
    }

    /**
     * @throws NullPointerException if no service was set
     */
    public Notification build() {
      return new Notification(this, time != null ? time : Instant.now());
    }
  }
}
