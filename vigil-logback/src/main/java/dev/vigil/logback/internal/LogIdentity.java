package dev.vigil.logback.internal;

import ch.qos.logback.core.Context;
import dev.vigil.Redactor;
import dev.vigil.spi.Settings;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What every log line of a logging context is tagged with, and the redactor its output goes
 * through. A {@code Monitoring} stores its own in the context when it is built ({@link
 * LogbackExtension}); until then, and in a context none was stored in, the values come from the
 * environment: {@code OTEL_SERVICE_NAME} or {@code SERVICE_NAME} (else {@code unknown}), {@code
 * APP_ENV} or {@code ENVIRONMENT} (else {@code development}), and the default redactor.
 *
 * <p>It lives in the context's object map, which is concurrent, so encoders read it per event
 * without a lock.
 */
public final class LogIdentity {
  /** The context object key. */
  public static final String KEY = "dev.vigil.logIdentity";

  private static final LogIdentity FROM_PROCESS = fromEnvironment(System.getenv());

  private final String service;
  private final String environment;
  private final Redactor redactor;

  public LogIdentity(String service, String environment, Redactor redactor) {
    this.service = service;
    this.environment = environment;
    this.redactor = redactor;
  }

  static LogIdentity fromEnvironment(Map<String, String> variables) {
    Settings env = Settings.of(variables);
    String service = first(env, "OTEL_SERVICE_NAME", "SERVICE_NAME");
    String environment = first(env, "APP_ENV", "ENVIRONMENT");
    return new LogIdentity(
        service == null ? "unknown" : service,
        environment == null ? "development" : environment,
        Redactor.defaults());
  }

  private static @Nullable String first(Settings env, String name, String fallback) {
    String value = env.string(name);
    return value != null ? value : env.string(fallback);
  }

  /** The identity stored in {@code context}, or the one from the process environment. */
  public static LogIdentity of(@Nullable Context context) {
    Object stored = context == null ? null : context.getObject(KEY);
    return stored instanceof LogIdentity ? (LogIdentity) stored : FROM_PROCESS;
  }

  public String service() {
    return service;
  }

  public String environment() {
    return environment;
  }

  public Redactor redactor() {
    return redactor;
  }
}
