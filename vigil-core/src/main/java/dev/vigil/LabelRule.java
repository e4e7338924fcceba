package dev.vigil;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the values of one label are made consistent before they become series, so that {@code
 * "Image"}, {@code " image "} and {@code "img"} all count as {@code image}. A rule is configured
 * once, per label name, and applies to every metric that has that label.
 *
 * <pre>{@code
 * Monitoring monitoring = Monitoring.builder("worker")
 *     .labelRule("type", LabelRule.builder()
 *         .lowerCase()
 *         .collapseWhitespace()
 *         .alias("img", "image")
 *         .alias("txt", "text")
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>Rules run only the first time a raw value is seen; the result is cached with the series, so
 * they cost nothing on the hot path. Leading and trailing whitespace is always removed, rule or
 * not.
 */
public final class LabelRule {
  private final boolean lowerCase;
  private final boolean collapseWhitespace;
  private final Map<String, String> aliases;

  private LabelRule(Builder builder) {
    this.lowerCase = builder.lowerCase;
    this.collapseWhitespace = builder.collapseWhitespace;
    this.aliases = Map.copyOf(builder.aliases);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Applies the rule to a value that is already trimmed and non-blank. */
  public String apply(String value) {
    String result = value;
    if (collapseWhitespace) {
      result = collapse(result);
    }
    if (lowerCase) {
      result = result.toLowerCase(Locale.ROOT);
    }
    String alias = aliases.get(result);
    return alias == null ? result : alias;
  }

  private static String collapse(String value) {
    StringBuilder out = new StringBuilder(value.length());
    boolean inSpace = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c)) {
        if (!inSpace) {
          out.append(' ');
        }
        inSpace = true;
      } else {
        out.append(c);
        inSpace = false;
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "LabelRule{lowerCase="
        + lowerCase
        + ", collapseWhitespace="
        + collapseWhitespace
        + ", aliases="
        + aliases
        + '}';
  }

  /** Builds a {@link LabelRule}; each argument is checked when given. */
  public static final class Builder {
    private boolean lowerCase;
    private boolean collapseWhitespace;
    private final Map<String, String> aliases = new LinkedHashMap<>();

    private Builder() {}

    /** Lower-cases values (in the root locale, so Turkish dotless i does not surprise you). */
    public Builder lowerCase() {
      this.lowerCase = true;
      return this;
    }

    /** Replaces each run of whitespace inside a value with one space. */
    public Builder collapseWhitespace() {
      this.collapseWhitespace = true;
      return this;
    }

    /**
     * Records {@code from} as {@code to}. {@code from} is matched after the case and whitespace
     * steps, so with {@link #lowerCase()} an alias {@code "img"} also catches {@code "IMG"}.
     */
    public Builder alias(String from, String to) {
      Objects.requireNonNull(from, "alias 'from' must not be null");
      Objects.requireNonNull(to, "alias 'to' must not be null");
      if (from.isBlank() || to.isBlank()) {
        throw new IllegalArgumentException(
            "LabelRule alias must map a non-blank value to a non-blank value, got '"
                + from
                + "' -> '"
                + to
                + "'");
      }
      aliases.put(from.strip(), to.strip());
      return this;
    }

    public LabelRule build() {
      if (lowerCase) {
        Map<String, String> lowered = new LinkedHashMap<>();
        aliases.forEach((from, to) -> lowered.put(from.toLowerCase(Locale.ROOT), to));
        aliases.clear();
        aliases.putAll(lowered);
      }
      if (collapseWhitespace) {
        Map<String, String> collapsed = new LinkedHashMap<>();
        aliases.forEach((from, to) -> collapsed.put(collapse(from), to));
        aliases.clear();
        aliases.putAll(collapsed);
      }
      return new LabelRule(this);
    }
  }
}
