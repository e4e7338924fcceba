package dev.vigil.sentry.internal;

import dev.vigil.spi.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code SentryReporter} sends and how, from its builder and the {@code SENTRY_*} variables.
 * Each value passes one check, whether it came from a variable or a builder method, and the message
 * names whichever it was; the DSN is a secret and never appears in one.
 *
 * @param dsn where to send events; null for none
 * @param environment Sentry's environment; null for the Monitoring's
 * @param release the release events belong to; null for none
 * @param tracesSampleRate the share of transactions traced; null for no tracing
 * @param serverName the server name on events; null for none
 * @param alerts whether alerts go to Sentry too
 */
public record SentrySettings(
    @Nullable String dsn,
    boolean enabled,
    @Nullable String environment,
    @Nullable String release,
    @Nullable Double tracesSampleRate,
    Duration flushTimeout,
    @Nullable String serverName,
    boolean alerts) {

  public static final String DSN = "SENTRY_DSN";
  public static final String ENABLED = "SENTRY_ENABLED";
  public static final String ENVIRONMENT = "SENTRY_ENVIRONMENT";
  public static final String RELEASE = "SENTRY_RELEASE";
  public static final String TRACES_SAMPLE_RATE = "SENTRY_TRACES_SAMPLE_RATE";
  public static final String ALERTS_ENABLED = "ALERT_SENTRY_ENABLED";

  /** The host's name, then Windows' name for it: the server name on events. */
  public static final List<String> HOST = List.of("HOSTNAME", "COMPUTERNAME");

  /** The prefixes and names of every variable read here, for {@code ExtensionContext.settings}. */
  public static final List<String> VARIABLES =
      List.of("SENTRY_", ALERTS_ENABLED, "HOSTNAME", "COMPUTERNAME");

  public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration MAX_FLUSH_TIMEOUT = Duration.ofMinutes(1);

  /** Nothing set: no DSN, errors and alerts on, a flush timeout of 2 s. */
  public static final SentrySettings DEFAULTS =
      new SentrySettings(null, true, null, null, null, DEFAULT_FLUSH_TIMEOUT, null, true);

  /**
   * These settings with what the variables set.
   *
   * @throws IllegalArgumentException naming the variable, if one is malformed
   */
  public SentrySettings read(Settings env) {
    SentrySettings s = this;
    String dsnValue = env.secret(DSN);
    if (dsnValue != null) {
      s = s.withDsn(checkDsn(DSN, dsnValue));
    }
    Boolean on = env.bool(ENABLED);
    if (on != null) {
      s = s.withEnabled(on);
    }
    String sentryEnvironment = env.string(ENVIRONMENT);
    if (sentryEnvironment != null) {
      s = s.withEnvironment(sentryEnvironment);
    }
    String releaseValue = env.string(RELEASE);
    if (releaseValue != null) {
      s = s.withRelease(releaseValue);
    }
    Double rate = env.number(TRACES_SAMPLE_RATE, 0.0, 1.0);
    if (rate != null) {
      s = s.withTracesSampleRate(rate);
    }
    Boolean alertsOn = env.bool(ALERTS_ENABLED);
    if (alertsOn != null) {
      s = s.withAlerts(alertsOn);
    }
    for (String name : HOST) {
      String host = env.string(name);
      if (host != null) {
        return s.withServerName(host);
      }
    }
    return s;
  }

  public SentrySettings withDsn(@Nullable String value) {
    return new SentrySettings(
        value, enabled, environment, release, tracesSampleRate, flushTimeout, serverName, alerts);
  }

  public SentrySettings withEnabled(boolean value) {
    return new SentrySettings(
        dsn, value, environment, release, tracesSampleRate, flushTimeout, serverName, alerts);
  }

  public SentrySettings withEnvironment(String value) {
    return new SentrySettings(
        dsn, enabled, value, release, tracesSampleRate, flushTimeout, serverName, alerts);
  }

  public SentrySettings withRelease(String value) {
    return new SentrySettings(
        dsn, enabled, environment, value, tracesSampleRate, flushTimeout, serverName, alerts);
  }

  public SentrySettings withTracesSampleRate(double value) {
    return new SentrySettings(
        dsn, enabled, environment, release, value, flushTimeout, serverName, alerts);
  }

  public SentrySettings withFlushTimeout(Duration value) {
    return new SentrySettings(
        dsn, enabled, environment, release, tracesSampleRate, value, serverName, alerts);
  }

  public SentrySettings withServerName(String value) {
    return new SentrySettings(
        dsn, enabled, environment, release, tracesSampleRate, flushTimeout, value, alerts);
  }

  public SentrySettings withAlerts(boolean value) {
    return new SentrySettings(
        dsn, enabled, environment, release, tracesSampleRate, flushTimeout, serverName, value);
  }

  /**
   * A share from 0 to 1, with the message {@code Settings.number} gives a variable.
   *
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static double checkRate(String setting, double rate) {
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw new IllegalArgumentException(setting + " must be between 0 and 1, got " + rate);
    }
    return rate;
  }

  /**
   * More than 0 and at most 1 minute.
   *
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static Duration checkFlushTimeout(String setting, Duration timeout) {
    Objects.requireNonNull(timeout, setting + " must not be null");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_FLUSH_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          setting + " must be more than 0 and at most 1 minute, got " + timeout);
    }
    return timeout;
  }

  /**
   * Text that is not blank, stripped.
   *
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static String nonBlank(String setting, String value) {
    Objects.requireNonNull(value, setting + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(setting + " must not be blank");
    }
    return value.strip();
  }

  /**
   * A DSN, {@code https://<public key>@<host>/<project id>}. It is a secret: the message says what
   * is wrong and never repeats it.
   *
   * @throws IllegalArgumentException naming {@code setting}
   */
  public static String checkDsn(String setting, String dsn) {
    String problem = null;
    try {
      URI uri = new URI(dsn.strip());
      String scheme = uri.getScheme();
      String path = uri.getPath();
      if (scheme == null || !(scheme.equals("https") || scheme.equals("http"))) {
        problem = "it must start with https:// (or http://)";
      } else if (uri.getUserInfo() == null || uri.getUserInfo().isBlank()) {
        problem = "it has no public key before the @";
      } else if (uri.getHost() == null) {
        problem = "it has no host";
      } else if (path == null || path.length() < 2 || path.endsWith("/")) {
        problem = "it has no project id at the end of the path";
      }
    } catch (URISyntaxException e) {
      problem = "it is not a URL";
    }
    if (problem != null) {
      throw new IllegalArgumentException(
          setting
              + " is not a valid Sentry DSN: "
              + problem
              + ". Expected"
              + " https://<public key>@<host>/<project id>, as shown in Sentry's project"
              + " settings under Client Keys; unset it to send no errors to Sentry.");
    }
    return dsn;
  }
}
