package dev.vigil.alert;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One alert: what happened ({@link #type()}), how urgent it is, a message for people, a context for
 * investigation, and the grouping fields that tell one alert of a type from another.
 *
 * <p>Alerts with the same <em>key</em> (type, severity and grouping fields) that repeat inside the
 * cool-down are merged into one notification that says how many occurred. Grouping fields become
 * Alertmanager labels, so their values must come from a small fixed set (queue names, components,
 * error classes): never user ids, payment ids or free text. Put those in the context.
 *
 * <pre>{@code
 * monitoring.alerts().send(
 *     Alert.builder("refund_failure", Severity.ERROR, "Refund could not be issued")
 *         .groupBy("provider", "stripe")
 *         .context("refundId", refund.id())
 *         .context("amount", refund.amount())
 *         .error(e)
 *         .build());
 * }</pre>
 *
 * <p>Alerts are immutable. The context map is copied when the alert is built (at most {@value
 * #MAX_CONTEXT_ENTRIES} entries); its values are read, redacted and turned into text on Vigil's
 * delivery thread, so pass values that are not changed afterwards.
 */
public final class Alert {
  /** The most context entries an alert keeps; further entries are left out. */
  public static final int MAX_CONTEXT_ENTRIES = 32;

  /** The most grouping fields an alert may have. */
  public static final int MAX_GROUPING_FIELDS = 4;

  /** The message of an alert built without one. */
  public static final String NO_MESSAGE = "(no message given)";

  /** The longest grouping value kept; longer ones are truncated. */
  public static final int MAX_GROUPING_VALUE_LENGTH = 128;

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Pattern FIELD = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,63}");
  private static final Set<String> RESERVED =
      Set.of("alertname", "service", "severity", "type", "environment");

  private final String type;
  private final Severity severity;
  private final String message;
  private final Map<String, @Nullable Object> context;
  private final Map<String, String> grouping;
  private final @Nullable Instant time;
  private final @Nullable Throwable error;

  private Alert(Builder b) {
    this.type = b.type;
    this.severity = b.severity;
    this.message = b.message;
    // The builder hands its maps over and copies them if it is changed again (see
    // Builder.ownContext).
    this.context = b.context.isEmpty() ? Map.of() : Collections.unmodifiableMap(b.context);
    this.grouping = b.grouping.isEmpty() ? Map.of() : Collections.unmodifiableMap(b.grouping);
    this.time = b.time;
    this.error = b.error;
  }

  /**
   * Starts an alert.
   *
   * @param type what happened, in {@code snake_case} such as {@code refund_failure}: lower-case
   *     letters, digits and underscores, starting with a letter, at most 64 characters
   * @param severity how urgent it is; channels are routed by it
   * @param message one line for people, such as "Refund could not be issued"; a null or blank
   *     message (often {@code e.getMessage()}) is sent as {@value #NO_MESSAGE}
   * @throws IllegalArgumentException if the type is malformed; {@link NullPointerException} if the
   *     type or severity is null. Both are written in code, checked like configuration; the data
   *     arguments of the builder (message, grouping values, context, error, time) never throw
   */
  public static Builder builder(String type, Severity severity, @Nullable String message) {
    return new Builder(type, severity, message);
  }

  /** What happened, such as {@code payment_failure}. */
  public String type() {
    return type;
  }

  public Severity severity() {
    return severity;
  }

  public String message() {
    return message;
  }

  /** The context as given (redaction happens on delivery), in insertion order. */
  public Map<String, @Nullable Object> context() {
    return context;
  }

  /** The grouping fields: with the type and severity, they form the alert's key. */
  public Map<String, String> grouping() {
    return grouping;
  }

  /** When it happened; null means when it is raised. */
  public @Nullable Instant time() {
    return time;
  }

  /** The exception behind the alert, if any: its class and (redacted) message are reported. */
  public @Nullable Throwable error() {
    return error;
  }

  @Override
  public String toString() {
    // The context is not shown: it is not redacted yet.
    return "Alert{" + type + ", " + severity.label() + ", grouping=" + grouping + '}';
  }

  /** Builds an {@link Alert}; each method checks its argument at once. */
  public static final class Builder {
    private final String type;
    private final Severity severity;
    private final String message;
    private Map<String, @Nullable Object> context = Map.of();
    private Map<String, String> grouping = Map.of();
    private boolean handedOver;
    private @Nullable Instant time;
    private @Nullable Throwable error;

    private Builder(String type, Severity severity, @Nullable String message) {
      Objects.requireNonNull(type, "Alert type must not be null");
      Objects.requireNonNull(severity, "Alert severity must not be null");
      if (!TYPE.matcher(type).matches()) {
        throw new IllegalArgumentException(
            "Alert type '"
                + type
                + "' is not valid: use lower-case letters, digits and"
                + " underscores, starting with a letter, at most 64 characters, such as"
                + " refund_failure.");
      }
      this.type = type;
      this.severity = severity;
      this.message = message == null || message.isBlank() ? NO_MESSAGE : message;
    }

    /** Adds one context entry; a null value is kept as null, a null key is skipped. */
    public Builder context(@Nullable String key, @Nullable Object value) {
      if (key == null) {
        return this;
      }
      if (context.size() < MAX_CONTEXT_ENTRIES || context.containsKey(key)) {
        ownContext();
        context.put(key, value);
      }
      return this;
    }

    /** Adds every entry of {@code entries} (null keys are skipped). */
    public Builder context(@Nullable Map<?, ?> entries) {
      if (entries != null) {
        ownContext();
        copyContext(entries, context);
      }
      return this;
    }

    private void ownContext() {
      if (handedOver || !(context instanceof LinkedHashMap)) {
        context = new LinkedHashMap<>(context);
        if (handedOver) {
          grouping = new LinkedHashMap<>(grouping);
          handedOver = false;
        }
      }
    }

    private void ownGrouping() {
      if (handedOver || !(grouping instanceof LinkedHashMap)) {
        grouping = new LinkedHashMap<>(grouping);
        if (handedOver) {
          context = new LinkedHashMap<>(context);
          handedOver = false;
        }
      }
    }

    /**
     * Adds a grouping field: alerts with different values are separate alerts, and Alertmanager
     * gets the field as a label. Keep values to a small fixed set.
     *
     * @param name a label name (letters, digits, underscores), not {@code alertname}, {@code
     *     service}, {@code severity}, {@code type} or {@code environment}
     * @param value the value; longer than {@value #MAX_GROUPING_VALUE_LENGTH} characters is
     *     truncated, null is {@code unknown}
     * @throws IllegalArgumentException if the name is not valid or would be one field too many
     *     (names are code, checked like configuration)
     */
    public Builder groupBy(String name, @Nullable String value) {
      Objects.requireNonNull(name, "grouping field names must not be null");
      String given = value == null ? "unknown" : value;
      if (!FIELD.matcher(name).matches() || name.startsWith("__") || RESERVED.contains(name)) {
        throw new IllegalArgumentException(
            "Grouping field '"
                + name
                + "' is not valid: use letters, digits and underscores,"
                + " not starting with a digit or '__', and none of "
                + RESERVED
                + ".");
      }
      if (!grouping.containsKey(name) && grouping.size() == MAX_GROUPING_FIELDS) {
        throw new IllegalArgumentException(
            "An alert has at most "
                + MAX_GROUPING_FIELDS
                + " grouping fields; '"
                + name
                + "' would be one more. Put detail in the context instead.");
      }
      ownGrouping();
      grouping.put(
          name,
          given.length() > MAX_GROUPING_VALUE_LENGTH
              ? truncate(given, MAX_GROUPING_VALUE_LENGTH)
              : given);
      return this;
    }

    /** When it happened; default (and for null): when it is raised, from the monitoring's clock. */
    public Builder time(@Nullable Instant time) {
      this.time = time;
      return this;
    }

    /** The exception behind the alert. */
    public Builder error(@Nullable Throwable error) {
      this.error = error;
      return this;
    }

    public Alert build() {
      handedOver = true;
      return new Alert(this);
    }
  }

  private static String truncate(String value, int max) {
    int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
    return value.substring(0, end);
  }

  /**
   * Copies at most {@link #MAX_CONTEXT_ENTRIES} entries. A map changed by another thread while it
   * is copied, or one whose iteration fails, yields what was copied so far: an alert is raised from
   * code that already has a problem and must not add one.
   */
  static void copyContext(Map<?, ?> from, Map<String, @Nullable Object> into) {
    try {
      for (Map.Entry<?, ?> e : from.entrySet()) {
        Object key = e.getKey();
        if (key == null) {
          continue;
        }
        if (into.size() >= MAX_CONTEXT_ENTRIES) {
          break;
        }
        into.put(key instanceof String ? (String) key : String.valueOf(key), e.getValue());
      }
    } catch (Throwable e) {
      if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
        throw (VirtualMachineError) e;
      }
      into.put("context_error", "context could not be read: " + e.getClass().getName());
    }
  }
}
