package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One test per kind of bad input. Each checks the lenient default (no exception, the documented
 * normalisation or drop, one count in {@code vigil_invalid_inputs_total{metric,reason}}, one WARN
 * that says what was wrong and how to fix it) and strict mode (an {@link IllegalArgumentException}
 * carrying the very same message, nothing recorded).
 */
class BadInputTest {
  private final FakeTicker ticker = new FakeTicker();
  private Monitoring lenient;
  private Monitoring strict;
  private LogCapture logs;

  @BeforeEach
  void setUp() {
    lenient = monitoring(false);
    strict = monitoring(true);
    logs = LogCapture.of("dev.vigil");
  }

  @AfterEach
  void tearDown() {
    logs.close();
    lenient.close();
    strict.close();
  }

  private Monitoring monitoring(boolean strictMode) {
    return Monitoring.builder("bot")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .jvmMetrics(false)
        .strict(strictMode)
        .ticker(ticker)
        .build()
        .start();
  }

  @Test
  void nullUserIdIsCountedAsAnInteractionButNotAsAUser() {
    String warning =
        expectRejected(m -> m.trackKpi(Kpi.activeUser(null)), "active_user", "null_value");
    assertThat(warning)
        .isEqualTo(
            "active_user: userId is null; the interaction is counted in active_users_total but"
                + " cannot count as a distinct user. Pass the user's id, e.g."
                + " Kpi.activeUser(String.valueOf(userId)).");
    assertThat(scrape(lenient).value("active_users_total")).isEqualTo(1.0);
  }

  @Test
  void blankUserIdIsCountedAsAnInteractionButNotAsAUser() {
    String warning =
        expectRejected(m -> m.trackKpi(Kpi.activeUser("  ")), "active_user", "blank_value");
    assertThat(warning).startsWith("active_user: userId is blank;");
    assertThat(scrape(lenient).value("active_users_total")).isEqualTo(1.0);
  }

  @Test
  void nullLabelIsRecordedAsUnknown() {
    String warning =
        expectRejected(
            m -> m.trackKpi(Kpi.generationSuccess(null)), "generation_success_total", "null_value");
    assertThat(warning)
        .isEqualTo(
            "generation_success_total: label \"type\" is null, recorded as \"unknown\". Pass a"
                + " non-blank value from a small fixed set, such as \"image\" or \"card\".");
    assertThat(scrape(lenient).value("generation_success_total", "type", "unknown")).isEqualTo(1.0);
  }

  @Test
  void blankLabelIsRecordedAsUnknown() {
    String warning =
        expectRejected(
            m -> m.trackKpi(Kpi.paymentConversion("card", "   ")),
            "payment_conversions_total",
            "blank_value");
    assertThat(warning)
        .startsWith("payment_conversions_total: label \"plan\" is blank, recorded as \"unknown\".");
    assertThat(
            scrape(lenient)
                .value("payment_conversions_total", "payment_method", "card", "plan", "unknown"))
        .isEqualTo(1.0);
  }

  @Test
  void negativeTokensAreDropped() {
    String warning =
        expectRejected(
            m -> m.trackKpi(Kpi.tokenSpend(-5, "gpt-4", "completion")),
            "token_spend",
            "negative_value");
    assertThat(warning)
        .isEqualTo(
            "token_spend: tokens must be a positive whole number, got -5; event dropped. Track the"
                + " usage your provider reports, e.g. Kpi.tokenSpend(usage.totalTokens(),"
                + " \"gpt-4\", \"completion\"), and skip the call when it is 0.");
    assertThat(scrape(lenient).samples("token_spend_total")).isEmpty();
  }

  @Test
  void zeroTokensAreDropped() {
    String warning =
        expectRejected(
            m -> m.trackKpi(Kpi.tokenSpend(0, "gpt-4", "completion")), "token_spend", "zero_value");
    assertThat(warning).contains("got 0; event dropped");
    assertThat(scrape(lenient).samples("token_spend_total")).isEmpty();
  }

  @Test
  void nanTokensThroughTheGenericEntryPointAreDropped() {
    String warning =
        expectRejected(
            m ->
                m.trackKpi(
                    "token_spend", Map.of("tokens", Double.NaN, "model", "gpt-4", "type", "input")),
            "token_spend",
            "non_finite_value");
    assertThat(warning).contains("got NaN; event dropped");
    assertThat(scrape(lenient).samples("token_spend_total")).isEmpty();
  }

