package dev.vigil.internal;

/**
 * The one rule for what Vigil catches from code it does not control (a {@code toString()}, a {@code
 * getMessage()}, a map's {@code get}, a channel, a listener): everything, except the {@link
 * VirtualMachineError}s that mean the JVM itself is failing ({@link OutOfMemoryError}, {@link
 * InternalError}, ...) and {@link ThreadDeath}, which are rethrown so that the application and the
 * JVM handle them as they would without Vigil. A {@link StackOverflowError} is caught: a
 * self-referential value or a {@code toString()} that calls itself causes it, and the stack it used
 * is free again once it is caught.
 */
public final class Throwables {
  private Throwables() {}

  /** Rethrows {@code t} if Vigil must not swallow it; otherwise returns normally. */
  @SuppressWarnings("deprecation") // ThreadDeath: still what Thread.stop throws on Java 17
  public static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
      throw (VirtualMachineError) t;
    }
    if (t instanceof ThreadDeath) {
      throw (ThreadDeath) t;
    }
  }

  /** Whether {@link #rethrowIfFatal} would rethrow {@code t}. */
  @SuppressWarnings("deprecation") // ThreadDeath
  public static boolean isFatal(Throwable t) {
    return (t instanceof VirtualMachineError && !(t instanceof StackOverflowError))
        || t instanceof ThreadDeath;
  }

  /** {@code t} as a {@link RuntimeException}, for the internal-error reporting paths. */
  public static RuntimeException asRuntime(Throwable t) {
    return t instanceof RuntimeException ? (RuntimeException) t : new IllegalStateException(t);
  }

  /** The class name of {@code t}, the one thing about a failing object that is safe to read. */
  public static String describe(Throwable t) {
    return t.getClass().getName();
  }
}
