package dev.vigil.logback;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@link ChildApp} in a fresh JVM with this test's class path and a chosen environment. */
final class ChildJvm {
  private static final List<String> CLEARED =
      List.of(
          "LOG_LEVEL",
          "LOG_FORMAT",
          "LOG_ASYNC",
          "SERVICE_NAME",
          "OTEL_SERVICE_NAME",
          "APP_ENV",
          "ENVIRONMENT",
          "VIGIL_REDACT_KEYS",
          "JAVA_TOOL_OPTIONS");

  record Result(int exitCode, String stdout, String stderr) {
    List<String> lines() {
      List<String> lines = new ArrayList<>();
      for (String line : stdout.split("\n")) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
      return lines;
    }
  }

  private ChildJvm() {}

  static Result run(Map<String, String> env) throws Exception {
    return run(env, List.of());
  }

  static Result run(Map<String, String> env, List<Path> classPathFirst, String... args)
      throws Exception {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    StringBuilder cp = new StringBuilder();
    for (Path dir : classPathFirst) {
      cp.append(dir).append(File.pathSeparator);
    }
    cp.append(classPath);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-cp",
                cp.toString(),
                ChildApp.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(CLEARED::contains);
    builder.environment().put("ENABLE_METRICS", "false");
    builder.environment().putAll(env);
    Process process = builder.start();
    CompletableFuture<String> out = read(process.getInputStream());
    CompletableFuture<String> err = read(process.getErrorStream());
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not exit within 60 s");
    }
    return new Result(
        process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  private static CompletableFuture<String> read(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "<unreadable: " + e + ">";
          }
        });
  }
}