  @Test
  void infiniteTokensThroughTheGenericEntryPointAreDropped() {
    String warning =
        expectRejected(
            m ->
                m.trackKpi(
                    "token_spend",
                    Map.of("tokens", Double.POSITIVE_INFINITY, "model", "gpt-4", "type", "input")),
            "token_spend",
            "non_finite_value");
    assertThat(warning).contains("got Infinity; event dropped");
  }

  @Test
  void fractionalOrNonNumericTokensAreDropped() {
    String warning =
        expectRejected(
            m -> m.trackKpi("token_spend", Map.of("tokens", "many", "model", "gpt-4")),
            "token_spend",
            "wrong_type");
    assertThat(warning).contains("got String many; event dropped");
    lenient.trackKpi("token_spend", Map.of("tokens", 2.5, "model", "gpt-4", "type", "input"));
    assertThat(invalid(lenient, "token_spend", "wrong_type")).isEqualTo(2.0);
    assertThat(scrape(lenient).samples("token_spend_total")).isEmpty();
  }

  @Test
  void overLongLabelIsTruncatedTo128Characters() {
    // a generation type, not a model: an unknown model would also get the one-off unpriced warning
    String longType = "t".repeat(200);
    String warning =
        expectRejected(
            m -> m.trackKpi(Kpi.generationSuccess(longType)),
            "generation_success_total",
            "too_long");
    assertThat(warning)
        .startsWith(
            "generation_success_total: label \"type\" is 200 characters long, truncated to 128.");
    assertThat(scrape(lenient).value("generation_success_total", "type", "t".repeat(128)))
        .isEqualTo(1.0);
  }

  @Test
  void controlCharactersAreRemoved() {
    String warning =
        expectRejected(
            m -> m.trackKpi(Kpi.generationFailure("image\n", "time\tout")),
            "generation_failure_total",
            "control_characters");
    assertThat(warning)
        .startsWith(
            "generation_failure_total: label \"type\" contains control characters, which were"
                + " removed; label \"error_type\" contains control characters, which were removed.");
    assertThat(
            scrape(lenient)
                .value("generation_failure_total", "type", "image", "error_type", "timeout"))
        .isEqualTo(1.0);
  }

  @Test
  void unknownKpiTypeIsDropped() {
    String warning =
        expectRejected(
            m -> m.trackKpi("activ_user", Map.of("userId", "u-1")), "trackKpi", "unknown_kpi_type");
    assertThat(warning)
        .isEqualTo(
            "trackKpi: unknown KPI type 'activ_user'; event dropped. Use one of [active_user,"
                + " generation_success, generation_failure, token_spend, payment_conversion,"
                + " payment_failure], or declare a custom KPI with monitoring.metrics().counter(..).");
    assertThat(scrape(lenient).samples("active_users_total")).isEmpty();
  }

  @Test
  void nullEventIsDropped() {
    String warning = expectRejected(m -> m.trackKpi((Kpi) null), "trackKpi", "null_event");
    assertThat(warning).startsWith("trackKpi: the event is null; event dropped.");
  }

