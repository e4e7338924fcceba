package dev.vigil.internal;

import dev.vigil.Kpi;
import dev.vigil.Redactor;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code handleError}: log the error with its redacted context, count it in {@code
 * errors_total{error_type,severity}}, and hand it to the listeners (Sentry, alerts). Whatever it
 * is given, it never throws.
 */
public final class ErrorHandling {
  public static final String ERROR = "error";
  public static final String CRITICAL = "critical";

  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.errors");

  private final CoreMetrics core;
  private final Redactor redactor;
  private volatile ErrorListener[] listeners = new ErrorListener[0];

  public ErrorHandling(CoreMetrics core, Redactor redactor) {
    this.core = core;
    this.redactor = redactor;
  }

  public Redactor redactor() {
    return redactor;
  }

  public synchronized void addListener(ErrorListener listener) {
    ErrorListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
    next[next.length - 1] = listener;
    listeners = next;
  }

  public void handle(@Nullable Throwable error, @Nullable Map<String, ?> context, String severity) {
    try {
      String errorType = Kpi.errorType(error);
      Map<String, Object> safeContext = redactor.redact(context);
      core.error(errorType, severity);
      log(error, errorType, severity, safeContext);
      for (ErrorListener listener : listeners) {
        try {
          listener.onError(error, errorType, severity, safeContext);
        } catch (RuntimeException e) {
          core.internalError(listener.getClass().getName(), e);
        }
      }
    } catch (RuntimeException | StackOverflowError e) {
      // handleError is what callers use when things already went wrong: it must not add to it.
      core.internalError("handleError", e instanceof RuntimeException
          ? (RuntimeException) e : new IllegalStateException(e));
    }
  }

  private void log(
      @Nullable Throwable error, String errorType, String severity, Map<String, Object> context) {
    String message = error == null ? "(no exception given)" : redactor.redactText(safeMessage(error));
    LOG.error("{} [{}]: {} context={}", severity, errorType, message, context, error);
  }

  static @Nullable String safeMessage(Throwable error) {
    try {
      return error.getMessage();
    } catch (RuntimeException e) {
      return "[message unavailable: " + e.getClass().getName() + "]";
    }
  }
}
