package dev.vigil.redis.internal;

import dev.vigil.KpiCounter;
import dev.vigil.KpiGauge;
import dev.vigil.MetricCatalog;
import dev.vigil.spi.ExtensionContext;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The connection to Redis and what is known about its health: the Jedis client (a pool of at most
 * two connections per server, one for the flusher and one for alert claims, with connect, read and
 * borrow timeouts), {@code vigil_redis_up}, and the failures by operation and reason, with a
 * rate-limited warning that says what to check.
 *
 * <p><b>Redis Cluster.</b> Every key of a namespace carries the same hash tag, so they all live in
 * one slot, on one primary: each round trip is a plain pipeline on a connection to the primary that
 * serves the slot now, as Jedis' cluster client knows it. A reply that says the slot moved ({@code
 * MOVED}), or a round trip that fails, makes the flusher read the topology again before its next
 * round trip; a {@code MOVED} flush is sent again at once to the new primary. The cluster client is
 * built on the flusher's thread, when a seed node first answers: a cluster down at start-up is not
 * an error.
 *
 * <p>Jedis is synchronous and sends nothing on its own, so there is no client-side command queue to
 * grow: what waits for Redis waits in Vigil's bounded buffer. A broken connection is discarded by
 * the pool and a new one opened on the next use, which is how the link recovers by itself.
 */
final class RedisLink implements AutoCloseable {
  static final String FLUSH = "flush";
  static final String CLAIM = "claim";

  private final RedisConfig config;
  private final ExtensionContext context;
  private final JedisClientConfig clientConfig;
  private final GenericObjectPoolConfig<Connection> pool;
  private final int slot;
  private final KpiGauge upGauge;
  private final KpiCounter failures;
  private volatile @Nullable UnifiedJedis client;
  private volatile boolean topologyStale;
  private volatile boolean closed;
  private volatile boolean up;
  private volatile boolean everUp;
  private volatile boolean everFailed;

