package dev.vigil.redis.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where Redis is and how Vigil uses it, checked: every mistake fails with a message naming the
 * setting ({@code setting} is the environment variable or the builder method), never showing a
 * password.
 */
public record RedisConfig(
    String host,
    int port,
    boolean ssl,
    @Nullable String user,
    @Nullable String password,
    int database,
    String namespace,
    Duration timeout,
    Duration flushInterval,
    Duration refreshInterval,
    int bufferSize) {

  public static final String DEFAULT_NAMESPACE = "vigil";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);
  public static final int DEFAULT_BUFFER_SIZE = 1 << 18;

  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /** The parts of a {@code redis://} or {@code rediss://} URL. */
  public record Url(
      String host,
      int port,
      boolean ssl,
      @Nullable String user,
      @Nullable String password,
      int db) {

    @Override
    public String toString() {
      // Never the password.
      return (ssl ? "rediss://" : "redis://") + host + ":" + port + "/" + db;
    }
  }

  /**
   * Parses {@code redis://[[user]:password@]host[:port][/db]} (or {@code rediss://} for TLS).
   *
   * @throws IllegalArgumentException naming {@code setting}, without the password
   */
  public static Url parseUrl(String setting, String value) {
    String fix =
        "; expected redis://[[user]:password@]host[:port][/db] or rediss://... for TLS, such as"
            + " redis://redis:6379/0 (the value is not shown: it may hold a password)";
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(setting + " is not a valid URL" + fix);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException(setting + " must start with redis:// or rediss://" + fix);
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(setting + " has no host" + fix);
    }
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(setting + " has port " + port + ", not 1 to 65535" + fix);
    }
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(info); // redis://secret@host, as redis-cli accepts
      } else {
        user = colon == 0 ? null : decode(info.substring(0, colon));
        password = decode(info.substring(colon + 1));
      }
      if (password != null && password.isEmpty()) {
        password = null;
      }
    }
    int db = 0;
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      try {
        db = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        db = -1;
      }
      if (db < 0 || db > 15_999) {
        throw new IllegalArgumentException(
            setting + " names database '" + path.substring(1) + "', not a number from 0" + fix);
      }
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          setting + " has a query or fragment, which Vigil does not read" + fix);
    }
    return new Url(host, port, scheme.equals("rediss"), user, password, db);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static String checkNamespace(String setting, String namespace) {
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          setting
              + " must be 1 to 64 letters, digits, '_', '.' or '-', such as vigil or"
              + " vigil-production; got '"
              + namespace
              + "'");
    }
    return namespace;
  }

  /**
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static Duration checkDuration(String setting, Duration d, Duration min, Duration max) {
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          setting + " must be between " + text(min) + " and " + text(max) + ", got " + text(d));
    }
    return d;
  }

  /**
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static int checkBufferSize(String setting, int size) {
    if (size < 1024 || size > (1 << 24)) {
      throw new IllegalArgumentException(
          setting + " must be between 1024 and 16777216 user ids, got " + size);
    }
    return size;
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** Where to connect, for log lines: never the password. */
  public String where() {
    return (ssl ? "rediss://" : "redis://") + host + ":" + port + "/" + database;
  }
}
