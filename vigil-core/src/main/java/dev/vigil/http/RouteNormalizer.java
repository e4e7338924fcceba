package dev.vigil.http;

/**
 * Turns a raw request path into a route template when the web framework does not know one: path
 * segments that are ids become {@value #ID}, so {@code /api/users/123} and {@code
 * /api/users/550e8400-e29b-41d4-a716-446655440000} are both {@code /api/users/{id}}.
 *
 * <pre>{@code
 * RouteNormalizer normalizer = RouteNormalizer.create();
 * normalizer.normalize("/api/orders/42/items/7");          // "/api/orders/{id}/items/{id}"
 * normalizer.normalize("/shop/api/users/123", "/shop".length()); // "/api/users/{id}"
 * }</pre>
 *
 * <p>A segment is an id when it is
 *
 * <ul>
 *   <li>all digits ({@code 123}),
 *   <li>a UUID ({@code 550e8400-e29b-41d4-a716-446655440000}, any case),
 *   <li>hexadecimal and at least 16 characters long (hashes, MongoDB object ids), or
 *   <li>at least 20 characters of letters, digits, {@code -} and {@code _} with at least one digit
 *       and one letter (ULIDs, nanoids, URL-safe tokens).
 * </ul>
 *
 * <p>Path parameters ({@code ;jsessionid=...}) are dropped. Anything else is kept as it is: the
 * cardinality guard of {@code http_requests_total} folds what is left unbounded (random paths from
 * scanners) into its overflow series.
 *
 * <p>Normalising a path that contains no id allocates nothing and returns the argument. For a path
 * that does, the template is looked up in a fixed-size cache of templates built before (1024
 * entries, never more), keyed by the template itself rather than the raw path, so a template in
 * steady use costs two passes over the path and no allocation, while raw paths, which are
 * unbounded, are never stored. Thread-safe and lock-free.
 */
public final class RouteNormalizer {
  /** What an id segment becomes. */
  public static final String ID = "{id}";

  private static final int CACHE_SIZE = 1024;
  private static final int MAX_CACHED_LENGTH = 256;
  private static final int KEEP = 0;
  private static final int REPLACE = 1;

  // Racy on purpose: Strings are immutable and safely published, so a reader sees either an older
  // template or a newer one, and checks it against the path before using it.
  private final String[] cache = new String[CACHE_SIZE];

  private RouteNormalizer() {}

  /** A normaliser with its own template cache; share one per application. */
  public static RouteNormalizer create() {
    return new RouteNormalizer();
  }

  /** The template of {@code path}. */
  public String normalize(String path) {
    return normalize(path, 0);
  }

  /**
   * The template of the part of {@code path} that starts at {@code from}, such as the path after a
   * servlet context path. An empty remainder is {@code "/"}.
   *
   * @throws IndexOutOfBoundsException if {@code from} is negative or past the end of {@code path}
   */
  public String normalize(String path, int from) {
    return normalize(path, from, from);
  }

  /**
   * The template of the part of {@code path} that starts at {@code from}, keeping the segments that
   * start before {@code keepUntil} as they are: the literal part of a prefix mapping, such as
   * {@code /v2} of {@code /v2/*}, is part of the route even where it looks like an id.
   *
   * <pre>{@code
   * normalizer.normalize("/shop/2024/orders/7", "/shop".length(), "/shop/2024".length());
   * // "/2024/orders/{id}"
   * }</pre>
   *
   * @throws IndexOutOfBoundsException if {@code from} is negative or past the end of {@code path}
   */
  public String normalize(String path, int from, int keepUntil) {
    int end = path.length();
    if (from < 0 || from > end) {
      throw new IndexOutOfBoundsException("from " + from + " is outside the path of length " + end);
    }
    if (from == end) {
      return "/";
    }
    // Pass 1: the hash and length of the template, computed the way String.hashCode would, without
    // building it.
    int hash = 0;
    int length = 0;
    boolean changed = from != 0;
    int i = from;
    while (i < end) {
      char c = path.charAt(i);
      if (c == '/') {
        hash = 31 * hash + '/';
        length++;
        i++;
        continue;
      }
      int segmentEnd = segmentEnd(path, i, end);
      int contentEnd = contentEnd(path, i, segmentEnd);
      if (contentEnd != segmentEnd) {
        changed = true;
      }
      if (i >= keepUntil && classify(path, i, contentEnd) == REPLACE) {
        changed = true;
        for (int k = 0; k < ID.length(); k++) {
          hash = 31 * hash + ID.charAt(k);
        }
        length += ID.length();
      } else {
        for (int k = i; k < contentEnd; k++) {
          hash = 31 * hash + path.charAt(k);
        }
        length += contentEnd - i;
      }
      i = segmentEnd;
    }
    if (!changed) {
      return path;
    }
    int slot = (hash ^ (hash >>> 16)) & (CACHE_SIZE - 1);
    String cached = cache[slot];
    if (cached != null
        && cached.length() == length
        && cached.hashCode() == hash
        && matches(cached, path, from, end, keepUntil)) {
      return cached;
    }
    String template = build(path, from, end, length, keepUntil);
    if (length <= MAX_CACHED_LENGTH) {
      cache[slot] = template;
    }
    return template;
  }

