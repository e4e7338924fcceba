package dev.vigil.internal;

import dev.vigil.Kpi;
import dev.vigil.Redactor;
import dev.vigil.spi.ErrorListener;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * {@code handleError}: count the error in {@code errors_total{error_type,severity}}, log it with
 * its redacted context, and hand it to the listeners (Sentry, alerts). Whatever it is given, it
 * never throws.
 *
 * <p>The log line goes to the SLF4J logger {@value #LOGGER} at ERROR, with the key-value pairs
 * {@code service}, {@code environment}, {@code error_type}, {@code severity} and {@code context}
 * (the redacted map), and the exception as the line's cause: unchanged when the backend redacts
 * stack traces itself, otherwise a redacted copy when a message in its chain holds a secret.
 */
public final class ErrorHandling {
  public static final String ERROR = ErrorListener.ERROR;
  public static final String CRITICAL = ErrorListener.CRITICAL;
  public static final String LOGGER = ErrorListener.LOGGER;

  private final CoreMetrics core;
  private final LogOutput output;
  private final Logger log;
  private volatile ErrorListener[] listeners = new ErrorListener[0];

  public ErrorHandling(CoreMetrics core, LogOutput output) {
    this.core = core;
    this.output = output;
    this.log = output.logger(LOGGER);
  }

  public Redactor redactor() {
    return output.redactor();
  }

  /** See {@link LogOutput#tagsLines()}. */
  public boolean tagsLines() {
    return output.tagsLines();
  }

  /** Adds a listener, called after the error is counted and logged, on the caller's thread. */
  public synchronized void addListener(ErrorListener listener) {
    ErrorListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
    next[next.length - 1] = listener;
    listeners = next;
  }

  public void handle(@Nullable Throwable error, @Nullable Map<String, ?> context, String severity) {
    try {
      String errorType = Kpi.errorType(error);
      core.error(errorType, severity);
      Map<String, Object> safeContext = output.redactor().redact(context);
      log(error, errorType, severity, safeContext);
      for (ErrorListener listener : listeners) {
        try {
          listener.onError(error, errorType, severity, safeContext);
        } catch (Throwable e) {
          Throwables.rethrowIfFatal(e);
          output.failed(listener.getClass().getName(), Throwables.asRuntime(e));
        }
      }
    } catch (Throwable e) {
      // handleError is what callers use when things already went wrong: it must not add to it.
      Throwables.rethrowIfFatal(e);
      output.failed("handleError", Throwables.asRuntime(e));
    }
  }

  private void log(
      @Nullable Throwable error, String errorType, String severity, Map<String, Object> context) {
    try {
      if (!log.isErrorEnabled()) {
        return;
      }
      String message =
          error == null ? "(no exception given)" : output.redactor().redactText(summary(error));
      LoggingEventBuilder event = log.atError();
      if (output.tagsLines()) {
        event.addKeyValue(LogOutput.SERVICE, output.service());
        event.addKeyValue(LogOutput.ENVIRONMENT, output.environment());
      }
      event.addKeyValue("error_type", errorType).addKeyValue("severity", severity);
      if (!context.isEmpty()) {
        event.addKeyValue("context", context);
      }
      if (error != null) {
        event.setCause(output.forLog(error));
      }
      event.log(
          (CRITICAL.equals(severity) ? "Critical error " : "Error ") + errorType + ": " + message);
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      output.failed("handleError logging", Throwables.asRuntime(e));
    }
  }

  /**
   * What the line says about the exception: its message, or, for one without (a refused
   * connection's {@code ConnectException}), its cause's, never "null".
   */
  static String summary(Throwable error) {
    String message = LogOutput.message(error);
    if (message != null && !message.isBlank()) {
      return message;
    }
    Throwable cause = error.getCause();
    if (cause == null || cause == error) {
      return "no message";
    }
    String causeMessage = LogOutput.message(cause);
    return "caused by "
        + cause.getClass().getName()
        + (causeMessage == null || causeMessage.isBlank() ? "" : ": " + causeMessage);
  }
}
