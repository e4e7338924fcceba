package dev.vigil.internal;

import org.jspecify.annotations.Nullable;

/**
 * Stands in for an exception whose message held a secret, when the logging backend would print it
 * as it is. Its message starts with the original class name, its stack is the original's.
 */
public final class RedactedThrowable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String originalClassName;

  public RedactedThrowable(
      String originalClassName, @Nullable String redactedMessage, @Nullable Throwable cause) {
    super(
        redactedMessage == null ? originalClassName : originalClassName + ": " + redactedMessage,
        cause);
    this.originalClassName = originalClassName;
  }

  /** The class of the exception this one replaces. */
  public String originalClassName() {
    return originalClassName;
  }

  /** The stack comes from the original; capturing this constructor's own would be wasted work. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  @Override
  public String toString() {
    return getMessage();
  }
}
