package dev.vigil;

import dev.vigil.internal.LogOutput;
import dev.vigil.internal.Throwables;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.CallerBoundaryAware;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Structured logging for one service: a message plus named fields, tagged with the service and the
 * environment, with every field redacted before it reaches the logging backend. What {@link
 * Monitoring#logger()} returns.
 *
 * <pre>{@code
 * StructuredLogger log = monitoring.logger();
 * log.info("Message received", Map.of("userId", userId, "text", text));
 * log.error("Payment failed", e, Map.of("userId", userId, "plan", plan, "amount", amount));
 *
 * // or field by field; nothing is built when the level is off
 * log.atDebug().field("jobId", job.id()).field("prompt", prompt).log("Generating image");
 * }</pre>
 *
 * <p>Fields travel as SLF4J 2 key-value pairs, so any SLF4J backend receives them. With {@code
 * vigil-logback} on the class path each line is one JSON object: {@code timestamp}, {@code level},
 * {@code service}, {@code environment}, {@code logger}, {@code thread}, {@code message}, the {@link
 * LogContext} ids, the fields, and {@code stack_trace} for an exception.
 *
 * <p>Values under sensitive keys, and secrets recognised in text (the message included), are
 * replaced as the {@link Redactor} says. Logging never throws: if the backend fails, the failure is
 * reported in Vigil's rate-limited warning and the call returns. A disabled level costs one level
 * check.
 */
public final class StructuredLogger {
  private static final String FQCN = StructuredLogger.class.getName();
  private static final String EVENT_FQCN = Event.class.getName();

  private final Logger logger;
  private final LogOutput output;

  StructuredLogger(Logger logger, LogOutput output) {
    this.logger = logger;
    this.output = output;
  }

  /** The SLF4J logger underneath, for calls this class does not offer. */
  public Logger slf4j() {
    return logger;
  }

  public void debug(String message) {
    log(Level.DEBUG, message, null, null, FQCN);
  }

  public void debug(String message, @Nullable Map<String, ?> fields) {
    log(Level.DEBUG, message, null, fields, FQCN);
  }

  public void info(String message) {
    log(Level.INFO, message, null, null, FQCN);
  }

  public void info(String message, @Nullable Map<String, ?> fields) {
    log(Level.INFO, message, null, fields, FQCN);
  }

  public void warn(String message) {
    log(Level.WARN, message, null, null, FQCN);
  }

  public void warn(String message, @Nullable Map<String, ?> fields) {
    log(Level.WARN, message, null, fields, FQCN);
  }

  public void warn(String message, @Nullable Throwable error, @Nullable Map<String, ?> fields) {
    log(Level.WARN, message, error, fields, FQCN);
  }

  public void error(String message) {
    log(Level.ERROR, message, null, null, FQCN);
  }

  public void error(String message, @Nullable Map<String, ?> fields) {
    log(Level.ERROR, message, null, fields, FQCN);
  }

  /** An ERROR line with the exception's (redacted) stack trace. */
  public void error(String message, @Nullable Throwable error, @Nullable Map<String, ?> fields) {
    log(Level.ERROR, message, error, fields, FQCN);
  }

  /** Whether lines at {@code level} are written at all. */
  public boolean isEnabled(Level level) {
    try {
      return logger.isEnabledForLevel(level);
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      output.failed("logger", Throwables.asRuntime(e));
      return false;
    }
  }

  public Event atDebug() {
    return at(Level.DEBUG);
  }

  public Event atInfo() {
    return at(Level.INFO);
  }

  public Event atWarn() {
    return at(Level.WARN);
  }

  public Event atError() {
    return at(Level.ERROR);
  }

  private Event at(Level level) {
    return isEnabled(level) ? new Event(this, level) : Event.DISABLED;
  }

  private void log(
      Level level,
      @Nullable String message,
      @Nullable Throwable error,
      @Nullable Map<String, ?> fields,
      String boundary) {
    try {
      if (!logger.isEnabledForLevel(level)) {
        return;
      }
      LoggingEventBuilder event = logger.makeLoggingEventBuilder(level);
      if (event instanceof CallerBoundaryAware) {
        // %caller and %line then name the application's line, not this class
        ((CallerBoundaryAware) event).setCallerBoundary(boundary);
      }
      if (output.tagsLines()) {
        event.addKeyValue(LogOutput.SERVICE, output.service());
        event.addKeyValue(LogOutput.ENVIRONMENT, output.environment());
      }
      for (Map.Entry<String, Object> field : output.redactor().redact(fields).entrySet()) {
        if (!LogOutput.SERVICE.equals(field.getKey())
            && !LogOutput.ENVIRONMENT.equals(field.getKey())) {
          event.addKeyValue(field.getKey(), field.getValue());
        }
      }
      if (error != null) {
        event.setCause(output.forLog(error));
      }
      event.log(output.redactor().redactText(message));
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      output.failed("logger", Throwables.asRuntime(e));
    }
  }

  /**
   * One log line being built field by field. Not thread-safe; build it and {@link #log} it on one
   * thread. At a disabled level every method does nothing.
   */
  public static final class Event {
    static final Event DISABLED = new Event(null, Level.TRACE);

    private final @Nullable StructuredLogger owner;
    private final Level level;
    private @Nullable Map<String, @Nullable Object> fields;
    private @Nullable Throwable error;

    private Event(@Nullable StructuredLogger owner, Level level) {
      this.owner = owner;
      this.level = level;
    }

    /** Adds a field; a later field of the same name replaces the earlier one. */
    public Event field(String name, @Nullable Object value) {
      if (owner != null && name != null) {
        if (fields == null) {
          fields = new LinkedHashMap<>();
        }
        fields.put(name, value);
      }
      return this;
    }

    /** Attaches an exception, written with its (redacted) stack trace. */
    public Event error(@Nullable Throwable error) {
      if (owner != null) {
        this.error = error;
      }
      return this;
    }

    /** Writes the line. */
    public void log(String message) {
      if (owner != null) {
        owner.log(level, message, error, fields, EVENT_FQCN);
      }
    }
  }
}
