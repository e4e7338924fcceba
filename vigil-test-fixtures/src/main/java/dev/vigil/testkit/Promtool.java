package dev.vigil.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code promtool} from the Prometheus distribution. The test command in the README
 * installs it; a missing binary fails loudly rather than skipping, so CI cannot pass by accident.
 */
public final class Promtool {
  private Promtool() {}

  /** The result of one promtool run. */
  public record Result(int exitCode, String output) {}

  public static Path binary() {
    return Executables.require("promtool", "prometheus");
  }

  /** {@code promtool check metrics}, which parses the text exposition with Prometheus' parser. */
  public static Result checkMetrics(String exposition) {
    return run(exposition, List.of(binary().toString(), "check", "metrics"));
  }

  /**
   * {@code promtool test rules} on a unit-test file given as YAML: Prometheus' own PromQL engine
   * evaluates the {@code promql_expr_test} expressions over the {@code input_series}, and compares
   * the results exactly with the expected samples.
   */
  public static Result testRules(String unitTestYaml) {
    try {
      Path dir = Files.createTempDirectory("vigil-promtool");
      Path file = dir.resolve("test.yml");
      Files.writeString(file, unitTestYaml, StandardCharsets.UTF_8);
      try {
        return run(List.of(binary().toString(), "test", "rules", file.toString()));
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot write the promtool test file: " + e, e);
    }
  }

  public static Result run(List<String> command) {
    return run(null, command);
  }

  private static Result run(String stdin, List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (OutputStream in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within 60 s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError(command + " could not run: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
