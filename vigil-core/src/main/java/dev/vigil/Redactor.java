package dev.vigil;

import dev.vigil.internal.Printable;
import dev.vigil.internal.Throwables;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
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
 * authorization, cookie, card number, cvv, ...; case, {@code _}, {@code -} and {@code .} are
 * ignored, and nested maps and lists are searched) are replaced by {@value #MASK}. And inside any
 * text: the values of {@code key=value}, {@code key: value} and {@code "key":"value"} pairs whose
 * key is sensitive by the same rule, Luhn-valid card numbers (spaces and dashes allowed), bearer
 * and basic credentials, JWTs, user names and passwords in URLs (Sentry DSNs included), Telegram
 * bot tokens, Slack webhook secrets and provider keys with a known prefix (GitHub, Slack, AWS,
 * Stripe, OpenAI) are replaced wherever they appear.
 *
 * <p>The key rule matches a key that contains one of the default fragments (password, passwd,
 * passphrase, secret, apikey, accesskey, privatekey, authorization, cookie, cardnumber, creditcard,
 * cvv, cvc, iban, sessionid, signature, credential, webhookurl), or ends in token, pwd, auth, card,
 * session, dsn or ssn, or is exactly pin, pan, otp or jwt. So {@code tokens} and {@code
 * tokenCount}, the KPI fields, stay readable. Add keys with {@link Builder#addKeys}, {@code
 * Monitoring.builder(..).redactKeys(..)} or {@code VIGIL_REDACT_KEYS}.
 *
 * <pre>{@code
 * Redactor redactor = Redactor.builder().addKeys("ssn", "passport").build();
 * Map<String, Object> safe = redactor.redact(Map.of("user", "u-1", "password", "hunter2"));
 * // {user=u-1, password=[REDACTED]}
 * }</pre>
 *
 * <p>Output is bounded whatever the input: nesting deeper than {@value #MAX_DEPTH} levels, more
 * than {@value #MAX_ENTRIES} entries per map or list, more than {@value #MAX_NODES} values in all,
 * and text longer than {@value #MAX_TEXT} characters are cut; a map or list that contains itself
 * shows {@code [cycle]}; an object whose {@code toString} throws is shown by its class name; a
 * {@code BigDecimal} or {@code BigInteger} too long to print plainly is shown in short scientific
 * notation; an enum is shown by its name.
 */
public final class Redactor {
  /** What a redacted value is replaced with. */
  public static final String MASK = "[REDACTED]";

  static final int MAX_DEPTH = 8;
  static final int MAX_ENTRIES = 100;
  static final int MAX_TEXT = 4096;

  /**
   * The most values one redaction visits: depth and width alone would allow 100^8 for a map that
   * contains itself a hundred times, so the walk as a whole is bounded too.
   */
  static final int MAX_NODES = 1000;

  /** URL path segments after one of these carry the credential itself ({@code /reset/<token>}). */
  private static final Set<String> CREDENTIAL_PATH_WORDS =
      Set.of(
          "key",
          "keys",
          "reset",
          "invite",
          "invites",
          "verify",
          "confirm",
          "activate",
          "magic",
          "unsubscribe",
          "hooks",
          "webhooks",
          "share",
          "download");

  /** Query parameters whose value is a credential whatever the key rules say. */
  private static final Set<String> CREDENTIAL_QUERY_KEYS = Set.of("key", "sig", "code", "k");

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
          "sessionid",
          "signature",
          "credential",
          "webhookurl");

  /**
   * Keys that are secret only as a whole or as a suffix: {@code token} marks {@code access_token}
   * and {@code csrfToken} but not {@code tokens} or {@code tokenCount}, which are the KPI data;
   * {@code dsn} and {@code ssn} inside a key would catch {@code adsNetwork} and {@code className}.
   */
  private static final List<String> DEFAULT_SUFFIXES =
      List.of("token", "pwd", "auth", "card", "session", "dsn", "ssn");

  /**
   * Keys that are secret only as the whole key: {@code pin} and {@code pan} as suffixes would catch
   * {@code shipping} and {@code span}.
   */
  private static final List<String> DEFAULT_EXACT = List.of("pin", "pan", "otp", "jwt");

  private static final Pattern CARD_CANDIDATE =
      Pattern.compile("(?<!\\d)(?:\\d[ -]?){12,18}\\d(?!\\d)");
  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{6,}");
  private static final Pattern JWT =
      Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}");
  private static final Pattern URL_USERINFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s:@]*(?::[^/\\s@]*)?@");

  /** Also inside {@code /bot<token>/} URLs, hence no word boundary before the digits. */
  private static final Pattern TELEGRAM_TOKEN =
      Pattern.compile("(?<!\\d)\\d{6,12}:[A-Za-z0-9_-]{30,}");

  private static final Pattern SLACK_WEBHOOK =
      Pattern.compile("(?i)(hooks\\.slack\\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_-]+");

  /** Provider keys recognisable by their prefix: GitHub, Slack, AWS, Stripe, OpenAI-style. */
  private static final Pattern PREFIXED_KEY =
      Pattern.compile(
          "\\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}"
              + "|(?:AKIA|ASIA)[0-9A-Z]{16}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}"
              + "|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,})");

  private static final Redactor DEFAULTS = builder().build();

  private final String[] fragments;
  private final String[] suffixes;
  private final String[] exact;

  private Redactor(Builder builder) {
    this.fragments = builder.fragments.toArray(new String[0]);
    this.suffixes = builder.suffixes.toArray(new String[0]);
    this.exact = builder.exact.toArray(new String[0]);
  }

  /** The redactor with the default key list. */
  public static Redactor defaults() {
    return DEFAULTS;
  }

  /** Starts from the default key list; add your own keys with {@link Builder#addKeys}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether values under this key are replaced by {@value #MASK}. Case, {@code _}, {@code -},
   * {@code .} and spaces are ignored, so {@code X-Api-Key}, {@code api_key} and {@code apiKey} are
   * one key.
   */
  public boolean isSensitiveKey(@Nullable String key) {
    if (key == null || key.isEmpty()) {
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
    for (String whole : exact) {
      if (normalized.equals(whole)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A redacted copy of {@code context}: safe to log or send. Never throws, whatever the map or its
   * contents do; a null map gives an empty one.
   */
  public Map<String, Object> redact(@Nullable Map<?, ?> context) {
    if (context == null) {
      return Map.of();
    }
    Object result = redactValue(context, 0, new Walk());
    if (result instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) result;
      return map;
    }
    return Map.of("...", String.valueOf(result));
  }

  /** A redacted copy of any value: maps and collections deeply, text by the text rules. */
  public @Nullable Object redactValue(@Nullable Object value) {
    return redactValue(value, 0, new Walk());
  }

  /**
   * {@code text} with every recognised secret replaced by {@value #MASK}, cut to {@value #MAX_TEXT}
   * characters. Text without a digit, {@code =}, {@code :} or a known prefix is returned as it is
   * after one scan, so redacting ordinary log messages is cheap.
   */
  public String redactText(@Nullable String text) {
    if (text == null) {
      return "null";
    }
    String result = text.length() > MAX_TEXT ? cut(text, MAX_TEXT) + "...[truncated]" : text;
    int digits = 0;
    boolean assignment = false;
    boolean at = false;
    for (int i = 0; i < result.length(); i++) {
      char c = result.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '=' || c == ':') {
        assignment = true;
      } else if (c == '@') {
        at = true;
      }
    }
    if (at && assignment && result.contains("://")) {
      result = replaceAll(URL_USERINFO, result, "$1" + Matcher.quoteReplacement(MASK) + "@");
    }
    if (containsIgnoreCase(result, "hooks.slack.com")) {
      result = replaceAll(SLACK_WEBHOOK, result, "$1" + Matcher.quoteReplacement(MASK));
    }
    if (assignment && digits >= 6) {
      result = replaceAll(TELEGRAM_TOKEN, result, Matcher.quoteReplacement(MASK));
    }
    if (result.contains("eyJ")) {
      result = replaceAll(JWT, result, Matcher.quoteReplacement(MASK));
    }
    if (mayHoldPrefixedKey(result)) {
      result = replaceAll(PREFIXED_KEY, result, Matcher.quoteReplacement(MASK));
    }
    if (containsIgnoreCase(result, "bearer") || containsIgnoreCase(result, "basic")) {
      result = replaceAll(BEARER, result, "$1 " + Matcher.quoteReplacement(MASK));
    }
    if (assignment) {
      result = redactAssignments(result);
    }
    if (assignment && result.contains("://")) {
      result = redactUrls(result);
    }
    if (digits >= 13) {
      result = redactCards(result);
    }
    return result;
  }

  private static String replaceAll(Pattern pattern, String text, String replacement) {
    return pattern.matcher(text).replaceAll(replacement);
  }

  private static boolean mayHoldPrefixedKey(String text) {
    return text.contains("gh")
        || text.contains("xox")
        || text.contains("AKIA")
        || text.contains("ASIA")
        || text.contains("k_live_")
        || text.contains("k_test_")
        || text.contains("sk-");
  }

  private static boolean containsIgnoreCase(String text, String lowerCaseWord) {
    int last = text.length() - lowerCaseWord.length();
    char first = lowerCaseWord.charAt(0);
    for (int i = 0; i <= last; i++) {
      if (Character.toLowerCase(text.charAt(i)) == first
          && text.regionMatches(true, i, lowerCaseWord, 0, lowerCaseWord.length())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Masks the values of sensitive {@code key=value}, {@code key: value} and {@code "key":"value"}
   * pairs: the key is judged by the key rules, so text and maps agree on what a secret is. A value
   * that is an authentication scheme ({@code Authorization: Digest abc}) takes the credential after
   * it along.
   *
   * <p>A scan from each {@code =} and {@code :} rather than a regular expression: the expression
   * tried every start position in every word, and this runs on every log line.
   */
  private String redactAssignments(String text) {
    StringBuilder out = null;
    int copied = 0;
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if ((c != '=' && c != ':') || i < copied) {
        continue;
      }
      int k = i - 1;
      while (k >= 0 && (text.charAt(k) == ' ' || text.charAt(k) == '\t')) {
        k--;
      }
      char quote = 0;
      if (k >= 0 && (text.charAt(k) == '"' || text.charAt(k) == '\'')) {
        quote = text.charAt(k);
        k--;
      }
      int keyEnd = k + 1;
      while (k >= 0 && k > keyEnd - 65 && isKeyChar(text.charAt(k))) {
        k--;
      }
      int keyStart = k + 1;
      if (keyStart == keyEnd
          || (k >= 0 && isKeyChar(text.charAt(k)))
          || !Character.isLetter(text.charAt(keyStart))
          || (quote != 0 && (k < 0 || text.charAt(k) != quote))
          || !isSensitiveKey(text.substring(keyStart, keyEnd))) {
        continue;
      }
      int valueStart = i + 1;
      while (valueStart < length
          && (text.charAt(valueStart) == ' ' || text.charAt(valueStart) == '\t')) {
        valueStart++;
      }
      if (valueStart == length || text.startsWith(MASK, valueStart)) {
        // Nothing there, or already redacted (text can pass through more than one layer).
        continue;
      }
      int valueEnd = valueEnd(text, valueStart);
      if (valueEnd == valueStart) {
        continue;
      }
      if (isSchemeWord(text.substring(valueStart, valueEnd))) {
        valueEnd = credentialEnd(text, valueEnd);
      }
      if (out == null) {
        out = new StringBuilder(length);
      }
      out.append(text, copied, valueStart).append(MASK);
      copied = valueEnd;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, length).toString();
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-'
        || c == '.';
  }

  /** A quoted string to its closing quote, or a bare value to the first delimiter. */
  private static int valueEnd(String text, int start) {
    char first = text.charAt(start);
    if (first == '"' || first == '\'') {
      for (int j = start + 1; j < text.length(); j++) {
        char c = text.charAt(j);
        if (c == '\\' && first == '"') {
          j++;
        } else if (c == first) {
          return j + 1;
        }
      }
      return text.length();
    }
    int j = start;
    while (j < text.length() && !isValueDelimiter(text.charAt(j))) {
      j++;
    }
    return j;
  }

  private static boolean isSchemeWord(String value) {
    if (value.length() < 2 || value.length() > 20) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (!Character.isLetter(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static int credentialEnd(String text, int schemeEnd) {
    int i = schemeEnd;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    if (i == schemeEnd) {
      return schemeEnd;
    }
    if (text.startsWith(MASK, i)) {
      return i + MASK.length();
    }
    int end = i;
    while (end < text.length() && !isValueDelimiter(text.charAt(end))) {
      end++;
    }
    return end == i ? schemeEnd : end;
  }

  private static boolean isValueDelimiter(char c) {
    return Character.isWhitespace(c) || "&,;\"'}]<>()".indexOf(c) >= 0;
  }

  /** The state of one redaction walk: how many values it visited, and the containers above. */
  private static final class Walk {
    int nodes;
    final Object[] path = new Object[MAX_DEPTH];
  }

  private @Nullable Object redactValue(@Nullable Object value, int depth, Walk walk) {
    if (value == null
        || value instanceof Boolean
        || value instanceof Character
        || value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte
        || value instanceof Double
        || value instanceof Float) {
      return value;
    }
    if (value instanceof CharSequence) {
      return redactText(safeToString(value));
    }
    if (value instanceof Number) {
      return number((Number) value);
    }
    if (value instanceof Enum) {
      return ((Enum<?>) value).name(); // final, unlike an enum's toString()
    }
    if (depth >= MAX_DEPTH) {
      return "[too deep]";
    }
    if (++walk.nodes > MAX_NODES) {
      return "[truncated]";
    }
    for (int i = 0; i < depth; i++) {
      if (walk.path[i] == value) {
        return "[cycle]";
      }
    }
    try {
      walk.path[depth] = value;
      if (value instanceof Map) {
        return redactMap((Map<?, ?>) value, depth, walk);
      }
      if (value instanceof Collection) {
        return redactList(firstItems((Collection<?>) value), depth, walk);
      }
      if (value.getClass().isArray()) {
        int length = Array.getLength(value);
        Object[] items = new Object[Math.min(length, MAX_ENTRIES + 1)];
        for (int i = 0; i < items.length; i++) {
          items[i] = Array.get(value, i);
        }
        return redactList(items, depth, walk);
      }
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      // A map or collection that fails while being read is shown by its type, never half-read.
      return "[unreadable " + value.getClass().getName() + "]";
    } finally {
      walk.path[depth] = null;
    }
    return redactText(safeToString(value));
  }

  /**
   * A number as it may be written out: the JDK's own types whose text is short pass as they are; a
   * huge {@code BigDecimal} or {@code BigInteger} becomes bounded text (its plain form can be a
   * billion digits), and any other {@code Number} is text from its {@code toString()}.
   */
  private Object number(Number value) {
    if (value.getClass() == BigDecimal.class) {
      BigDecimal d = (BigDecimal) value;
      return Math.abs(d.scale()) <= 100 && d.precision() <= 100 ? d : Printable.decimal(d);
    }
    if (value.getClass() == BigInteger.class) {
      BigInteger i = (BigInteger) value;
      return i.bitLength() <= 320 ? i : "[a " + i.bitLength() + "-bit integer]";
    }
    if (value instanceof BigDecimal) {
      return Printable.decimal((BigDecimal) value);
    }
    return redactText(safeToString(value));
  }

  /** The first items of a collection (one more than are shown), without copying all of it. */
  private static Object[] firstItems(Collection<?> collection) {
    List<Object> items = new ArrayList<>();
    for (Object item : collection) {
      items.add(item);
      if (items.size() > MAX_ENTRIES) {
        break;
      }
    }
    return items.toArray();
  }

  private Map<String, Object> redactMap(Map<?, ?> map, int depth, Walk walk) {
    Map<String, Object> out = new LinkedHashMap<>();
    int n = 0;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (n++ == MAX_ENTRIES) {
        out.put("...", "[" + (map.size() - MAX_ENTRIES) + " more entries]");
        break;
      }
      String key = safeToString(entry.getKey());
      out.put(key, isSensitiveKey(key) ? MASK : redactValue(entry.getValue(), depth + 1, walk));
    }
    return out;
  }

  private List<@Nullable Object> redactList(@Nullable Object[] items, int depth, Walk walk) {
    List<@Nullable Object> out = new ArrayList<>(Math.min(items.length, MAX_ENTRIES + 1));
    for (int i = 0; i < items.length; i++) {
      if (i == MAX_ENTRIES) {
        out.add("[more items]");
        break;
      }
      out.add(redactValue(items[i], depth + 1, walk));
    }
    return out;
  }

  /**
   * {@code String.valueOf}, except that a throwing {@code toString} cannot escape, and text longer
   * than anything written out is cut at once.
   */
  static String safeToString(@Nullable Object value) {
    try {
      // A map or collection is printed from its bounded, redacted copy: its own toString() walks
      // every entry, and one that never ends (or holds itself) would exhaust the heap or the stack.
      String text =
          value instanceof Map || value instanceof Collection
              ? String.valueOf(DEFAULTS.redactValue(value))
              : value instanceof Number ? Printable.value(value) : String.valueOf(value);
      return text.length() > MAX_TEXT * 2 ? cut(text, MAX_TEXT * 2) : text;
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      return "[unprintable " + value.getClass().getName() + "]";
    }
  }

  /** At most {@code max} characters, never splitting a surrogate pair. */
  private static String cut(String text, int max) {
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end);
  }

  /**
   * Credentials in URLs beyond user info: path segments shaped like tokens (hex of 16 or more, a
   * UUID, or 20 or more letters, digits, {@code -} and {@code _} mixing both, as {@code
   * RouteNormalizer} takes them for ids), segments right after a word such as {@code reset}, {@code
   * invite} or {@code key}, and query values that are token-shaped or under a key such as {@code
   * key}, {@code sig} or {@code code}. Ids in paths go too: in a log line, telling an id from a
   * token is not possible, and a leaked token costs more than a lost id.
   */
  private String redactUrls(String text) {
    StringBuilder out = null;
    int copied = 0;
    int from = 0;
    while (true) {
      int sep = text.indexOf("://", from);
      if (sep < 0) {
        break;
      }
      int authority = sep + 3;
      int end = authority;
      while (end < text.length() && !isUrlEnd(text.charAt(end))) {
        end++;
      }
      int pathStart = authority;
      while (pathStart < end && text.charAt(pathStart) != '/' && text.charAt(pathStart) != '?') {
        pathStart++;
      }
      String rest = text.substring(pathStart, end);
      String redacted = redactPathAndQuery(rest);
      if (!redacted.equals(rest)) {
        if (out == null) {
          out = new StringBuilder(text.length());
        }
        out.append(text, copied, pathStart).append(redacted);
        copied = end;
      }
      from = Math.max(end, sep + 3);
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, text.length()).toString();
  }

  private static boolean isUrlEnd(char c) {
    return Character.isWhitespace(c) || "\"'<>`{}|\\^".indexOf(c) >= 0 || c == ')' || c == ']';
  }

  private String redactPathAndQuery(String rest) {
    int query = rest.indexOf('?');
    int fragment = rest.indexOf('#');
    int pathEnd = query >= 0 ? query : fragment >= 0 ? fragment : rest.length();
    StringBuilder out = new StringBuilder(rest.length());
    String[] segments = rest.substring(0, pathEnd).split("/", -1);
    String previous = "";
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (i > 0) {
        out.append('/');
      }
      boolean afterWord =
          segment.length() >= 8
              && (CREDENTIAL_PATH_WORDS.contains(previous.toLowerCase(java.util.Locale.ROOT))
                  || isSensitiveKey(previous));
      // A segment starting with '[' is a mask already (redaction runs in more than one layer).
      boolean masked = segment.startsWith("[");
      out.append(!masked && (afterWord || tokenShaped(segment)) ? MASK : segment);
      previous = segment;
    }
    if (query >= 0) {
      int queryEnd = fragment > query ? fragment : rest.length();
      out.append('?');
      String[] pairs = rest.substring(query + 1, queryEnd).split("[&;]", -1);
      for (int i = 0; i < pairs.length; i++) {
        if (i > 0) {
          out.append('&');
        }
        String pair = pairs[i];
        int eq = pair.indexOf('=');
        if (eq < 0) {
          out.append(pair);
          continue;
        }
        String key = pair.substring(0, eq);
        String value = pair.substring(eq + 1);
        boolean secret =
            !value.isEmpty()
                && !value.startsWith("[")
                && (CREDENTIAL_QUERY_KEYS.contains(key.toLowerCase(java.util.Locale.ROOT))
                    || isSensitiveKey(key)
                    || tokenShaped(value));
        out.append(key).append('=').append(secret ? MASK : value);
      }
      out.append(rest, queryEnd, rest.length());
    } else if (fragment >= 0) {
      out.append(rest, fragment, rest.length());
    }
    return out.toString();
  }

  /** Hex of 16 or more, or 20 or more of letters, digits, - and _ with both letters and digits. */
  static boolean tokenShaped(String s) {
    int n = s.length();
    if (n < 16) {
      return false;
    }
    boolean hex = true;
    boolean letter = false;
    boolean digit = false;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean isDigit = c >= '0' && c <= '9';
      boolean isLetter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!isDigit && !isLetter && c != '-' && c != '_') {
        return false;
      }
      digit |= isDigit;
      letter |= isLetter;
      hex &= isDigit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-';
    }
    return (hex && digit && letter) || (n >= 20 && digit && letter);
  }

  /**
   * Card numbers: 13 to 19 digits, optionally grouped by spaces or dashes, passing the Luhn check
   * and starting with 2 to 6 (the issuer ranges of Visa, Mastercard, Amex, Discover, JCB, Diners
   * and UnionPay), so that millisecond timestamps, which start with 1, are left alone.
   */
  private static String redactCards(String text) {
    Matcher m = CARD_CANDIDATE.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      String digits = m.group().replace(" ", "").replace("-", "");
      char first = digits.charAt(0);
      if (digits.length() >= 13
          && digits.length() <= 19
          && first >= '2'
          && first <= '6'
          && luhn(digits)) {
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

  /**
   * A key to redact, normalised; {@code setting} names what gave it in the message.
   *
   * @throws IllegalArgumentException if it is too short to match safely
   */
  static String checkKey(String setting, @Nullable String key) {
    Objects.requireNonNull(key, setting + ": a redaction key must not be null");
    String normalized = normalize(key);
    if (normalized.length() < 3) {
      throw new IllegalArgumentException(
          setting
              + ": '"
              + key
              + "' is too short to match safely (at least 3 letters or digits); it would redact"
              + " unrelated fields. Use a longer key, such as ssn or passport.");
    }
    return normalized;
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
    private final Set<String> exact = new LinkedHashSet<>(DEFAULT_EXACT);

    private Builder() {}

    /**
     * Also treats keys containing any of these as sensitive (compared ignoring case, {@code _},
     * {@code -}, {@code .} and spaces).
     *
     * @throws IllegalArgumentException if a key has fewer than 3 letters or digits
     */
    public Builder addKeys(String... keys) {
      Objects.requireNonNull(keys, "redaction keys must not be null");
      for (String key : keys) {
        fragments.add(checkKey("addKeys", key));
      }
      return this;
    }

    public Redactor build() {
      return new Redactor(this);
    }
  }

  @Override
  public String toString() {
    return "Redactor{keys="
        + Arrays.toString(fragments)
        + ", suffixes="
        + Arrays.toString(suffixes)
        + ", whole keys="
        + Arrays.toString(exact)
        + '}';
  }
}
