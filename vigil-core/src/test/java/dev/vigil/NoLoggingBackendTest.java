package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * With {@code vigil-core} alone, SLF4J has no backend and drops every line: Vigil says so once, on
 * System.err, naming what to add, however many {@code Monitoring} objects the JVM builds.
 */
class NoLoggingBackendTest {

  @Test
  void withoutAnSlf4jBackendVigilSaysOnceThatLogLinesAreDroppedAndWhatToAdd() throws Exception {
    String testClassPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String withoutBackend =
        Arrays.stream(testClassPath.split(File.pathSeparator))
            .filter(entry -> !entry.contains("logback"))
            .collect(Collectors.joining(File.pathSeparator));
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    withoutBackend,
                    NoLoggingBackendApp.class.getName()))
            .start();
    CompletableFuture<String> out = read(process.getInputStream());
    CompletableFuture<String> err = read(process.getErrorStream());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM exited").isTrue();

    assertThat(out.get(10, TimeUnit.SECONDS)).isEqualTo("done\n");
    List<String> notices =
        err.get(10, TimeUnit.SECONDS).lines().filter(l -> l.startsWith("Vigil:")).toList();
    assertThat(notices).containsExactly(Monitoring.NO_BACKEND);
    assertThat(Monitoring.NO_BACKEND)
        .contains("every log line (handleError, alerts, warnings about bad input) is dropped")
        .contains("dev.vigil:vigil-logback");
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
