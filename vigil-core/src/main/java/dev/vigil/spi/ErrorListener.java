package dev.vigil.spi;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Receives each error passed to {@code handleError} or {@code handleCriticalError}, after it has
 * been counted in {@code errors_total} and logged: error trackers (Sentry) and alerting plug in
 * here. Register one with {@link ExtensionContext#addErrorListener}.
 *
 * <pre>{@code
 * context.addErrorListener((error, errorType, severity, redactedContext) ->
 *     tracker.capture(error, Map.of("type", errorType, "severity", severity)));
 * }</pre>
 *
 * <p>Listeners run on the caller's thread, so they must not block; they should not throw, and are
 * guarded anyway: a listener that throws is logged (rate-limited) and the others still run.
 */
@FunctionalInterface
public interface ErrorListener {
  /** The {@code severity} of {@code handleError}. */
  String ERROR = "error";

  /** The {@code severity} of {@code handleCriticalError}. */
  String CRITICAL = "critical";

  /** The SLF4J logger {@code handleError} writes its ERROR line to. */
  String LOGGER = "dev.vigil.errors";

  /**
   * @param error the error, or null if the caller passed none
   * @param errorType the {@code error_type} label value (the simple class name)
   * @param severity {@link #ERROR} or {@link #CRITICAL}
   * @param context the caller's context, already redacted
   */
  void onError(
      @Nullable Throwable error, String errorType, String severity, Map<String, Object> context);
}
