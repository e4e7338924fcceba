package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Scrape;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The field names of {@code trackKpi(String, Map)}: the specification's camelCase, and the labels'
 * snake_case, which code ported from a Prometheus query tends to write; and numeric user ids.
 */
class UntypedFieldsTest {
  private Monitoring monitoring;

  @BeforeEach
  void start() {
    monitoring =
        Monitoring.builder("bot")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    monitoring.close();
  }

  private Scrape scrape() {
    return Scrape.of(monitoring.metricsAddress());
  }

  @Test
  void labelSpellingOfTheFieldsCountsAsTheSpecificationsAndCamelCaseWinsWhenBothAreThere() {
    monitoring.trackKpi("generation_failure", Map.of("type", "image", "error_type", "timeout"));
    monitoring.trackKpi(
        "payment_failure",
        Map.of("payment_id", "p-1", "payment_method", "card", "error_type", "declined"));
    monitoring.trackKpi(
        "generation_failure",
        Map.of("type", "image", "errorType", "quota", "error_type", "ignored"));

    Scrape scrape = scrape();
    assertThat(scrape.value("generation_failure_total", "error_type", "timeout")).isEqualTo(1.0);
    assertThat(scrape.value("generation_failure_total", "error_type", "quota")).isEqualTo(1.0);
    assertThat(scrape.matching("generation_failure_total", "error_type", "ignored")).isEmpty();
    assertThat(
            scrape.value(
                "payment_failures_total", "payment_method", "card", "error_type", "declined"))
        .isEqualTo(1.0);
    assertThat(scrape.samples("vigil_invalid_inputs_total")).isEmpty();
  }

  @Test
  void aNumericUserIdIsTheSameUserAsItsDecimalText() {
    monitoring.trackKpi(Kpi.activeUser(42L));
    monitoring.trackKpi(Kpi.activeUser("42"));
    monitoring.trackKpi("active_user", Map.of("user_id", "42"));

    assertThat(Kpi.activeUser(42)).isEqualTo(Kpi.activeUser("42"));
    assertThat(scrape().value("active_users_total")).isEqualTo(3.0);
    assertThat(scrape().value("active_users_distinct", "window", "5m")).isEqualTo(1.0);
  }
}
