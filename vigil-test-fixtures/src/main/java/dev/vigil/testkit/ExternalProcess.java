package dev.vigil.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program started by a test, with its output in a log file that failure messages quote, and
 * stopped (SIGTERM, then SIGKILL after 10 s) when closed.
 *
 * <pre>{@code
 * try (ExternalProcess p = ExternalProcess.start(List.of("/usr/bin/prometheus", ...), dir.resolve("log"))) {
 *   ...
 * }
 * }</pre>
 */
public final class ExternalProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String name;

  private ExternalProcess(Process process, Path log, String name) {
    this.process = process;
    this.log = log;
    this.name = name;
  }

  public static ExternalProcess start(List<String> command, Path log) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new ExternalProcess(process, log, Path.of(command.get(0)).getFileName().toString());
    } catch (IOException e) {
      throw new AssertionError(command + " could not start: " + e, e);
    }
  }

  /**
   * Waits up to 30 s until {@code readyUrl} answers 200 while the process stays alive; otherwise
   * stops it and fails with its log, so a test that cannot start a server says why.
   */
  public void awaitReady(String name, String readyUrl) {
    try {
      await(name + " ready at " + readyUrl)
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                assertAlive();
                return Http.status(readyUrl) == 200;
              });
    } catch (RuntimeException | AssertionError e) {
      String log = logText();
      close();
      throw new AssertionError(name + " did not become ready: " + e + "\nIts log:\n" + log, e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Fails, quoting the log, if the program has exited. */
  public void assertAlive() {
    if (!process.isAlive()) {
      throw new AssertionError(
          name + " exited with " + process.exitValue() + ". Its output:\n" + logText());
    }
  }

  /** What the program printed so far, its last 8,000 characters. */
  public String logText() {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() > 8000 ? text.substring(text.length() - 8000) : text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the program at once (SIGKILL), as a crash would, and waits for it to be gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
