package dev.vigil.http;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/** The request id in the SLF4J MDC of the thread a request runs on. */
final class RequestLogContext {
  private RequestLogContext() {}

  /** Puts {@code requestId} in the calling thread's MDC; returns the id that was there, or null. */
  static @Nullable String enter(@Nullable String requestId) {
    String previous = MDC.get(HttpInstrumentation.REQUEST_ID_KEY);
    MDC.put(HttpInstrumentation.REQUEST_ID_KEY, requestId);
    return previous;
  }

  /** Puts back in the calling thread's MDC what {@link #enter} found there. */
  static void leave(@Nullable String previous) {
    if (previous == null) {
      MDC.remove(HttpInstrumentation.REQUEST_ID_KEY);
    } else {
      MDC.put(HttpInstrumentation.REQUEST_ID_KEY, previous);
    }
  }
}
