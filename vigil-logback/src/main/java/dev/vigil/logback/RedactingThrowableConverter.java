package dev.vigil.logback;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.vigil.Redactor;
import dev.vigil.logback.internal.LogIdentity;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;

/**
 * Prints an event's stack trace with the secrets in its messages redacted: the first line, every
 * {@code Caused by:} and {@code Suppressed:} line go through the {@link Redactor}; frames are left
 * as they are. The JSON encoder and the readable layout use it; in a {@code logback.xml} of your
 * own, use it in place of {@code %ex}:
 *
 * <pre>{@code
 * <conversionRule conversionWord="vex"
 *                 class="dev.vigil.logback.RedactingThrowableConverter"/>
 * <pattern>%d %-5level %logger - %msg%n%vex</pattern>
 * }</pre>
 *
 * <p>Options are those of logstash-logback-encoder's {@code ShortenedThrowableConverter}, such as
 * {@code %vex{30}} for at most 30 frames per exception. A trace is cut at {@value #MAX_LENGTH}
 * characters.
 */
public class RedactingThrowableConverter extends ThrowableHandlingConverter {
  /** The longest trace written, in characters. */
  public static final int MAX_LENGTH = 32_768;

  private final ShortenedThrowableConverter delegate = new ShortenedThrowableConverter();

  @Override
  public void start() {
    delegate.setContext(getContext());
    delegate.setOptionList(getOptionList());
    delegate.setMaxLength(MAX_LENGTH);
    delegate.setLineSeparator("\n");
    delegate.start();
    super.start();
  }

  @Override
  public void stop() {
    delegate.stop();
    super.stop();
  }

  @Override
  public String convert(ILoggingEvent event) {
    if (event.getThrowableProxy() == null) {
      return "";
    }
    return redact(delegate.convert(event), LogIdentity.of(getContext()).redactor());
  }

  /** Redacts the message lines of a printed stack trace; frame lines cannot hold secrets. */
  static String redact(String trace, Redactor redactor) {
    StringBuilder out = new StringBuilder(trace.length() + 16);
    int start = 0;
    while (start < trace.length()) {
      int end = trace.indexOf('\n', start);
      int lineEnd = end < 0 ? trace.length() : end;
      String line = trace.substring(start, lineEnd);
      out.append(isFrame(line) ? line : redactor.redactText(line));
      if (end >= 0) {
        out.append('\n');
      }
      start = lineEnd + 1;
    }
    return out.toString();
  }

  private static boolean isFrame(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == '\t') {
      i++;
    }
    return i > 0 && (line.startsWith("at ", i) || line.startsWith("... ", i));
  }
}
