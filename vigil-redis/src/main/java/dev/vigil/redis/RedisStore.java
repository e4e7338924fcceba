package dev.vigil.redis;

import dev.vigil.redis.internal.RedisConfig;
import dev.vigil.redis.internal.RedisExtension;
import dev.vigil.redis.internal.RedisTls;
import dev.vigil.spi.Extension;
import dev.vigil.spi.ExtensionContext;
import dev.vigil.spi.Settings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Shares distinct active users, top spenders and alerts across every replica of a service, and
 * every service of one namespace, through Redis. With it, {@code active_users_distinct{window}}
 * counts the service's users across all its replicas, {@code active_users_system_distinct{window}}
 * those of every service in the namespace, the top spenders in {@code /kpi} and the log line are
 * the service's, an incident every replica sees is sent to each channel once, and the automatic
 * alerts' thresholds count over all replicas. If Redis goes away, business code does not notice:
 * Vigil shows each replica's own figures, says so in {@code vigil_redis_*} self-metrics and a
 * warning, and catches up when Redis answers again.
 *
 * <p>On the class path it is found by itself and configured from the environment ({@code
 * VIGIL_REDIS_URL} turns it on); in code:
 *
 * <pre>{@code
 * Monitoring monitoring = Monitoring.builder("bot")
 *     .extension(RedisStore.builder().url("redis://:secret@redis:6379/0").namespace("shop").build())
 *     .readEnvironment()
 *     .build();
 * }</pre>
 */
public final class RedisStore implements Extension {
  private final @Nullable String url;
  private final @Nullable String namespace;
  private final @Nullable Duration timeout;
  private final @Nullable Duration flushInterval;
  private final @Nullable Duration refreshInterval;
  private final @Nullable Integer bufferSize;
  private final @Nullable Path caCert;
  private final @Nullable Path clientCert;
  private final @Nullable Path clientKey;

  /** The store configured from {@code VIGIL_REDIS_*} alone: what discovery installs. */
  public RedisStore() {
    this(new Builder());
  }

  private RedisStore(Builder b) {
    this.url = b.url;
    this.namespace = b.namespace;
    this.timeout = b.timeout;
    this.flushInterval = b.flushInterval;
    this.refreshInterval = b.refreshInterval;
    this.bufferSize = b.bufferSize;
    this.caCert = b.caCert;
    this.clientCert = b.clientCert;
    this.clientKey = b.clientKey;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "redis";
  }

  /**
   * Connects when a URL is configured (here or in {@code VIGIL_REDIS_URL}); does nothing otherwise.
   * Redis need not be up: Vigil starts with local figures and connects when it can.
   *
   * @throws IllegalArgumentException naming the variable, if a setting is malformed
   */
  @Override
  public void install(ExtensionContext context) {
    RedisConfig config = configure(context.settings(RedisConfig.PREFIX));
    if (config != null) {
      RedisExtension.install(config, context);
    }
  }

  /**
   * The configuration from what the builder set and, for the rest, the {@code VIGIL_REDIS_*}
   * variables, or their defaults; null without a URL. Each value passes the check its builder
   * method uses, named after the variable when it came from one.
   *
   * @throws IllegalArgumentException naming the variable or the method, if a setting is malformed
   */
  @Nullable RedisConfig configure(Settings env) {
    String setting = url != null ? "RedisStore.Builder.url" : RedisConfig.URL;
    String rawUrl = url != null ? url : env.secret(RedisConfig.URL);
    if (rawUrl == null) {
      return null;
    }
    RedisConfig.Url parsed = RedisConfig.parseUrl(setting, rawUrl);
    String password = env.secret(RedisConfig.PASSWORD);
    boolean tlsInCode = caCert != null || clientCert != null;
    Path ca = tlsInCode ? caCert : path(env, RedisConfig.TLS_CA_CERT);
    Path cert = tlsInCode ? clientCert : path(env, RedisConfig.TLS_CERT);
    Path key = tlsInCode ? clientKey : path(env, RedisConfig.TLS_KEY);
    String caSetting =
        tlsInCode ? "RedisStore.Builder.trustedCertificates" : RedisConfig.TLS_CA_CERT;
    String certSetting = tlsInCode ? "RedisStore.Builder.clientTls" : RedisConfig.TLS_CERT;
    String keySetting = tlsInCode ? "RedisStore.Builder.clientTls" : RedisConfig.TLS_KEY;
    if (!parsed.ssl() && (ca != null || cert != null || key != null)) {
      throw new IllegalArgumentException(
          (ca != null ? caSetting : cert != null ? certSetting : keySetting)
              + " is set, but "
              + setting
              + " does not use TLS: start it with rediss:// (or rediss+cluster://) to connect with"
              + " TLS, or remove the TLS settings");
    }
    // The environment fills only what the builder left unset.
    return new RedisConfig(
        parsed,
        password != null && url == null ? password : parsed.password(),
        namespace != null
            ? namespace
            : RedisConfig.checkNamespace(
                RedisConfig.NAMESPACE,
                orDefault(env.string(RedisConfig.NAMESPACE), RedisConfig.DEFAULT_NAMESPACE)),
        timeout != null
            ? timeout
            : RedisConfig.checkTimeout(
                RedisConfig.TIMEOUT,
                orDefault(env.duration(RedisConfig.TIMEOUT), RedisConfig.DEFAULT_TIMEOUT)),
        flushInterval != null
            ? flushInterval
            : RedisConfig.checkFlushInterval(
                RedisConfig.FLUSH_INTERVAL,
                orDefault(
                    env.duration(RedisConfig.FLUSH_INTERVAL), RedisConfig.DEFAULT_FLUSH_INTERVAL)),
        refreshInterval != null
            ? refreshInterval
            : RedisConfig.checkRefreshInterval(
                RedisConfig.REFRESH_INTERVAL,
                orDefault(
                    env.duration(RedisConfig.REFRESH_INTERVAL),
                    RedisConfig.DEFAULT_REFRESH_INTERVAL)),
        bufferSize != null
            ? bufferSize
            : orDefault(
                env.integer(
                    RedisConfig.BUFFER_SIZE,
                    RedisConfig.MIN_BUFFER_SIZE,
                    RedisConfig.MAX_BUFFER_SIZE),
                RedisConfig.DEFAULT_BUFFER_SIZE),
        parsed.ssl()
            ? new RedisConfig.Tls(
                ca, cert, key, RedisTls.options(ca, caSetting, cert, certSetting, key, keySetting))
            : null);
  }

