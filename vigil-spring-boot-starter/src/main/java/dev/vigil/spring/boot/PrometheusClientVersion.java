package dev.vigil.spring.boot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Fails start-up with the fix when the application's dependency management downgrades client_java:
 * Spring Boot 3.5's BOM pins {@code prometheus-metrics-*} to 1.3.x, older than what Vigil is built
 * with, and the result would otherwise be a {@code NoClassDefFoundError} deep inside the first
 * scrape.
 */
final class PrometheusClientVersion {
  static final String REQUIRED = "1.10.0";

  private PrometheusClientVersion() {}

  static void check() {
    String found = found();
    if (found != null && !atLeast(found, REQUIRED)) {
      throw new IllegalStateException(
          "Vigil needs io.prometheus:prometheus-metrics-* "
              + REQUIRED
              + " or newer, but "
              + found
              + " is on the class path (Spring Boot's dependency management pins an older"
              + " version). Set the property prometheus-client.version to "
              + REQUIRED
              + " in your pom.xml (<prometheus-client.version>"
              + REQUIRED
              + "</prometheus-client.version>), or in Gradle ext['prometheus-client.version'] = '"
              + REQUIRED
              + "'.");
    }
  }

  /** The version of prometheus-metrics-model on the class path, or null if it cannot be told. */
  static @Nullable String found() {
    try (InputStream in =
        PrometheusClientVersion.class.getResourceAsStream(
            "/META-INF/maven/io.prometheus/prometheus-metrics-model/pom.properties")) {
      if (in == null) {
        return null; // shaded or repackaged: nothing to check against
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      return null;
    }
  }

  /** Compares dotted numeric versions; a qualifier ({@code -SNAPSHOT}) is ignored. */
  static boolean atLeast(String version, String minimum) {
    int[] v = parse(version);
    int[] m = parse(minimum);
    for (int i = 0; i < Math.max(v.length, m.length); i++) {
      int a = i < v.length ? v[i] : 0;
      int b = i < m.length ? m[i] : 0;
      if (a != b) {
        return a > b;
      }
    }
    return true;
  }

  private static int[] parse(String version) {
    String[] parts = version.split("[-+]", 2)[0].split("\\.");
    int[] numbers = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        numbers[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        numbers[i] = 0;
      }
    }
    return numbers;
  }
}