  RedisLink(RedisConfig config, ExtensionContext context) {
    this.config = config;
    this.context = context;
    int millis = (int) config.timeout().toMillis();
    DefaultJedisClientConfig.Builder clientConfig =
        DefaultJedisClientConfig.builder()
            // Fixed, not negotiated: a client built while Redis was down would otherwise parse
            // replies with RESP2's rules from connections that negotiated RESP3 later.
            .resp2()
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .database(config.url().db())
            .clientName("vigil-" + sanitize(context.service()))
            // CLIENT SETINFO is one more command for an ACL to allow, and Redis 7.2+ only.
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
    if (config.tls() != null) {
      clientConfig.sslOptions(config.tls().options()); // CA and host name verified
    }
    if (config.password() != null) {
      clientConfig.password(config.password());
      if (config.url().user() != null) {
        clientConfig.user(config.url().user());
      }
    }
    this.clientConfig = clientConfig.build();
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(2);
    pool.setMaxIdle(2);
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(config.timeout());
    pool.setTestOnBorrow(false); // a dead connection fails the command, which says why
    pool.setJmxEnabled(false);
    pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(-1));
    this.pool = pool;
    this.slot = JedisClusterCRC16.getSlot("{" + config.namespace() + "}");
    if (!config.url().cluster()) {
      RedisConfig.Node node = config.url().nodes().get(0);
      this.client =
          RedisClient.builder()
              .hostAndPort(node.host(), node.port())
              .clientConfig(this.clientConfig)
              .poolConfig(pool)
              .build();
    }
    this.upGauge = context.gauge(MetricCatalog.REDIS_UP);
    this.failures = context.counter(MetricCatalog.REDIS_COMMANDS_FAILED);
    upGauge.set(0);
  }

  /**
   * On the flusher's thread, before a round trip: builds the cluster client once a seed node
   * answers, and reads the topology again after a failure or a {@code MOVED}.
   *
   * @throws RuntimeException what Jedis threw when no seed node could tell the topology
   */
  void prepare() {
    if (!config.url().cluster() || closed) {
      return;
    }
    UnifiedJedis c = client;
    if (c == null) {
      Set<HostAndPort> seeds = new LinkedHashSet<>();
      for (RedisConfig.Node n : config.url().nodes()) {
        seeds.add(new HostAndPort(n.host(), n.port()));
      }
      RedisClusterClient built =
          RedisClusterClient.builder()
              .nodes(seeds)
              .clientConfig(clientConfig)
              .poolConfig(pool)
              .maxAttempts(1)
              .maxTotalRetriesDuration(config.timeout())
              .build();
      topologyStale = false;
      synchronized (this) {
        if (closed) {
          built.close();
          return;
        }
        client = built;
      }
      return;
    }
    if (topologyStale) {
      topologyStale = false;
      ((RedisClusterClient) c).refreshClusterTopology();
    }
  }

  /**
   * A pipeline to the Redis that holds the namespace's keys (a cluster's: the primary of their
   * slot); closing it returns its connection to the pool.
   *
   * @throws RuntimeException what Jedis throws when no connection can be had
   */
  Pipeline pipeline() {
    UnifiedJedis c = client;
    if (c == null) {
      throw new JedisConnectionException(
          "no node of the Redis Cluster at " + config.where() + " has answered yet");
    }
    if (c instanceof RedisClusterClient) {
      return new Pipeline(((RedisClusterClient) c).getConnectionFromSlot(slot), true);
    }
    return ((RedisClient) c).pipelined();
  }

  /** Whether {@code e} says the namespace's slot is served by another node now. */
  static boolean moved(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JedisMovedDataException) {
        return true;
      }
    }
    return false;
  }

  boolean up() {
    return up;
  }

  /** Whether the last round trip failed (before the first one, Redis is not known to be down). */
  boolean knownDown() {
    return !up && everFailed;
  }

  void succeeded() {
    if (!up) {
      up = true;
      upGauge.set(1);
      if (everUp) {
        context
            .logger("dev.vigil.redis")
            .info(
                "Vigil: Redis at "
                    + config.where()
                    + " answers again; figures for all replicas are back");
      }
      everUp = true;
    }
  }

  /** Counts a failed round trip, warns (rate-limited) and marks Redis down. */
  void failed(String operation, RuntimeException e) {
    String reason = reason(e);
    failures.inc(operation, reason);
    everFailed = true;
    up = false;
    upGauge.set(0);
    topologyStale = config.url().cluster();
    context.warn(
        "redis|" + operation + "|" + reason,
        "Vigil cannot reach Redis at "
            + config.where()
            + " ("
            + operation
            + ", "
            + reason
            + ": "
            + describe(e)
            + "). Distinct users, top spenders and alert thresholds fall back to this replica's"
            + " own figures, and alerts are sent without agreeing with the other replicas, until"
            + " it answers again. "
            + fix(reason));
  }

  /** The next round trip goes where the cluster says the slot is now. */
  void topologyChanged() {
    topologyStale = config.url().cluster();
  }

  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JedisAccessControlException) {
        return "auth";
      }
      if (t instanceof SSLException) {
        return "tls";
      }
      if (t instanceof JedisRedirectionException || t instanceof JedisClusterException) {
        return "cluster"; // MOVED, ASK, CLUSTERDOWN: the cluster answered, but not for the slot
      }
      if (t instanceof JedisClusterOperationException) {
        return "connection"; // no node could be reached to tell the topology
      }
      if (t instanceof SocketTimeoutException) {
        return "timeout";
      }
      String message = String.valueOf(t.getMessage());
      if (message.startsWith("NOAUTH")
          || message.startsWith("WRONGPASS")
          || message.startsWith("NOPERM")) {
        return "auth";
      }
      if (message.startsWith("TRYAGAIN") || message.startsWith("CLUSTERDOWN")) {
        return "cluster";
      }
      if (message.contains("Read timed out") || message.contains("timed out")) {
        return "timeout";
      }
    }
    if (e instanceof JedisConnectionException) {
      return "connection";
    }
    if (e instanceof JedisDataException) {
      return "server_error";
    }
    return "other";
  }

  private static String fix(String reason) {
    switch (reason) {
      case "auth":
        return "Check the user and password in VIGIL_REDIS_URL (redis://user:password@host:6379/0)"
            + " and that the ACL user may run Vigil's commands (see the README).";
      case "tls":
        return "Check that Redis' certificate is signed by a CA in VIGIL_REDIS_TLS_CA_CERT (or the"
            + " JDK's trust store) and names the host of VIGIL_REDIS_URL, and, if Redis asks for"
            + " one, VIGIL_REDIS_TLS_CERT and VIGIL_REDIS_TLS_KEY.";
      case "cluster":
        return "The Redis Cluster is failing over, resharding the namespace's slot, or has lost"
            + " the primary that serves it; see CLUSTER INFO on its nodes.";
      case "timeout":
        return "Redis answers slower than VIGIL_REDIS_TIMEOUT; check its load and latency.";
      case "connection":
        return "Check that Redis runs and that VIGIL_REDIS_URL names its host and port.";
      default:
        return "See vigil_redis_commands_failed_total and the Redis server log.";
    }
  }

  private String describe(Throwable e) {
    // Jedis messages carry no password, but the redactor runs over warnings anyway.
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String sanitize(String service) {
    return service.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  @Override
  public void close() {
    UnifiedJedis c;
    synchronized (this) {
      closed = true;
      c = client;
    }
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (RuntimeException e) {
      // closing on shutdown: nothing to do about it
    }
  }
}
