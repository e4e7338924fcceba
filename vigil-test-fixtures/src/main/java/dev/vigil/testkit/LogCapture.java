package dev.vigil.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Captures what a logger writes, through a real Logback appender.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.of("dev.vigil")) {
 *   monitoring.trackKpi(Kpi.tokenSpend(-1, "gpt-4", "completion"));
 *   assertThat(logs.warnings()).hasSize(1);
 * }
 *
 * // a logging context of its own, independent of the test's logback configuration
 * try (LogCapture logs = LogCapture.isolated()) {
 *   Monitoring monitoring = Monitoring.builder("bot").loggerFactory(logs.context()).build();
 *   monitoring.logger().info("hello", Map.of("userId", "u-1"));
 *   assertThat(logs.render("%msg %kvp")).containsExactly("hello service=\"bot\" ...");
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final @Nullable LoggerContext ownContext;
  private final ListAppender<ILoggingEvent> appender =
      new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
          // Freeze the MDC and the message now, as an asynchronous appender would: the test reads
          // the events after the code under test has left its log context.
          event.prepareForDeferredProcessing();
          super.append(event);
        }
      };
  private final Level previousLevel;

  private LogCapture(Logger logger, @Nullable LoggerContext ownContext, boolean debug) {
    this.logger = logger;
    this.ownContext = ownContext;
    previousLevel = logger.getLevel();
    if (debug) {
      logger.setLevel(Level.DEBUG);
    }
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  /** Captures {@code loggerName} in the process-wide logging context. */
  public static LogCapture of(String loggerName) {
    return new LogCapture((Logger) LoggerFactory.getLogger(loggerName), null, true);
  }

  /**
   * Captures every event of the process-wide logging context that its configuration lets through,
   * whichever logger wrote it (a servlet container's too), without changing any level: to count how
   * often a stack trace was logged.
   */
  public static LogCapture everything() {
    return new LogCapture(
        (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), null, false);
  }

  /** Captures everything logged through a new, private logging context, at DEBUG and above. */
  public static LogCapture isolated() {
    LoggerContext context = new LoggerContext();
    context.setName("capture");
    // the process-wide MDC, so that MDC.put(..) in the code under test reaches these events
    context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
    context.start();
    return new LogCapture(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), context, true);
  }

  /** The private context of {@link #isolated()}, to pass as an SLF4J {@code ILoggerFactory}. */
  public LoggerContext context() {
    if (ownContext == null) {
      throw new IllegalStateException("only LogCapture.isolated() has a context of its own");
    }
    return ownContext;
  }

  public List<ILoggingEvent> events() {
    synchronized (appender.list) {
      return List.copyOf(appender.list);
    }
  }

  /** The formatted messages of the WARN events. */
  public List<String> warnings() {
    return messages(Level.WARN);
  }

  public List<String> messages(Level level) {
    return events().stream()
        .filter(e -> e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .collect(Collectors.toList());
  }

  /** Each captured event as a Logback pattern (such as {@code "%msg %kvp %mdc%n%ex"}) prints it. */
  public List<String> render(String pattern) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(logger.getLoggerContext());
    layout.setPattern(pattern);
    layout.start();
    try {
      return events().stream().map(layout::doLayout).collect(Collectors.toList());
    } finally {
      layout.stop();
    }
  }

  public void clear() {
    synchronized (appender.list) {
      appender.list.clear();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previousLevel);
    appender.stop();
    if (ownContext != null) {
      ownContext.stop();
    }
  }
}