  /** Whether {@code template} is what {@code path[from, end)} normalises to, compared in place. */
  private static boolean matches(String template, String path, int from, int end, int keepUntil) {
    int t = 0;
    int i = from;
    while (i < end) {
      char c = path.charAt(i);
      if (c == '/') {
        if (template.charAt(t++) != '/') {
          return false;
        }
        i++;
        continue;
      }
      int segmentEnd = segmentEnd(path, i, end);
      int contentEnd = contentEnd(path, i, segmentEnd);
      if (i >= keepUntil && classify(path, i, contentEnd) == REPLACE) {
        if (!template.startsWith(ID, t)) {
          return false;
        }
        t += ID.length();
      } else {
        int n = contentEnd - i;
        if (!template.regionMatches(t, path, i, n)) {
          return false;
        }
        t += n;
      }
      i = segmentEnd;
    }
    return t == template.length();
  }

  private static String build(String path, int from, int end, int length, int keepUntil) {
    StringBuilder out = new StringBuilder(length);
    int i = from;
    while (i < end) {
      char c = path.charAt(i);
      if (c == '/') {
        out.append('/');
        i++;
        continue;
      }
      int segmentEnd = segmentEnd(path, i, end);
      int contentEnd = contentEnd(path, i, segmentEnd);
      if (i >= keepUntil && classify(path, i, contentEnd) == REPLACE) {
        out.append(ID);
      } else {
        out.append(path, i, contentEnd);
      }
      i = segmentEnd;
    }
    return out.toString();
  }

  private static int segmentEnd(String path, int start, int end) {
    int slash = path.indexOf('/', start);
    return slash < 0 || slash > end ? end : slash;
  }

  /** The end of a segment's content: path parameters after {@code ;} are not part of the route. */
  private static int contentEnd(String path, int start, int segmentEnd) {
    for (int i = start; i < segmentEnd; i++) {
      if (path.charAt(i) == ';') {
        return i;
      }
    }
    return segmentEnd;
  }

  private static int classify(String path, int start, int end) {
    int n = end - start;
    if (n == 0) {
      return KEEP;
    }
    boolean allDigits = true;
    boolean allHex = true;
    boolean tokenChars = true;
    boolean hasDigit = false;
    boolean hasLetter = false;
    for (int i = start; i < end; i++) {
      char c = path.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      boolean lower = c >= 'a' && c <= 'z';
      boolean upper = c >= 'A' && c <= 'Z';
      hasDigit |= digit;
      hasLetter |= lower || upper;
      allDigits &= digit;
      allHex &= digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      tokenChars &= digit || lower || upper || c == '-' || c == '_';
    }
    if (allDigits) {
      return REPLACE;
    }
    if (allHex && n >= 16) {
      return REPLACE;
    }
    if (n == 36 && isUuid(path, start)) {
      return REPLACE;
    }
    if (tokenChars && n >= 20 && hasDigit && hasLetter) {
      return REPLACE;
    }
    return KEEP;
  }

  private static boolean isUuid(String path, int start) {
    for (int k = 0; k < 36; k++) {
      char c = path.charAt(start + k);
      if (k == 8 || k == 13 || k == 18 || k == 23) {
        if (c != '-') {
          return false;
        }
      } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }
}
