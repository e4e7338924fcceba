package dev.vigil.internal;

import dev.vigil.Redactor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/**
 * Where one {@code Monitoring}'s log lines go and what they carry: the SLF4J logger factory, the
 * service and environment every line is tagged with, and the redactor. Shared by the structured
 * logger and {@code handleError}.
 *
 * <p>Exceptions reach the backend unchanged when the backend redacts them itself ({@code
 * vigil-logback}'s encoder does, and says so through {@link #backendRedactsThrowables}). With any
 * other backend, an exception whose message, or a cause's or suppressed one's, holds a secret is
 * replaced by a {@link RedactedThrowable} copy: same stack, redacted messages.
 */
public final class LogOutput {
  /** The key-value pairs every Vigil log line carries. */
  public static final String SERVICE = "service";

  public static final String ENVIRONMENT = "environment";

  private static final int MAX_CHAIN = 16;

  private static final ClassValue<Boolean> OVERRIDES_STACK =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          try {
            return type.getMethod("getStackTrace").getDeclaringClass() != Throwable.class;
          } catch (NoSuchMethodException e) {
            return false;
          }
        }
      };

  private final ILoggerFactory factory;
  private final String service;
  private final String environment;
  private final Redactor redactor;
  private final CoreMetrics core;
  private volatile boolean backendRedactsThrowables;
  private volatile boolean tagsLines = true;

  public LogOutput(
      ILoggerFactory factory,
      String service,
      String environment,
      Redactor redactor,
      CoreMetrics core) {
    this.factory = factory;
    this.service = service;
    this.environment = environment;
    this.redactor = redactor;
    this.core = core;
  }

  public ILoggerFactory factory() {
    return factory;
  }

  public Logger logger(String name) {
    return factory.getLogger(name);
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

  /**
   * Whether Vigil's own lines carry the {@value #SERVICE} and {@value #ENVIRONMENT} key-value
   * pairs; off where the log format writes the service itself and a second one would collide
   * (Spring Boot's ECS format writes a {@code service} object).
   */
  public boolean tagsLines() {
    return tagsLines;
  }

  public void tagLines(boolean tag) {
    this.tagsLines = tag;
  }

  /** Set by a backend module whose output redacts exception messages and stack traces itself. */
  public void backendRedactsThrowables(boolean redacts) {
    this.backendRedactsThrowables = redacts;
  }

  public boolean backendRedactsThrowables() {
    return backendRedactsThrowables;
  }

  /**
   * Something failed inside logging; never the caller's problem. Reporting it logs too, which may
   * fail the same way: then it is dropped.
   */
  public void failed(String where, RuntimeException e) {
    try {
      core.internalError(where, e);
    } catch (Throwable ignored) {
      Throwables.rethrowIfFatal(ignored); // the backend is broken; there is nowhere left to say so
    }
  }

  /**
   * {@code error} as it may be handed to the logging backend: itself, or a redacted copy when a
   * message in its chain holds a secret (and the backend does not redact) or cannot even be read (a
   * backend would fail on it). Never throws.
   */
  public Throwable forLog(Throwable error) {
    try {
      Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      if (!needsCopy(error, seen, 0)) {
        return error;
      }
      return copy(error, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      return new RedactedThrowable(error.getClass().getName(), "[unreadable exception]", null);
    }
  }

  private boolean needsCopy(@Nullable Throwable t, Set<Throwable> seen, int depth) {
    if (t == null || !seen.add(t)) {
      return false;
    }
    if (depth > MAX_CHAIN) {
      return true; // the copy stops at the limit: a backend would print every cause of the chain
    }
    String message;
    Throwable cause;
    try {
      message = t.getMessage();
      cause = t.getCause();
      // The backend reads the stack too; only a class that overrides getStackTrace() can fail
      // there, and only then is it worth materialising the stack to find out.
      if (OVERRIDES_STACK.get(t.getClass())) {
        t.getStackTrace();
      }
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      return true; // copied as far as it can be read
    }
    if (!backendRedactsThrowables
        && message != null
        && !redactor.redactText(message).equals(message)) {
      return true;
    }
    for (Throwable suppressed : t.getSuppressed()) {
      if (needsCopy(suppressed, seen, depth + 1)) {
        return true;
      }
    }
    return needsCopy(cause, seen, depth + 1);
  }

  private Throwable copy(Throwable t, Set<Throwable> seen, int depth) {
    seen.add(t);
    Throwable cause = readCause(t);
    Throwable causeCopy =
        cause == null || depth >= MAX_CHAIN || seen.contains(cause)
            ? null
            : copy(cause, seen, depth + 1);
    String message = message(t);
    RedactedThrowable copy =
        new RedactedThrowable(
            t.getClass().getName(),
            message == null ? null : redactor.redactText(message),
            causeCopy);
    copy.setStackTrace(readStack(t));
    for (Throwable suppressed : t.getSuppressed()) {
      if (depth < MAX_CHAIN && !seen.contains(suppressed)) {
        copy.addSuppressed(copy(suppressed, seen, depth + 1));
      }
    }
    return copy;
  }

  /** {@code getMessage()}, which user code may override and break. */
  public static @Nullable String message(Throwable error) {
    try {
      return error.getMessage();
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      return "[message unavailable: " + e.getClass().getName() + "]";
    }
  }

  private static @Nullable Throwable readCause(Throwable t) {
    try {
      return t.getCause();
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      return null;
    }
  }

  private static StackTraceElement[] readStack(Throwable t) {
    try {
      StackTraceElement[] stack = t.getStackTrace();
      return stack == null ? new StackTraceElement[0] : stack;
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      return new StackTraceElement[0];
    }
  }
}
