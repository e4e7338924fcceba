package dev.vigil.spi;

import dev.vigil.internal.EnvReader;
import dev.vigil.internal.Values;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of configuration variables, such as an {@link Extension}'s own environment variables.
 * A blank variable counts as unset (the reader returns null); a malformed one fails at once with an
 * {@link IllegalArgumentException} naming the variable, the value and what is accepted, so that
 * start-up stops with a message the operator can act on.
 *
 * <p>An extension sees only the variables under the prefixes it asks for ({@link
 * ExtensionContext#settings(String...)}): a Redis module reads {@code VIGIL_REDIS_*}, never {@code
 * SENTRY_DSN}.
 *
 * <pre>{@code
 * Settings settings = context.settings("AUDIT_");
 * URI url = settings.uri("AUDIT_URL", "https");               // null when unset
 * Duration timeout = settings.duration("AUDIT_TIMEOUT");       // 5s, 1m, PT30S ...
 * String token = settings.secret("AUDIT_TOKEN");               // or the file in AUDIT_TOKEN_FILE
 * boolean enabled = settings.bool("AUDIT_ENABLED") != Boolean.FALSE;
 * }</pre>
 */
public final class Settings {
  private static final Settings EMPTY = new Settings(Map.of(), List.of());

  private final EnvReader reader;
  private final List<String> prefixes;

  private Settings(Map<String, String> variables, List<String> prefixes) {
    this.reader = new EnvReader(variables);
    this.prefixes = prefixes;
  }

  /** Settings read from {@code variables}, all visible; for tests and configuration systems. */
  public static Settings of(Map<String, String> variables) {
    Objects.requireNonNull(variables, "variables must not be null");
    return variables.isEmpty() ? EMPTY : new Settings(variables, List.of());
  }

  /** No variables at all: every read returns null. */
  public static Settings empty() {
    return EMPTY;
  }

  /**
   * The variables whose names start with one of {@code prefixes}; reading any other throws.
   *
   * @throws IllegalArgumentException if no prefix is given, or one is shorter than 3 characters
   */
  public Settings only(String... prefixes) {
    Objects.requireNonNull(prefixes, "prefixes must not be null");
    if (prefixes.length == 0) {
      throw new IllegalArgumentException(
          "Settings.only needs at least one prefix, such as SENTRY_");
    }
    for (String prefix : prefixes) {
      if (prefix == null || prefix.strip().length() < 3) {
        throw new IllegalArgumentException(
            "A settings prefix must have at least 3 characters, such as SENTRY_; got "
                + (prefix == null ? "null" : "'" + prefix + "'"));
      }
    }
    List<String> scope = List.copyOf(Arrays.asList(prefixes));
    Map<String, String> visible = new TreeMap<>();
    for (Map.Entry<String, String> e : reader.variables().entrySet()) {
      if (startsWithAny(e.getKey(), scope) && visibleHere(e.getKey())) {
        visible.put(e.getKey(), e.getValue());
      }
    }
    return new Settings(visible, scope);
  }

  /** The visible variables, by name; for handing to a library that reads its own. */
  public Map<String, String> asMap() {
    return reader.variables();
  }

  /** Whether {@code name} is set to something other than blank. */
  public boolean isSet(String name) {
    return reader.string(check(name)) != null;
  }

  /** The value, stripped; null when unset or blank. */
  public @Nullable String string(String name) {
    return reader.string(check(name));
  }

  /**
   * A secret given either directly in {@code name} or as a path in {@code name + "_FILE"} (the
   * Docker and Kubernetes secrets convention). The secret never appears in a message.
   *
   * @throws IllegalArgumentException if both are set, or the file is empty or unreadable
   */
  public @Nullable String secret(String name) {
    check(name);
    check(name + "_FILE");
    return reader.secret(name);
  }

  /** {@code true}/{@code false}, also {@code 1/0}, {@code yes/no}, {@code on/off}, any case. */
  public @Nullable Boolean bool(String name) {
    String value = string(name);
    return value == null ? null : Values.bool(name, value);
  }

  /** A whole number between {@code min} and {@code max}, inclusive. */
  public @Nullable Integer integer(String name, int min, int max) {
    String value = string(name);
    return value == null
        ? null
        : (int) Values.between(name, Values.integer(name, value, min, max), min, max);
  }

  /** A number between {@code min} and {@code max}, inclusive. */
  public @Nullable Double number(String name, double min, double max) {
    String value = string(name);
    return value == null
        ? null
        : Values.between(name, Values.number(name, value, min, max), min, max);
  }

  /**
   * A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, a bare
   * {@code 0}, or ISO-8601 ({@code PT5M}).
   */
  public @Nullable Duration duration(String name) {
    String value = string(name);
    return value == null ? null : Values.duration(name, value);
  }

  /** One of {@code allowed} (lower case), compared ignoring case; returned in lower case. */
  public @Nullable String choice(String name, List<String> allowed) {
    String value = string(name);
    return value == null ? null : Values.choice(name, value, allowed);
  }

  /**
   * An absolute URI with one of {@code schemes} (such as {@code "http", "https"}) and a host. The
   * value is not repeated in the message, since URLs often carry credentials.
   */
  public @Nullable URI uri(String name, String... schemes) {
    String value = string(name);
    return value == null ? null : Values.url(name, value, true, List.of(schemes));
  }

  @Override
  public String toString() {
    // Names only: values may be secrets.
    return "Settings" + reader.variables().keySet();
  }

  private String check(String name) {
    Objects.requireNonNull(name, "setting name must not be null");
    if (!prefixes.isEmpty() && !startsWithAny(name, prefixes)) {
      throw new IllegalStateException(
          "Setting "
              + name
              + " is outside this extension's prefixes "
              + prefixes
              + "; ask ExtensionContext.settings(..) for its prefix too.");
    }
    return name;
  }

  private boolean visibleHere(String name) {
    return prefixes.isEmpty() || startsWithAny(name, prefixes);
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
