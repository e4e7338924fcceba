package dev.vigil.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The text of environment variables: a blank variable counts as unset, a secret may come from the
 * file its {@code _FILE} variable names. {@link Values} reads the text into typed values.
 */
public final class EnvReader {
  private final Map<String, String> variables;

  public EnvReader(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  public Map<String, String> variables() {
    return variables;
  }

  public @Nullable String string(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The first of the names that is set. */
  public @Nullable String firstString(String... names) {
    for (String name : names) {
      String value = string(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /**
   * A secret given either directly in {@code name} or as a path in {@code name + "_FILE"} (the
   * Docker and Kubernetes secrets convention). The secret itself never appears in a message.
   */
  public @Nullable String secret(String name) {
    String direct = string(name);
    String file = string(name + "_FILE");
    if (direct != null && file != null) {
      throw new IllegalArgumentException(
          "Both " + name + " and " + name + "_FILE are set; set only one of them.");
    }
    if (file == null) {
      return direct;
    }
    try {
      String content = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      if (content.isEmpty()) {
        throw new IllegalArgumentException(name + "_FILE points to an empty file: " + file);
      }
      return content;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          name + "_FILE points to a file that cannot be read: " + file + " (" + e + ")", e);
    }
  }
}
