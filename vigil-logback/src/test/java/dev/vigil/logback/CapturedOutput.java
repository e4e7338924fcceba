package dev.vigil.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/**
 * A private Logback context whose root logger writes, through Vigil's JSON encoder or readable
 * layout, into memory: the real bytes a console would get.
 */
final class CapturedOutput implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private CapturedOutput(boolean pretty) {
    context.setName("captured");
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName("memory");
    appender.setEncoder(pretty ? prettyEncoder() : jsonEncoder());
    appender.setOutputStream(bytes);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.DEBUG);
    root.addAppender(appender);
  }

  static CapturedOutput json() {
    return new CapturedOutput(false);
  }

  static CapturedOutput pretty() {
    return new CapturedOutput(true);
  }

  private Encoder<ILoggingEvent> jsonEncoder() {
    VigilJsonEncoder encoder = new VigilJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  private Encoder<ILoggingEvent> prettyEncoder() {
    VigilPrettyLayout layout = new VigilPrettyLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }

  LoggerContext context() {
    return context;
  }

  String text() {
    synchronized (bytes) {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (String line : text().split("\n")) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** Every line, parsed: each must be one JSON object. */
  List<JsonNode> objects() {
    List<JsonNode> objects = new ArrayList<>();
    for (String line : lines()) {
      try {
        objects.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new UncheckedIOException("not a JSON line: " + line, e);
      }
    }
    return objects;
  }

  JsonNode only() {
    List<JsonNode> objects = objects();
    if (objects.size() != 1) {
      throw new AssertionError("expected one line, got " + objects.size() + ":\n" + text());
    }
    return objects.get(0);
  }

  @Override
  public void close() {
    context.stop();
  }
}
