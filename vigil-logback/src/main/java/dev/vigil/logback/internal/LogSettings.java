package dev.vigil.logback.internal;

import ch.qos.logback.classic.Level;
import dev.vigil.spi.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code LOG_LEVEL} (default {@code info}), {@code LOG_FORMAT} ({@code json} or {@code pretty},
 * default {@code json}) and {@code LOG_ASYNC} (default {@code false}), read when logging starts. A
 * malformed value falls back to its default here, with a Logback error status naming the variable,
 * because logging must come up; {@code Monitoring.fromEnv} then fails the start-up on the same
 * value.
 */
final class LogSettings {
  final Level level;
  final boolean pretty;
  final boolean async;
  final List<String> problems;

  /** The values {@code LOG_LEVEL} accepts, in the order messages list them. */
  static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

  /** The values {@code LOG_FORMAT} accepts. */
  static final List<String> FORMATS = List.of("json", "pretty");

  private LogSettings(Level level, boolean pretty, boolean async, List<String> problems) {
    this.level = level;
    this.pretty = pretty;
    this.async = async;
    this.problems = List.copyOf(problems);
  }

  static LogSettings read(Map<String, String> variables) {
    Settings env = Settings.of(variables);
    List<String> problems = new ArrayList<>();
    Level level = Level.INFO;
    boolean pretty = false;
    boolean async = false;
    try {
      String name = env.choice("LOG_LEVEL", LEVELS);
      if (name != null) {
        level = Level.toLevel(name, Level.INFO);
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage() + "; logging at info");
    }
    try {
      pretty = "pretty".equals(env.choice("LOG_FORMAT", FORMATS));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage() + "; writing json");
    }
    try {
      async = Boolean.TRUE.equals(env.bool("LOG_ASYNC"));
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage() + "; writing synchronously");
    }
    return new LogSettings(level, pretty, async, problems);
  }
}
