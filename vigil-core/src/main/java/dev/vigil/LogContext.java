package dev.vigil;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Correlation ids for every log line written inside a block: the user, the HTTP request or the
 * queue job being handled. The ids go into the SLF4J {@link MDC} under fixed keys, so every log
 * line of the thread carries them, from Vigil's logger, from {@code handleError} and from any
 * library that logs through SLF4J, in whatever methods the block calls.
 *
 * <pre>{@code
 * try (LogContext ctx = LogContext.user(msg.fromId())) {
 *   monitoring.logger().info("Message received", Map.of("text", msg.text()));  // has userId
 *   handle(msg);                                                              // so do its logs
 * }
 *
 * try (LogContext ctx = LogContext.job("image-generation", "dalle-3", job.id())
 *     .and(LogContext.USER_ID, job.userId())) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Closing restores the values the keys had before, so contexts nest: an inner {@code user(..)}
 * shows the inner user until it closes, then the outer one again. A null value hides the key inside
 * the block. The HTTP filter and {@link Metrics#callJob} open contexts for you.
 *
 * <p>The MDC belongs to a thread: open and close a context on the same thread, and use {@link
 * #wrap(Runnable)} to carry the current ids to a task that runs on another thread. Values are cut
 * to {@value #MAX_VALUE_LENGTH} characters. A null or blank key is ignored.
 */
public final class LogContext implements AutoCloseable {
  /** The user being served; also the key the seed's logs use. */
  public static final String USER_ID = "userId";

  /** The HTTP request; the servlet filter puts it here too. */
  public static final String REQUEST_ID = "requestId";

  /** The queue job being processed. */
  public static final String JOB_ID = "jobId";

  /** The queue the job came from. */
  public static final String QUEUE = "queue";

  /** The kind of job, as in {@code queue_job_duration_seconds{job_type}}. */
  public static final String JOB_TYPE = "jobType";

  static final int MAX_VALUE_LENGTH = 256;

  private String[] keys = new String[3];
  private @Nullable String[] previous = new String[3];
  private int size;
  private boolean closed;

  private LogContext() {}

  /** A context naming the user for every log line inside it. */
  public static LogContext user(@Nullable Object userId) {
    return new LogContext().and(USER_ID, userId);
  }

  /** A context naming the HTTP request for every log line inside it. */
  public static LogContext request(@Nullable Object requestId) {
    return new LogContext().and(REQUEST_ID, requestId);
  }

  /** A context naming the queue, the job type and (when known) the job for every log line. */
  public static LogContext job(
      @Nullable String queue, @Nullable String jobType, @Nullable Object jobId) {
    return new LogContext().and(QUEUE, queue).and(JOB_TYPE, jobType).and(JOB_ID, jobId);
  }

  /** A context with any one key of your own. */
  public static LogContext of(String key, @Nullable Object value) {
    return new LogContext().and(key, value);
  }

  /** Adds one more key to this context; it is restored with the others on {@link #close()}. */
  public LogContext and(String key, @Nullable Object value) {
    if (closed || key == null || key.isBlank()) {
      return this;
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      previous = Arrays.copyOf(previous, size * 2);
    }
    keys[size] = key;
    previous[size] = MDC.get(key);
    size++;
    String text = value == null ? null : Redactor.safeToString(value);
    if (text == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, text.length() > MAX_VALUE_LENGTH ? text.substring(0, MAX_VALUE_LENGTH) : text);
    }
    return this;
  }

  /** Restores every key to the value it had before this context; calling it again does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = size - 1; i >= 0; i--) {
      String before = previous[i];
      if (before == null) {
        MDC.remove(keys[i]);
      } else {
        MDC.put(keys[i], before);
      }
    }
  }

  /**
   * {@code task} with the calling thread's current log context: run on another thread, its log
   * lines carry the same ids, and that thread's own context is restored afterwards.
   */
  public static Runnable wrap(Runnable task) {
    Map<String, String> captured = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> before = MDC.getCopyOfContextMap();
      replace(captured);
      try {
        task.run();
      } finally {
        replace(before);
      }
    };
  }

  /**
   * {@link #wrap(Runnable)} for a task with a result. (A different name, so that a lambda is never
   * ambiguous between the two.)
   */
  public static <T> Callable<T> wrapCallable(Callable<T> task) {
    Map<String, String> captured = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> before = MDC.getCopyOfContextMap();
      replace(captured);
      try {
        return task.call();
      } finally {
        replace(before);
      }
    };
  }

  private static void replace(@Nullable Map<String, String> context) {
    if (context == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(context);
    }
  }
}