  private static @Nullable Path path(Settings env, String name) {
    String value = env.string(name);
    if (value == null) {
      return null;
    }
    try {
      return Path.of(value.strip());
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(name + " is not a file path: " + e.getMessage(), e);
    }
  }

  private static <T> T orDefault(@Nullable T value, T otherwise) {
    return value == null ? otherwise : value;
  }

  /** Configures a {@link RedisStore}; each setter checks its argument at once. */
  public static final class Builder {
    private @Nullable String url;
    private @Nullable String namespace;
    private @Nullable Duration timeout;
    private @Nullable Duration flushInterval;
    private @Nullable Duration refreshInterval;
    private @Nullable Integer bufferSize;
    private @Nullable Path caCert;
    private @Nullable Path clientCert;
    private @Nullable Path clientKey;

    private Builder() {}

    /**
     * Where Redis is, overriding {@code VIGIL_REDIS_URL}: {@code
     * redis://[[user]:password@]host[:port][/db]}, {@code rediss://} for TLS, or {@code
     * redis+cluster://[[user]:password@]host:port,host:port,...} ({@code rediss+cluster://} for
     * TLS) with some nodes of a Redis Cluster, from which the client learns the others.
     */
    public Builder url(String url) {
      Objects.requireNonNull(url, "url must not be null");
      RedisConfig.parseUrl("RedisStore.Builder.url", url);
      this.url = url;
      return this;
    }

    /**
     * The key namespace ({@code VIGIL_REDIS_NAMESPACE}, default {@code vigil}): services sharing
     * one count together in {@code active_users_system_distinct}.
     */
    public Builder namespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace must not be null");
      this.namespace = RedisConfig.checkNamespace("RedisStore.Builder.namespace", namespace);
      return this;
    }

    /** Connect and read timeout of each round trip ({@code VIGIL_REDIS_TIMEOUT}, 500 ms). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout must not be null");
      this.timeout = RedisConfig.checkTimeout("RedisStore.Builder.timeout", timeout);
      return this;
    }

    /** How often ids are sent ({@code VIGIL_REDIS_FLUSH_INTERVAL}, 1 s). */
    public Builder flushInterval(Duration interval) {
      Objects.requireNonNull(interval, "flushInterval must not be null");
      this.flushInterval =
          RedisConfig.checkFlushInterval("RedisStore.Builder.flushInterval", interval);
      return this;
    }

    /**
     * How often distinct users and top spenders are read back ({@code
     * VIGIL_REDIS_REFRESH_INTERVAL}, 5 s); never more often than the flush interval.
     */
    public Builder refreshInterval(Duration interval) {
      Objects.requireNonNull(interval, "refreshInterval must not be null");
      this.refreshInterval =
          RedisConfig.checkRefreshInterval("RedisStore.Builder.refreshInterval", interval);
      return this;
    }

    /**
     * How many user ids wait for a flush at most ({@code VIGIL_REDIS_BUFFER_SIZE}, 262,144),
     * rounded down to a power of two; more are dropped and counted.
     */
    public Builder bufferSize(int ids) {
      this.bufferSize = RedisConfig.checkBufferSize("RedisStore.Builder.bufferSize", ids);
      return this;
    }

    /**
     * Trusts the CA certificates in this PEM file for {@code rediss://}, instead of the JDK's trust
     * store ({@code VIGIL_REDIS_TLS_CA_CERT}); with the builder's TLS settings, the environment's
     * are not read.
     */
    public Builder trustedCertificates(Path caCertPem) {
      this.caCert = Objects.requireNonNull(caCertPem, "caCertPem must not be null");
      return this;
    }

    /**
     * Presents this client certificate, with its unencrypted PKCS#8 private key, both PEM, to a
     * Redis that asks for one ({@code tls-auth-clients}; {@code VIGIL_REDIS_TLS_CERT} and {@code
     * VIGIL_REDIS_TLS_KEY}).
     */
    public Builder clientTls(Path certificatePem, Path privateKeyPem) {
      this.clientCert = Objects.requireNonNull(certificatePem, "certificatePem must not be null");
      this.clientKey = Objects.requireNonNull(privateKeyPem, "privateKeyPem must not be null");
      return this;
    }

    public RedisStore build() {
      return new RedisStore(this);
    }
  }
}
