package dev.vigil.internal;

import dev.vigil.spi.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One setting of a builder, declared once: the environment variable it is read from, the builder
 * method that sets it in code, the property a configuration system may give it (Spring Boot's
 * {@code vigil.*}), how its text reads, which values it takes, and the builder field it fills. The
 * environment, the properties and the builder method all pass through the same {@link #check}, so
 * each bound and each message is written once, and every message names what the user wrote: the
 * variable, the property or the method.
 *
 * <pre>{@code
 * public static final class Builder {
 *   static final Setting<Builder, Duration> TIMEOUT =
 *       Setting.<Builder>duration("AUDIT_TIMEOUT", Duration.ofMillis(100), Duration.ofMinutes(1))
 *           .method("timeout")
 *           .field(b -> b.timeout, (b, timeout) -> b.timeout = timeout);
 *
 *   private Duration timeout = Duration.ofSeconds(5);
 *
 *   Builder readEnvironment(Settings settings) {
 *     TIMEOUT.read(settings, this);           // AUDIT_TIMEOUT must be between 100ms and 1m, got 5m
 *     return this;
 *   }
 *
 *   public Builder timeout(Duration timeout) {
 *     this.timeout = TIMEOUT.check(timeout);  // timeout must be between 100ms and 1m, got 5m
 *     return this;
 *   }
 * }
 * }</pre>
 *
 * <p>A blank variable counts as unset. Settings are immutable and thread-safe; declare them as
 * constants.
 *
 * @param <B> the builder the setting fills
 * @param <T> the type of its value
 */
public final class Setting<B, T> {
  /**
   * Reads a value from its text; throws an {@link IllegalArgumentException} naming {@code name}.
   */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(String name, String text);
  }

  /**
   * Checks a value, and may normalise it (strip a name, say); throws an {@link
   * IllegalArgumentException} naming {@code name}, which is the variable, the property or the
   * method.
   */
  @FunctionalInterface
  public interface Check<T> {
    T check(String name, T value);
  }

  private final String variable;
  private final @Nullable String method;
  private final @Nullable String property;
  private final boolean secret;
  private final Class<T> type;
  private final Parser<T> parser;
  private final Check<T> check;
  private final @Nullable Function<B, T> getter;
  private final BiConsumer<B, T> setter;

  private Setting(Draft<B, T> draft, @Nullable Function<B, T> getter, BiConsumer<B, T> setter) {
    this.variable = draft.variable;
    this.method = draft.method;
    this.property = draft.property;
    this.secret = draft.secret;
    this.type = draft.type;
    this.parser = draft.parser;
    this.check = draft.check;
    this.getter = getter;
    this.setter = setter;
  }

  /** A whole number from {@code min} to {@code max}. */
  public static <B> Draft<B, Integer> integer(String variable, int min, int max) {
    return new Draft<>(
        variable,
        Integer.class,
        (name, text) -> Values.integer(name, text, min, max),
        (name, value) -> (int) Values.between(name, value, min, max));
  }

  /** A whole number from {@code min} to {@code max}, as a {@code long}. */
  public static <B> Draft<B, Long> whole(String variable, long min, long max) {
    return new Draft<>(
        variable,
        Long.class,
        (name, text) -> Values.whole(name, text, min, max),
        (name, value) -> Values.between(name, value, min, max));
  }

  /** A number from {@code min} to {@code max}; NaN is never in range. */
  public static <B> Draft<B, Double> number(String variable, double min, double max) {
    return new Draft<>(
        variable,
        Double.class,
        (name, text) -> Values.number(name, text, min, max),
        (name, value) -> Values.between(name, value, min, max));
  }

  /** {@code true} or {@code false}; also {@code 1/0}, {@code yes/no}, {@code on/off}, any case. */
  public static <B> Draft<B, Boolean> bool(String variable) {
    return new Draft<>(variable, Boolean.class, Values::bool, (name, value) -> value);
  }

  /**
   * A duration from {@code min} to {@code max}, written {@code 500ms}, {@code 30s}, {@code 5m},
   * {@code 1h}, {@code 1d}, a bare {@code 0}, or ISO-8601 ({@code PT5M}).
   */
  public static <B> Draft<B, Duration> duration(String variable, Duration min, Duration max) {
    return new Draft<>(
        variable,
        Duration.class,
        Values::duration,
        (name, value) -> Values.between(name, value, min, max));
  }

  /** Any text that is not blank, stripped. */
  public static <B> Draft<B, String> text(String variable) {
    return new Draft<>(variable, String.class, Values::text, Values::text);
  }

  /** One of {@code allowed} (lower case), compared ignoring case; the value is in lower case. */
  public static <B> Draft<B, String> choice(String variable, String... allowed) {
    List<String> values = List.of(allowed);
    return new Draft<>(
        variable,
        String.class,
        (name, text) -> Values.choice(name, text, values),
        (name, value) -> Values.choice(name, value, values));
  }

  /**
   * An absolute URL with one of {@code schemes}, such as {@code "http", "https"}, and a host. Mark
   * it {@link Draft#secret()} when the URL carries a credential: it is then never shown.
   */
  public static <B> Draft<B, URI> url(String variable, String... schemes) {
    List<String> allowed = List.of(schemes);
    Draft<B, URI> draft = new Draft<>(variable, URI.class, null, (name, value) -> value);
    return draft.parse((name, text) -> Values.url(name, text, draft.secret, allowed));
  }

  /** A value of any other type, read by {@code parser}; add bounds with {@link Draft#check}. */
  public static <B, T> Draft<B, T> of(String variable, Class<T> type, Parser<T> parser) {
    return new Draft<>(variable, type, parser, (name, value) -> value);
  }

  /** The environment variable, such as {@code METRICS_PORT}. */
  public String variable() {
    return variable;
  }

  /** The builder method, such as {@code metricsPort}; null if there is none. */
  public @Nullable String method() {
    return method;
  }

  /** The property, such as {@code vigil.metrics.port}; null if there is none. */
  public @Nullable String property() {
    return property;
  }

  /** Whether the value is a secret: also read from the file in {@code <variable>_FILE}. */
  public boolean secret() {
    return secret;
  }

  /**
   * The check of the builder method: {@code value} checked, messages naming the method.
   *
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if the value is out of bounds
   */
  public T check(T value) {
    String name = method != null ? method : variable;
    return check(name, Objects.requireNonNull(value, name + " must not be null"));
  }

  /** The same check under another name, such as {@code maxLabelSets for http_requests_total}. */
  public T check(String name, T value) {
    return check.check(name, value);
  }

  /**
   * Reads {@code text} given in code, as the variable's text would be, messages naming the method:
   * for a builder method that takes a URL or a duration as text.
   */
  public T parse(String text) {
    String name = method != null ? method : variable;
    Objects.requireNonNull(text, name + " must not be null");
    return check(name, parser.parse(name, text));
  }

  /**
   * Reads the variable (and {@code <variable>_FILE} for a secret) from {@code settings} into {@code
   * builder}, messages naming the variable.
   *
   * @return whether the variable was set
   * @throws IllegalArgumentException naming the variable, if its value is malformed
   */
  public boolean read(Settings settings, B builder) {
    T value = value(settings);
    if (value == null) {
      return false;
    }
    setter.accept(builder, value);
    return true;
  }

  /** The value the variable gives, read and checked; null when unset. */
  public @Nullable T value(Settings settings) {
    String text = secret ? settings.secret(variable) : settings.string(variable);
    return text == null ? null : check(variable, parser.parse(variable, text));
  }

  /**
   * Applies the property's value to {@code builder}, messages naming the property: its text, as in
   * a properties file, or a value of the setting's type, as a configuration system binds it.
   *
   * @throws IllegalStateException if the setting has no property
   * @throws IllegalArgumentException naming the property, if its value is malformed
   */
  public void applyProperty(B builder, Object value) {
    if (property == null) {
      throw new IllegalStateException(variable + " has no property");
    }
    T typed;
    if (type.isInstance(value)) {
      typed = type.cast(value);
    } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      String text = value.toString();
      if (text.isBlank()) {
        return; // as a blank variable: unset
      }
      typed = parser.parse(property, text);
    } else {
      throw new IllegalArgumentException(
          property
              + " must be a "
              + type.getSimpleName()
              + ", got a "
              + value.getClass().getName());
    }
    setter.accept(builder, check(property, typed));
  }

  /**
   * The builder's current value of this setting: its default on a new builder.
   *
   * @throws IllegalStateException if the setting was declared without a getter
   */
  public @Nullable T get(B builder) {
    if (getter == null) {
      throw new IllegalStateException(variable + " was declared without a getter");
    }
    return getter.apply(builder);
  }

  @Override
  public String toString() {
    return variable
        + (method == null ? "" : " / " + method)
        + (property == null ? "" : " / " + property);
  }

  /** A setting being declared; finish it with {@link #field} or {@link #to}. */
  public static final class Draft<B, T> {
    private final String variable;
    private final Class<T> type;
    private Parser<T> parser;
    private Check<T> check;
    private @Nullable String method;
    private @Nullable String property;
    private boolean secret;

    private Draft(String variable, Class<T> type, @Nullable Parser<T> parser, Check<T> check) {
      if (!variable.matches("[A-Z][A-Z0-9_]*")) {
        throw new IllegalArgumentException(
            "A setting's variable is upper case, such as AUDIT_TIMEOUT; got '" + variable + "'");
      }
      this.variable = variable;
      this.type = type;
      this.parser = parser == null ? (name, text) -> type.cast(text) : parser;
      this.check = check;
    }

    /** The builder method that sets it in code, named in messages from code. */
    public Draft<B, T> method(String method) {
      this.method = Objects.requireNonNull(method, "method must not be null");
      return this;
    }

    /** The property that configures it, such as {@code vigil.metrics.port}. */
    public Draft<B, T> property(String property) {
      this.property = Objects.requireNonNull(property, "property must not be null");
      return this;
    }

    /** A secret: never shown, and also read from the file named by {@code <variable>_FILE}. */
    public Draft<B, T> secret() {
      this.secret = true;
      return this;
    }

    /** Reads the text with {@code parser} instead. */
    public Draft<B, T> parse(Parser<T> parser) {
      this.parser = Objects.requireNonNull(parser, "parser must not be null");
      return this;
    }

    /** Adds a check after the kind's own (a bound, a normalisation). */
    public Draft<B, T> check(Check<T> more) {
      Objects.requireNonNull(more, "check must not be null");
      Check<T> first = this.check;
      this.check = (name, value) -> more.check(name, first.check(name, value));
      return this;
    }

    /** The setting, filling a field of the builder that {@link Setting#get} reads back. */
    public Setting<B, T> field(Function<B, T> getter, BiConsumer<B, T> setter) {
      return new Setting<>(
          this,
          Objects.requireNonNull(getter, "getter must not be null"),
          Objects.requireNonNull(setter, "setter must not be null"));
    }

    /** The setting, handing each value to {@code setter}, which may keep it any way it likes. */
    public Setting<B, T> to(BiConsumer<B, T> setter) {
      return new Setting<>(this, null, Objects.requireNonNull(setter, "setter must not be null"));
    }
  }
}
