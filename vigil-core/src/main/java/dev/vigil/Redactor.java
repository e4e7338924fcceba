package dev.vigil;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Removes secrets from anything about to leave the process: log fields, error contexts, alert
 * contexts and Sentry events all pass through the same redactor.
 *
 * <p>Two rules apply. Values under a sensitive key (password, secret, token, api key,
 * authorization, cookie, card number, cvv, ...; case, {@code _} and {@code -} are ignored, and
 * nested maps and lists are searched) are replaced by {@value #MASK}. And inside any text,
 * Luhn-valid card numbers, bearer and basic credentials, JWTs, passwords in URLs, Telegram bot
 * tokens and Slack webhook secrets are replaced wherever they appear.
 *
 * <pre>{@code
 * Redactor redactor = Redactor.builder().addKeys("ssn", "passport").build();
 * Map<String, Object> safe = redactor.redact(Map.of("user", "u-1", "password", "hunter2"));
 * // {user=u-1, password=[REDACTED]}
 * }</pre>
 *
 * <p>Output is bounded whatever the input: nesting deeper than {@value #MAX_DEPTH} levels, more
 * than {@value #MAX_ENTRIES} entries per map or list, and text longer than {@value #MAX_TEXT}
 * characters are cut, and an object whose {@code toString} throws is shown by its class name.
 */
public final class Redactor {
  /** What a redacted value is replaced with. */
  public static final String MASK = "[REDACTED]";

  static final int MAX_DEPTH = 8;
  static final int MAX_ENTRIES = 100;
  static final int MAX_TEXT = 4096;

  /** Key fragments that mark a value as secret wherever they occur in the key. */
  private static final List<String> DEFAULT_FRAGMENTS =
      List.of(
          "password",
          "passwd",
          "passphrase",
          "secret",
          "apikey",
          "accesskey",
          "privatekey",
          "authorization",
          "cookie",
          "cardnumber",
          "creditcard",
          "cvv",
          "cvc",
          "iban",
          "ssn",
          "sessionid",
          "signature",
          "credential",
          "dsn",
          "webhookurl");

  /**
   * Keys that are secret only as a whole or as a suffix: {@code token} marks {@code access_token}
   * and {@code csrfToken} but not {@code tokens} or {@code tokenCount}, which are the KPI data.
   */
  private static final List<String> DEFAULT_SUFFIXES =
      List.of("token", "pwd", "pin", "pan", "auth", "card", "session");

  private static final Pattern CARD_CANDIDATE = Pattern.compile("(?<!\\d)(?:\\d[ -]?){12,18}\\d(?!\\d)");
  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{6,}");
  private static final Pattern JWT =
      Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}");
  private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s:@]*(?::[^/\\s@]*)?@");
  private static final Pattern TELEGRAM_TOKEN = Pattern.compile("\\b\\d{6,12}:[A-Za-z0-9_-]{30,}");
  private static final Pattern SLACK_WEBHOOK =
      Pattern.compile("(?i)(hooks\\.slack\\.com/services/)[A-Za-z0-9/_-]+");
  private static final Pattern SECRET_ASSIGNMENT =
      Pattern.compile(
          "(?i)\\b(password|passwd|pwd|secret|api[_-]?key|access[_-]?token|refresh[_-]?token|token)"
              + "(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s&,;\"']+)");

  private static final Redactor DEFAULTS = builder().build();

  private final List<String> fragments;
  private final List<String> suffixes;

  private Redactor(Builder builder) {
    this.fragments = List.copyOf(builder.fragments);
    this.suffixes = List.copyOf(builder.suffixes);
  }

  /** The redactor with the default key list. */
  public static Redactor defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether values under this key are replaced by {@value #MASK}. */
  public boolean isSensitiveKey(@Nullable String key) {
    if (key == null) {
      return false;
    }
    String normalized = normalize(key);
    for (String fragment : fragments) {
      if (normalized.contains(fragment)) {
        return true;
      }
    }
    for (String suffix : suffixes) {
      if (normalized.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A redacted copy of {@code context}: safe to log or send. Never throws; a null map gives an
   * empty one.
   */
  public Map<String, Object> redact(@Nullable Map<?, ?> context) {
    if (context == null) {
      return Map.of();
    }
    Object result = redactValue(context, 0);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) result;
    return map;
  }

  /** A redacted copy of any value: maps and collections deeply, text by the text rules. */
  public @Nullable Object redactValue(@Nullable Object value) {
    return redactValue(value, 0);
  }

  /** {@code text} with every recognised secret replaced by {@value #MASK}. */
  public String redactText(@Nullable String text) {
    if (text == null) {
      return "null";
    }
    String result = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "...[truncated]" : text;
    result = URL_USERINFO.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
    result = SLACK_WEBHOOK.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    result = TELEGRAM_TOKEN.matcher(result).replaceAll(Matcher.quoteReplacement(MASK));
    result = JWT.matcher(result).replaceAll(Matcher.quoteReplacement(MASK));
    result = BEARER.matcher(result).replaceAll("$1 " + Matcher.quoteReplacement(MASK));
    result = SECRET_ASSIGNMENT.matcher(result).replaceAll("$1$2" + Matcher.quoteReplacement(MASK));
    return redactCards(result);
  }

  private @Nullable Object redactValue(@Nullable Object value, int depth) {
    if (value == null
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Character
        || value instanceof Enum) {
      return value;
    }
    if (value instanceof CharSequence) {
      return redactText(value.toString());
    }
    if (depth >= MAX_DEPTH) {
      return "[too deep]";
    }
    if (value instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      int n = 0;
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        if (n++ == MAX_ENTRIES) {
          out.put("...", "[" + (((Map<?, ?>) value).size() - MAX_ENTRIES) + " more entries]");
          break;
        }
        String key = safeToString(entry.getKey());
        out.put(key, isSensitiveKey(key) ? MASK : redactValue(entry.getValue(), depth + 1));
      }
      return out;
    }
    if (value instanceof Collection) {
      return redactList(((Collection<?>) value).toArray(), depth);
    }
    if (value.getClass().isArray()) {
      int length = Array.getLength(value);
      Object[] items = new Object[Math.min(length, MAX_ENTRIES + 1)];
      for (int i = 0; i < items.length; i++) {
        items[i] = Array.get(value, i);
      }
      return redactList(items, depth);
    }
    return redactText(safeToString(value));
  }

  private List<@Nullable Object> redactList(@Nullable Object[] items, int depth) {
    List<@Nullable Object> out = new ArrayList<>(Math.min(items.length, MAX_ENTRIES + 1));
    for (int i = 0; i < items.length; i++) {
      if (i == MAX_ENTRIES) {
        out.add("[more items]");
        break;
      }
      out.add(redactValue(items[i], depth + 1));
    }
    return out;
  }

  /** {@code String.valueOf}, except that a throwing {@code toString} cannot escape. */
  static String safeToString(@Nullable Object value) {
    try {
      return String.valueOf(value);
    } catch (RuntimeException | StackOverflowError e) {
      return "[unprintable " + value.getClass().getName() + "]";
    }
  }

  private static String redactCards(String text) {
    Matcher m = CARD_CANDIDATE.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      String digits = m.group().replaceAll("[ -]", "");
      if (digits.length() >= 13 && digits.length() <= 19 && luhn(digits)) {
        if (out == null) {
          out = new StringBuilder(text.length());
        }
        out.append(text, last, m.start()).append(MASK);
        last = m.end();
      }
    }
    if (out == null) {
      return text;
    }
    return out.append(text, last, text.length()).toString();
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean doubleIt = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return sum % 10 == 0;
  }

  private static String normalize(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        out.append(Character.toLowerCase(c));
      }
    }
    return out.toString();
  }

  /** Builds a {@link Redactor}: the defaults plus your own keys. */
  public static final class Builder {
    private final Set<String> fragments = new LinkedHashSet<>(DEFAULT_FRAGMENTS);
    private final Set<String> suffixes = new LinkedHashSet<>(DEFAULT_SUFFIXES);

    private Builder() {}

    /**
     * Also treats keys containing any of these as sensitive (compared ignoring case, {@code _},
     * {@code -} and spaces).
     */
    public Builder addKeys(String... keys) {
      for (String key : keys) {
        Objects.requireNonNull(key, "redaction keys must not be null");
        String normalized = normalize(key);
        if (normalized.length() < 3) {
          throw new IllegalArgumentException(
              "Redaction key '" + key + "' is too short to match safely (at least 3 letters or"
                  + " digits); it would redact unrelated fields.");
        }
        fragments.add(normalized);
      }
      return this;
    }

    public Redactor build() {
      return new Redactor(this);
    }
  }

  @Override
  public String toString() {
    return "Redactor{keys=" + fragments + ", suffixes=" + suffixes + '}';
  }

}
