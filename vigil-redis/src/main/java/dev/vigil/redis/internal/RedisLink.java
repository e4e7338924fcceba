package dev.vigil.redis.internal;

import dev.vigil.KpiCounter;
import dev.vigil.KpiGauge;
import dev.vigil.MetricCatalog;
import dev.vigil.spi.ExtensionContext;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The connection to Redis and what is known about its health: the Jedis client (a pool of at most
 * two connections, one for the flusher and one for alert claims, with connect, read and borrow
 * timeouts), {@code vigil_redis_up}, and the failures by operation and reason, with a rate-limited
 * warning that says what to check.
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
  private final RedisClient client;
  private final KpiGauge upGauge;
  private final KpiCounter failures;
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
            .database(config.database())
            .clientName("vigil-" + sanitize(context.service()));
    if (config.ssl()) {
      clientConfig.sslOptions(SslOptions.defaults()); // the JDK's trust store, host name verified
    }
    if (config.password() != null) {
      clientConfig.password(config.password());
      if (config.user() != null) {
        clientConfig.user(config.user());
      }
    }
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(2);
    pool.setMaxIdle(2);
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(config.timeout());
    pool.setTestOnBorrow(false); // a dead connection fails the command, which says why
    pool.setJmxEnabled(false);
    pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(-1));
    this.client =
        RedisClient.builder()
            .hostAndPort(config.host(), config.port())
            .clientConfig(clientConfig.build())
            .poolConfig(pool)
            .build();
    this.upGauge = context.gauge(MetricCatalog.REDIS_UP);
    this.failures = context.counter(MetricCatalog.REDIS_COMMANDS_FAILED);
    upGauge.set(0);
  }

  RedisClient client() {
    return client;
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

  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JedisAccessControlException) {
        return "auth";
      }
      if (t instanceof SocketTimeoutException) {
        return "timeout";
      }
      String message = String.valueOf(t.getMessage());
      if (message.startsWith("NOAUTH") || message.startsWith("WRONGPASS")) {
        return "auth";
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
        return "Check the password in VIGIL_REDIS_URL (redis://:password@host:6379/0).";
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
    try {
      client.close();
    } catch (RuntimeException e) {
      // closing on shutdown: nothing to do about it
    }
  }
}
