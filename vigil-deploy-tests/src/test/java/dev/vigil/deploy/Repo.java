package dev.vigil.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The repository's deploy/ and docs/ files, read the way the tools that use them read them. */
final class Repo {
  static final ObjectMapper JSON = new ObjectMapper();
  static final YAMLMapper YAML = new YAMLMapper();

  private Repo() {}

  /** The repository root: the nearest parent of the working directory that holds deploy/. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("deploy/prometheus/prometheus.yml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new AssertionError(
        "no deploy/prometheus/prometheus.yml above " + Path.of("").toAbsolutePath());
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }

  static List<Path> files(String directory, String suffix) {
    try (Stream<Path> files = Files.list(path(directory))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(suffix))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> ruleFiles() {
    return files("deploy/prometheus/rules", ".yml");
  }

  static List<Path> ruleTestFiles() {
    return files("deploy/prometheus/tests", ".yml");
  }

  static List<Path> dashboards() {
    return files("deploy/grafana/dashboards", ".json");
  }

  static List<Path> docs() {
    return files("docs", ".md");
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String relative(Path file) {
    return root().relativize(file).toString();
  }
}
