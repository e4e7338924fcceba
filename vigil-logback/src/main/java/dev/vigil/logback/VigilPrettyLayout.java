package dev.vigil.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import dev.vigil.logback.internal.EventFields;
import dev.vigil.logback.internal.LogIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Vigil's readable log line, for a terminal ({@code LOG_FORMAT=pretty}): the same fields as {@link
 * VigilJsonEncoder}, redacted the same way, on one line each.
 *
 * <pre>{@code
 * 2025-06-01T10:00:00.123Z INFO  bot/production [main] bot - Message received userId=42 text="hi there"
 * }</pre>
 *
 * <p>Values with spaces, quotes or {@code =} are quoted, and line breaks inside values are escaped,
 * so that a value cannot forge a line of its own. In a {@code logback.xml} of your own:
 *
 * <pre>{@code
 * <encoder class="ch.qos.logback.core.encoder.LayoutWrappingEncoder">
 *   <layout class="dev.vigil.logback.VigilPrettyLayout"/>
 * </encoder>
 * }</pre>
 */
public class VigilPrettyLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern(VigilJsonEncoder.TIMESTAMP_PATTERN).withZone(ZoneOffset.UTC);

  private final RedactingThrowableConverter throwableConverter = new RedactingThrowableConverter();

  @Override
  public void start() {
    throwableConverter.setContext(getContext());
    throwableConverter.start();
    super.start();
  }

  @Override
  public void stop() {
    throwableConverter.stop();
    super.stop();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    LogIdentity identity = LogIdentity.of(getContext());
    StringBuilder line = new StringBuilder(160);
    TIMESTAMP.formatTo(event.getInstant(), line);
    String level = event.getLevel().toString();
    line.append(' ').append(level);
    for (int i = level.length(); i < 5; i++) {
      line.append(' ');
    }
    line.append(' ')
        .append(EventFields.service(event, identity))
        .append('/')
        .append(EventFields.environment(event, identity))
        .append(" [")
        .append(event.getThreadName())
        .append("] ")
        .append(event.getLoggerName())
        .append(" - ");
    escape(line, identity.redactor().redactText(event.getFormattedMessage()));
    try {
      EventFields.forEach(
          event,
          identity.redactor(),
          (name, value) -> {
            line.append(' ').append(name).append('=');
            value(line, value);
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringBuilder does not throw it
    }
    line.append('\n');
    if (event.getThrowableProxy() != null) {
      line.append(throwableConverter.convert(event));
      if (line.charAt(line.length() - 1) != '\n') {
        line.append('\n');
      }
    }
    return line.toString();
  }

  private static void value(StringBuilder line, @Nullable Object value) {
    String text =
        value instanceof Map || value instanceof Iterable || value == null
            ? String.valueOf(value)
            : value.toString();
    boolean quote = text.isEmpty();
    for (int i = 0; i < text.length() && !quote; i++) {
      char c = text.charAt(i);
      quote = c == ' ' || c == '"' || c == '=' || Character.isISOControl(c);
    }
    if (quote && !(value instanceof Map) && !(value instanceof Iterable)) {
      line.append('"');
      escape(line, text.replace("\"", "\\\""));
      line.append('"');
    } else {
      escape(line, text);
    }
  }

  /** Control characters become escapes: one event stays one line. */
  private static void escape(StringBuilder line, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line.append("\\n");
      } else if (c == '\r') {
        line.append("\\r");
      } else if (c == '\t') {
        line.append("\\t");
      } else if (Character.isISOControl(c)) {
        line.append(String.format("\\u%04x", (int) c));
      } else {
        line.append(c);
      }
    }
  }
}
