package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.vigil.testkit.LogCapture;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * With several {@code Monitoring} objects in one JVM (the examples run three), every line Vigil
 * writes names the service that wrote it, not the one built last.
 */
class LineServiceTest {

  @Test
  void badInputWarningsAndErrorsNameTheirOwnServiceWhicheverWasBuiltLast() {
    try (LogCapture logs = LogCapture.of("dev.vigil");
        Monitoring bot = Monitoring.builder("bot").metricsEnabled(false).build();
        Monitoring api =
            Monitoring.builder("api").environment("staging").metricsEnabled(false).build()) {
      bot.trackKpi(Kpi.tokenSpend(-5, "gpt-4", "completion"));
      api.trackKpi(Kpi.generationSuccess(null));
      bot.handleError(new IllegalStateException("model timed out"));

      assertThat(logs.events())
          .extracting(e -> e.getLoggerName() + " " + pairs(e))
          .containsExactly(
              "dev.vigil service=bot environment=development",
              "dev.vigil service=api environment=staging",
              "dev.vigil.errors service=bot environment=development");
    }
  }

  @Test
  void withTaggingOffNoLineCarriesAServiceOfItsOwn() {
    try (LogCapture logs = LogCapture.of("dev.vigil");
        Monitoring bot =
            Monitoring.builder("bot").metricsEnabled(false).tagLogLines(false).build()) {
      bot.trackKpi(Kpi.tokenSpend(-5, "gpt-4", "completion"));
      bot.handleError(new IllegalStateException("model timed out"), Map.of("userId", "u-1"));
      bot.logger().info("hello", Map.of("userId", "u-1"));

      assertThat(logs.events())
          .allSatisfy(
              e ->
                  assertThat(
                          e.getKeyValuePairs() == null ? java.util.List.of() : e.getKeyValuePairs())
                      .noneMatch(p -> p.key.equals("service") || p.key.equals("environment")));
    }
  }

  private static String pairs(ILoggingEvent event) {
    return event.getKeyValuePairs().stream()
        .filter(p -> p.key.equals("service") || p.key.equals("environment"))
        .map(p -> p.key + "=" + p.value)
        .collect(Collectors.joining(" "));
  }
}
