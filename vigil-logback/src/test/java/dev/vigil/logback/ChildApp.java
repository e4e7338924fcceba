package dev.vigil.logback;

import dev.vigil.Monitoring;
import dev.vigil.testkit.SecretCorpus;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application as a user writes it, run in a JVM of its own by {@link ShippedConfigurationTest}
 * with the environment that test chooses: it logs before and after building its monitoring, through
 * Vigil's logger, plain SLF4J and handleError.
 */
public final class ChildApp {
  private ChildApp() {}

  public static void main(String[] args) {
    Logger plain = LoggerFactory.getLogger("com.example.Child");
    plain.info("before monitoring");
    try (Monitoring monitoring = Monitoring.fromEnv("child")) {
      monitoring.logger().info("Message received", Map.of("userId", 42, "password", "hunter2"));
      monitoring.logger().debug("debug line");
      plain.info("after monitoring");
      monitoring.handleError(SecretCorpus.exception(), SecretCorpus.context());
      if (!List.of(args).contains("--vigil-only")) {
        // An application's own SLF4J call: redacted by Vigil's encoder, not by a config of its own.
        plain.error("plain error", SecretCorpus.exception());
      }
    } catch (IllegalArgumentException e) {
      System.out.println("CONFIG ERROR: " + e.getMessage());
    }
  }
}
