package dev.vigil.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Receives each error passed to {@code handleError} or {@code handleCriticalError}, after it has
 * been logged and counted: error trackers (Sentry) and alerting plug in here. The context is
 * already redacted. Listeners must not block and must not throw; they are guarded anyway.
 */
public interface ErrorListener {
  /**
   * @param error the error, or null if the caller passed none
   * @param errorType the {@code error_type} label value (the simple class name)
   * @param severity {@code "error"} or {@code "critical"}
   * @param context the caller's context, redacted
   */
  void onError(
      @Nullable Throwable error, String errorType, String severity, Map<String, Object> context);
}