  @Test
  void wrongNumberOfLabelValuesForACustomKpiIsDropped() {
    KpiCounter lenientSignups =
        lenient.metrics().counter("signups_total").labelNames("channel", "plan").register();
    KpiCounter strictSignups =
        strict.metrics().counter("signups_total").labelNames("channel", "plan").register();
    lenientSignups.inc("telegram");
    assertThat(invalid(lenient, "signups_total", "wrong_label_count")).isEqualTo(1.0);
    String warning = logs.warnings().get(0);
    assertThat(warning)
        .isEqualTo(
            "signups_total: expected 2 label values [channel, plan], but got 1; event dropped."
                + " Pass one value per declared label, in order.");
    assertThatThrownBy(() -> strictSignups.inc("telegram"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(warning);
    assertThat(scrape(lenient).samples("signups_total")).isEmpty();
  }

  @Test
  void negativeActiveJobsAreDropped() {
    String warning =
        expectRejected(
            m -> m.metrics().setActiveJobs("image-generation", -1),
            "active_jobs_total",
            "negative_value");
    assertThat(warning).contains("cannot be negative, got -1; event dropped");
    assertThat(scrape(lenient).samples("active_jobs_total")).isEmpty();
  }

  @Test
  void counterCannotGoDown() {
    KpiCounter lenientRefunds = lenient.metrics().counter("refunds_total").register();
    KpiCounter strictRefunds = strict.metrics().counter("refunds_total").register();
    lenientRefunds.add(-3);
    assertThat(invalid(lenient, "refunds_total", "negative_value")).isEqualTo(1.0);
    assertThatThrownBy(() -> strictRefunds.add(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(logs.warnings().get(0));
  }

  @Test
  void gaugeRejectsNaN() {
    KpiGauge lenientBacklog = lenient.metrics().gauge("backlog").register();
    lenientBacklog.set(Double.NaN);
    assertThat(invalid(lenient, "backlog", "non_finite_value")).isEqualTo(1.0);
    assertThat(scrape(lenient).samples("backlog")).isEmpty();
  }

  @Test
  void histogramRejectsInfinity() {
    KpiHistogram lenientSizes =
        lenient.metrics().histogram("prompt_length_chars").buckets(10, 100).register();
    lenientSizes.observe(Double.POSITIVE_INFINITY);
    assertThat(invalid(lenient, "prompt_length_chars", "non_finite_value")).isEqualTo(1.0);
  }

  @Test
  void everyUseOfACachedBadLabelIsCountedButWarnedOncePerInterval() {
    for (int i = 0; i < 100; i++) {
      lenient.trackKpi(Kpi.generationSuccess(" "));
    }
    assertThat(invalid(lenient, "generation_success_total", "blank_value")).isEqualTo(100.0);
    assertThat(scrape(lenient).value("generation_success_total", "type", "unknown"))
        .isEqualTo(100.0);
    assertThat(logs.warnings()).hasSize(1);

    ticker.advance(Duration.ofSeconds(61));
    lenient.trackKpi(Kpi.generationSuccess(" "));
    assertThat(logs.warnings()).hasSize(2);
    assertThat(logs.warnings().get(1))
        .endsWith("(99 similar warnings suppressed since the last one)");
  }

  /**
   * Runs {@code call} against the lenient and the strict monitoring and checks both behaviours.
   *
   * @return the warning the lenient monitoring logged (equal to the strict exception message)
   */
  private String expectRejected(Consumer<Monitoring> call, String metric, String reason) {
    call.accept(lenient);
    assertThat(invalid(lenient, metric, reason)).isEqualTo(1.0);
    assertThat(logs.warnings()).hasSize(1);
    String warning = logs.warnings().get(0);
    assertThatThrownBy(() -> call.accept(strict))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(warning);
    assertThat(scrape(strict).samples("vigil_invalid_inputs_total")).isEmpty();
    return warning;
  }

  private static double invalid(Monitoring monitoring, String metric, String reason) {
    return scrape(monitoring)
        .value("vigil_invalid_inputs_total", "metric", metric, "reason", reason);
  }

  private static Scrape scrape(Monitoring monitoring) {
    return Scrape.of(monitoring.metricsAddress());
  }

  @Test
  void genericEntryPointAcceptsTheSpecificationsFieldNames() {
    Map<String, Object> data = new HashMap<>();
    data.put("userId", 123456789L);
    lenient.trackKpi("active_user", data);
    lenient.trackKpi("token_spend", Map.of("tokens", 1500, "model", "gpt-4", "type", "completion"));
    lenient.trackKpi(
        "payment_failure",
        Map.of(
            "paymentId",
            "payment-123",
            "paymentMethod",
            "card",
            "errorType",
            "insufficient_funds"));
    Scrape scrape = scrape(lenient);
    assertThat(scrape.value("active_users_total")).isEqualTo(1.0);
    assertThat(scrape.value("token_spend_total", "model", "gpt-4", "type", "completion"))
        .isEqualTo(1500.0);
    assertThat(
            scrape.value(
                "payment_failures_total",
                "payment_method",
                "card",
                "error_type",
                "insufficient_funds"))
        .isEqualTo(1.0);
    assertThat(logs.warnings()).isEmpty();
  }
}
