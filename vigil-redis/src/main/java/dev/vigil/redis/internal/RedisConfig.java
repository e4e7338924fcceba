package dev.vigil.redis.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.SslOptions;

/**
 * Where Redis is and how Vigil uses it, checked: every mistake fails with a message naming the
 * setting ({@code setting} is the environment variable or the builder method), never showing a
 * password.
 *
 * @param tls how a {@code rediss} URL connects (trusted CAs, client certificate); null without TLS
 */
public record RedisConfig(
    Url url,
    @Nullable String password,
    String namespace,
    Duration timeout,
    Duration flushInterval,
    Duration refreshInterval,
    int bufferSize,
    @Nullable Tls tls) {

  /** The prefix of the module's variables; the names below are all it reads. */
  public static final String PREFIX = "VIGIL_REDIS_";

  public static final String URL = "VIGIL_REDIS_URL";
  public static final String PASSWORD = "VIGIL_REDIS_PASSWORD";
  public static final String NAMESPACE = "VIGIL_REDIS_NAMESPACE";
  public static final String TIMEOUT = "VIGIL_REDIS_TIMEOUT";
  public static final String FLUSH_INTERVAL = "VIGIL_REDIS_FLUSH_INTERVAL";
  public static final String REFRESH_INTERVAL = "VIGIL_REDIS_REFRESH_INTERVAL";
  public static final String BUFFER_SIZE = "VIGIL_REDIS_BUFFER_SIZE";
  public static final String TLS_CA_CERT = "VIGIL_REDIS_TLS_CA_CERT";
  public static final String TLS_CERT = "VIGIL_REDIS_TLS_CERT";
  public static final String TLS_KEY = "VIGIL_REDIS_TLS_KEY";

  public static final String DEFAULT_NAMESPACE = "vigil";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);
  public static final int DEFAULT_BUFFER_SIZE = 1 << 18;

  static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
  static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
  static final Duration MIN_INTERVAL = Duration.ofMillis(50);
  static final Duration MAX_FLUSH_INTERVAL = Duration.ofMinutes(1);
  static final Duration MAX_REFRESH_INTERVAL = Duration.ofMinutes(5);
  public static final int MIN_BUFFER_SIZE = 1024;
  public static final int MAX_BUFFER_SIZE = 1 << 24;

  /** The most seed nodes a cluster URL may list: the client discovers the others itself. */
  static final int MAX_SEEDS = 64;

  private static final Pattern NAMESPACE_TEXT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /**
   * The TLS files of a {@code rediss} URL, each null when unset, and the options they give.
   *
   * @param caCert the CA certificates trusted instead of the JDK's trust store
   */
  public record Tls(
      @Nullable Path caCert,
      @Nullable Path clientCert,
      @Nullable Path clientKey,
      SslOptions options) {}

  /** One Redis server. */
  public record Node(String host, int port) {
    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /**
   * The parts of a Redis URL.
   *
   * @param nodes the server, or a Redis Cluster's seed nodes (at least one)
   * @param cluster whether {@code nodes} are seeds of a Redis Cluster
   */
  public record Url(
      List<Node> nodes,
      boolean cluster,
      boolean ssl,
      @Nullable String user,
      @Nullable String password,
      int db) {

    public Url {
      nodes = List.copyOf(nodes);
    }

    @Override
    public String toString() {
      // Never the password.
      return (ssl ? "rediss" : "redis")
          + (cluster ? "+cluster://" : "://")
          + nodes.stream().map(Node::toString).collect(Collectors.joining(","))
          + (cluster ? "" : "/" + db);
    }
  }

  /**
   * Parses {@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://} for TLS, and
   * {@code redis+cluster://[[user]:password@]host[:port][,host[:port]...]} (or {@code
   * rediss+cluster://}) for the seed nodes of a Redis Cluster.
   *
   * @throws IllegalArgumentException naming {@code setting}, without the password
   */
  public static Url parseUrl(String setting, String value) {
    String fix =
        "; expected redis://[[user]:password@]host[:port][/db], rediss://... for TLS, or"
            + " redis+cluster://[[user]:password@]host:port,host:port,... (rediss+cluster:// for"
            + " TLS) for a Redis Cluster, such as redis://redis:6379/0 (the value is not shown: it"
            + " may hold a password)";
    String text = value.strip();
    int schemeEnd = text.indexOf("://");
    String scheme = schemeEnd < 0 ? "" : text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    boolean cluster = scheme.endsWith("+cluster");
    String base = cluster ? scheme.substring(0, scheme.length() - "+cluster".length()) : scheme;
    if (!base.equals("redis") && !base.equals("rediss")) {
      throw new IllegalArgumentException(
          setting
              + " must start with redis://, rediss://, redis+cluster:// or rediss+cluster://"
              + fix);
    }
    String rest = text.substring(schemeEnd + 3);
    if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
      throw new IllegalArgumentException(
          setting + " has a query or fragment, which Vigil does not read" + fix);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    int at = authority.lastIndexOf('@');
    String info = at < 0 ? null : authority.substring(0, at);
    String hosts = authority.substring(at + 1);

    List<Node> nodes = new ArrayList<>();
    for (String entry : hosts.split(",", -1)) {
      nodes.add(node(setting, entry.strip(), fix));
    }
    if (!cluster && nodes.size() > 1) {
      throw new IllegalArgumentException(
          setting
              + " names "
              + nodes.size()
              + " hosts; use redis+cluster:// for a Redis Cluster"
              + fix);
    }
    if (nodes.size() > MAX_SEEDS) {
      throw new IllegalArgumentException(
          setting + " names " + nodes.size() + " nodes, more than " + MAX_SEEDS + fix);
    }

    String user = null;
    String password = null;
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
    if (!path.isEmpty() && !path.equals("/")) {
      try {
        db = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        db = -1;
      }
      if (db < 0 || db > 15_999) {
        throw new IllegalArgumentException(
            setting + " names database '" + path.substring(1) + "', not a number from 0" + fix);
      }
      if (cluster && db != 0) {
        throw new IllegalArgumentException(
            setting + " names database " + db + ", but a Redis Cluster has database 0 only" + fix);
      }
    }
    return new Url(nodes, cluster, base.equals("rediss"), user, password, db);
  }

  private static Node node(String setting, String entry, String fix) {
    if (entry.isEmpty()) {
      throw new IllegalArgumentException(setting + " has no host" + fix);
    }
    URI uri;
    try {
      uri = new URI("redis://" + entry);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(setting + " has a host that is not valid" + fix);
    }
    String host = uri.getHost();
    if (host == null || host.isBlank() || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
      throw new IllegalArgumentException(setting + " has a host that is not valid" + fix);
    }
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(setting + " has port " + port + ", not 1 to 65535" + fix);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Node(host, port);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static String checkNamespace(String setting, String namespace) {
    if (!NAMESPACE_TEXT.matcher(namespace).matches()) {
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
   * The connect and read timeout of each round trip, 10 ms to 30 s.
   *
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static Duration checkTimeout(String setting, Duration d) {
    return checkDuration(setting, d, MIN_TIMEOUT, MAX_TIMEOUT);
  }

  /**
   * How often ids are sent, 50 ms to 1 minute.
   *
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static Duration checkFlushInterval(String setting, Duration d) {
    return checkDuration(setting, d, MIN_INTERVAL, MAX_FLUSH_INTERVAL);
  }

  /**
   * How often shared figures are read back, 50 ms to 5 minutes.
   *
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static Duration checkRefreshInterval(String setting, Duration d) {
    return checkDuration(setting, d, MIN_INTERVAL, MAX_REFRESH_INTERVAL);
  }

  private static Duration checkDuration(String setting, Duration d, Duration min, Duration max) {
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          setting + " must be between " + text(min) + " and " + text(max) + ", got " + text(d));
    }
    return d;
  }

  /**
   * The user ids waiting for a flush at most, 1024 to 16777216; the message is the one {@code
   * Settings.integer} gives the variable.
   *
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static int checkBufferSize(String setting, int size) {
    if (size < MIN_BUFFER_SIZE || size > MAX_BUFFER_SIZE) {
      throw new IllegalArgumentException(
          setting
              + " must be between "
              + MIN_BUFFER_SIZE
              + " and "
              + MAX_BUFFER_SIZE
              + ", got "
              + size);
    }
    return size;
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** Where to connect, for log lines: never the password. */
  public String where() {
    return url.toString();
  }
}
