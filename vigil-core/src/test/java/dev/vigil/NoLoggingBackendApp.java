package dev.vigil;

import java.util.Map;

/**
 * What a new user's first program does with {@code vigil-core} alone on the class path: two
 * services, an error handled in each. Run in a child JVM by {@link NoLoggingBackendTest}.
 */
public final class NoLoggingBackendApp {
  private NoLoggingBackendApp() {}

  public static void main(String[] args) {
    try (Monitoring bot = Monitoring.builder("bot").metricsEnabled(false).build();
        Monitoring api = Monitoring.builder("api").metricsEnabled(false).build()) {
      bot.handleError(new IllegalStateException("model timed out"), Map.of("userId", "u-1"));
      api.handleError(new IllegalStateException("gateway down"));
    }
    System.out.println("done");
  }
}
