package dev.vigil.logback.internal;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.vigil.logback.VigilJsonEncoder;
import dev.vigil.logback.VigilPrettyLayout;
import dev.vigil.spi.Extension;
import dev.vigil.spi.ExtensionContext;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;

/**
 * Connects a {@code Monitoring} to the Logback context its logs go to: stores the service, the
 * environment and the redactor in the context (so that lines logged through plain SLF4J carry the
 * same service and are redacted the same way), and tells the core whether every appender redacts
 * stack traces itself, in which case exceptions are handed to Logback unchanged. Found through
 * {@code META-INF/services/dev.vigil.spi.Extension}.
 */
public final class LogbackExtension implements Extension {

  @Override
  public void install(ExtensionContext monitoring) {
    // Logback was configured from these before any Monitoring existed, and could only warn about a
    // typo; checked again here so that it fails the start-up, naming the variable.
    LogSettings.read(monitoring.settings("LOG_")).check();
    ILoggerFactory factory = monitoring.loggerFactory();
    if (!(factory instanceof LoggerContext)) {
      return;
    }
    LoggerContext context = (LoggerContext) factory;
    context.putObject(
        LogIdentity.KEY,
        new LogIdentity(monitoring.service(), monitoring.environment(), monitoring.redactor()));
    monitoring.backendRedactsThrowables(everyAppenderRedacts(context));
  }

  @Override
  public String name() {
    return "logback";
  }

  /** Whether each appender of the context writes through Vigil's encoder or layout. */
  static boolean everyAppenderRedacts(LoggerContext context) {
    boolean any = false;
    for (Logger logger : context.getLoggerList()) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        any = true;
        if (!redacts(it.next())) {
          return false;
        }
      }
    }
    return any;
  }

  private static boolean redacts(Appender<ILoggingEvent> appender) {
    if (appender instanceof AsyncAppender) {
      Iterator<Appender<ILoggingEvent>> it = ((AsyncAppender) appender).iteratorForAppenders();
      boolean any = false;
      while (it.hasNext()) {
        any = true;
        if (!redacts(it.next())) {
          return false;
        }
      }
      return any;
    }
    if (appender instanceof OutputStreamAppender) {
      Encoder<ILoggingEvent> encoder =
          ((OutputStreamAppender<ILoggingEvent>) appender).getEncoder();
      return encoder instanceof VigilJsonEncoder
          || (encoder instanceof LayoutWrappingEncoder
              && ((LayoutWrappingEncoder<ILoggingEvent>) encoder).getLayout()
                  instanceof VigilPrettyLayout);
    }
    return false;
  }
}
