package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testkit.Scrape;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The three example services produce every KPI of the specification, and what their {@code
 * /metrics} endpoints say equals what the services counted themselves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExampleServicesTest {
  private ExampleServices services;

  @BeforeAll
  void runTrafficThenSettle() throws Exception {
    services = ExampleServices.start(ExampleServices.Config.local(40));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                services.bot().truth().get("generation.text.failure") >= 3
                    && services.api().truth().get("payments.failure") >= 3
                    && services.worker().truth().get("jobs.failure") >= 2
                    && services.worker().truth().get("jobs.success") >= 5);
    services.drain();
  }

  @AfterAll
  void stop() {
    services.close();
  }

  @Test
  void botCountsMatchWhatTheBotDid() {
    GroundTruth truth = services.bot().truth();
    Scrape scrape = Scrape.of(services.bot().monitoring().metricsAddress());
    assertThat(scrape.value("active_users_total", "service", "bot"))
        .isEqualTo(truth.get("messages"));
    assertThat(scrape.value("generation_success_total", "type", "text"))
        .isEqualTo(truth.get("generation.text.success"));
    assertThat(
            scrape.matching("generation_failure_total", "type", "text").stream()
                .mapToDouble(Scrape.Sample::value)
                .sum())
        .isEqualTo(truth.get("generation.text.failure"));
    for (String model : new String[] {"gpt-4o", "o4-mini"}) {
      for (String type : new String[] {"input", "cache_read", "output"}) {
        assertThat(scrape.value("token_spend_total", "model", model, "type", type))
            .as(model + " " + type)
            .isEqualTo(truth.get("tokens." + model + "." + type));
      }
    }
    assertThat(scrape.value("token_spend_total", "model", "o4-mini", "type", "reasoning"))
        .isEqualTo(truth.get("tokens.o4-mini.reasoning"));
    assertThat(scrape.samples("ai_cost_uncached_usd_total")).isNotEmpty();
    assertThat(
            scrape.value("errors_total", "severity", "error", "error_type", "RateLimitException"))
        .isEqualTo(truth.get("generation.text.failure.RateLimitException"));
  }

  @Test
  void apiCountsMatchWhatTheApiDid() {
    GroundTruth truth = services.api().truth();
    Scrape scrape = Scrape.of(services.api().monitoring().metricsAddress());
    assertThat(scrape.sum("payment_conversions_total")).isEqualTo(truth.get("payments.success"));
    assertThat(scrape.sum("payment_failures_total")).isEqualTo(truth.get("payments.failure"));
    assertThat(
            scrape.value("payment_conversions_total", "payment_method", "card", "plan", "premium"))
        .isEqualTo(truth.get("payments.success.card.premium"));
    assertThat(truth.get("payments.success")).isPositive();
    // the HTTP filter saw every request the simulated customers got an answer to
    assertThat(scrape.sum("http_requests_total")).isEqualTo(truth.get("http.responses"));
    assertThat(
            scrape.value(
                "http_requests_total",
                "method",
                "POST",
                "route",
                "/api/payments",
                "status_code",
                "402"))
        .isEqualTo(truth.get("http.status.402"));
    assertThat(scrape.matching("http_requests_total", "route", "/api/users/{id}")).isNotEmpty();
  }

  @Test
  void workerCountsMatchWhatTheWorkerDid() {
    GroundTruth truth = services.worker().truth();
    Scrape scrape = Scrape.of(services.worker().monitoring().metricsAddress());
    String[] queue = {"queue_name", "image-generation"};
    assertThat(scrape.value("queue_job_duration_seconds_count", queue))
        .isEqualTo(truth.get("jobs.success") + truth.get("jobs.failure"));
    assertThat(
            scrape.matching("queue_failures_total", queue).stream()
                .mapToDouble(Scrape.Sample::value)
                .sum())
        .isEqualTo(truth.get("jobs.failure"));
    assertThat(scrape.value("active_jobs_total", queue)).isEqualTo(0.0);
    assertThat(scrape.value("generation_success_total", "type", "image"))
        .isEqualTo(truth.get("generation.image.success"));
    assertThat(scrape.value("token_spend_total", "model", "dall-e-3", "type", "image"))
        .isEqualTo(truth.get("tokens.dall-e-3.image"));
  }

  @Test
  void queueFailuresRaiseOneAlertAndCountTheRepeatsAsSuppressed() {
    // No channel is configured, so alerts go to the log channel. Every queue failure raises the
    // same alert key (queue_failure for image-generation): the first notifies, the repeats
    // inside the five-minute cool-down are counted as suppressed, on the caller's thread.
    long failures = services.worker().truth().get("jobs.failure");
    Scrape worker =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> Scrape.of(services.worker().monitoring().metricsAddress()),
                scrape -> !scrape.matching("vigil_alerts_sent_total", "channel", "log").isEmpty());
    assertThat(worker.value("vigil_alerts_sent_total", "channel", "log")).isEqualTo(1.0);
    assertThat(
            worker.value("vigil_alerts_suppressed_total", "channel", "log", "reason", "cooldown"))
        .isEqualTo(failures - 1.0);
  }

  @Test
  void eachServiceHasItsOwnServiceLabelAndEndpoint() {
    assertThat(Scrape.of(services.bot().monitoring().metricsAddress()).samples())
        .allSatisfy(s -> assertThat(s.labels()).containsEntry("service", "bot"));
    assertThat(Scrape.of(services.api().monitoring().metricsAddress()).samples())
        .allSatisfy(s -> assertThat(s.labels()).containsEntry("service", "api"));
    assertThat(Scrape.of(services.worker().monitoring().metricsAddress()).samples())
        .allSatisfy(s -> assertThat(s.labels()).containsEntry("service", "worker"));
  }
}
