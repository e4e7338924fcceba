package dev.vigil.logback.internal;

import ch.qos.logback.classic.Level;
import dev.vigil.spi.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code LOG_LEVEL} (default {@code info}), {@code LOG_FORMAT} ({@code json} or {@code pretty},
 * default {@code json}) and {@code LOG_ASYNC} (default {@code false}), read when logging starts and
 * again when a {@code Monitoring} is built, by this one reader. A malformed value falls back to its
 * default when logging starts, with a Logback error status naming the variable, because logging
 * must come up; building the {@code Monitoring} then fails on the same value with the same message.
 *
 * @param problems each malformed variable's message, naming it, and what logging does instead
 */
record LogSettings(Level level, boolean pretty, boolean async, List<Problem> problems) {
  /** A malformed variable: the message naming it, and the default logging starts with. */
  record Problem(String message, String fallback) {}

  static final String LEVEL = "LOG_LEVEL";
  static final String FORMAT = "LOG_FORMAT";
  static final String ASYNC = "LOG_ASYNC";

  /** The values {@code LOG_LEVEL} accepts, in the order messages list them. */
  static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

  /** The values {@code LOG_FORMAT} accepts. */
  static final List<String> FORMATS = List.of("json", "pretty");

  LogSettings {
    problems = List.copyOf(problems);
  }

  static LogSettings read(Map<String, String> variables) {
    return read(Settings.of(variables));
  }

  static LogSettings read(Settings env) {
    List<Problem> problems = new ArrayList<>();
    Level level = Level.INFO;
    boolean pretty = false;
    boolean async = false;
    try {
      String name = env.choice(LEVEL, LEVELS);
      if (name != null) {
        level = Level.toLevel(name, Level.INFO);
      }
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(e.getMessage(), "logging at info"));
    }
    try {
      pretty = "pretty".equals(env.choice(FORMAT, FORMATS));
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(e.getMessage(), "writing json"));
    }
    try {
      async = Boolean.TRUE.equals(env.bool(ASYNC));
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(e.getMessage(), "writing synchronously"));
    }
    return new LogSettings(level, pretty, async, problems);
  }

  /**
   * Fails on the first malformed variable.
   *
   * @throws IllegalArgumentException naming the variable
   */
  void check() {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.get(0).message());
    }
  }
}
