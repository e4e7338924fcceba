package dev.vigil.sentry.internal;

import dev.vigil.spi.ErrorListener;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryExceptionFactory;
import io.sentry.SentryLevel;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sends each error of {@code handleError} to Sentry as an event with the exception chain (messages
 * redacted), level {@code error} or {@code fatal}, the tags {@code service}, {@code environment},
 * {@code error_type} and {@code severity}, and the redacted context as the {@value #CONTEXT}
 * context.
 *
 * <p>The exception list is built here, with the SDK's own factory, rather than by the SDK from the
 * throwable: the SDK would build it after every hook a Vigil event passes through when the
 * application initialised Sentry itself, so its messages could not be redacted. The capture itself
 * only queues the event; the SDK's transport thread sends it.
 */
public final class SentryListener implements ErrorListener {
  /** The Sentry context that holds {@code handleError}'s redacted context map. */
  public static final String CONTEXT = "context";

  private final String service;
  private final String environment;
  private final @Nullable String serverName;
  private final SentryExceptionFactory exceptions;
  private final EventRedaction redaction;

  public SentryListener(
      String service,
      String environment,
      @Nullable String serverName,
      SentryExceptionFactory exceptions,
      EventRedaction redaction) {
    this.service = service;
    this.environment = environment;
    this.serverName = serverName;
    this.exceptions = exceptions;
    this.redaction = redaction;
  }

  @Override
  public void onError(
      @Nullable Throwable error, String errorType, String severity, Map<String, Object> context) {
    SentryEvent event = new SentryEvent();
    event.setLevel(ErrorListener.CRITICAL.equals(severity) ? SentryLevel.FATAL : SentryLevel.ERROR);
    event.setLogger(ErrorListener.LOGGER);
    if (error == null) {
      Message message = new Message();
      message.setFormatted("handleError was called without an exception");
      event.setMessage(message);
    } else {
      List<SentryException> chain = exceptionsOf(error);
      redaction.redactExceptions(chain);
      event.setExceptions(chain);
    }
    event.setTag("service", service);
    event.setTag("environment", environment);
    event.setTag("error_type", errorType);
    event.setTag("severity", severity);
    if (!context.isEmpty()) {
      event.getContexts().put(CONTEXT, context);
    }
    if (serverName != null) {
      // Set here, the SDK never looks the host name up on this thread (a lookup may block 1 s).
      event.setServerName(serverName);
    }
    Sentry.captureEvent(event);
  }

  private List<SentryException> exceptionsOf(Throwable error) {
    try {
      return exceptions.getSentryExceptions(error);
    } catch (RuntimeException e) {
      // An exception whose getMessage or getStackTrace fails still becomes an event.
      SentryException unreadable = new SentryException();
      unreadable.setType(error.getClass().getSimpleName());
      unreadable.setModule(error.getClass().getPackageName());
      unreadable.setValue("[unreadable exception: " + e.getClass().getName() + "]");
      return List.of(unreadable);
    }
  }
}
