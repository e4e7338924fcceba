package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.Monitoring;
import dev.vigil.alert.Alert;
import dev.vigil.alert.Severity;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.Scrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * A channel of the application's own, written against the SPI as the README shows: registered on
 * the builder, routed by its name, delivered with the same queue, retries and self-metrics as the
 * built-in channels.
 */
class UserAlertChannelTest {

  /** The README's example channel: posts "severity message" to a pager endpoint. */
  static final class PagerChannel implements AlertChannel {
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI target;

    PagerChannel(URI target) {
      this.target = target;
    }

    @Override
    public String name() {
      return "pager";
    }

    @Override
    public CompletionStage<Delivery> deliver(Notification n) {
      HttpRequest request =
          HttpRequest.newBuilder(target)
              .timeout(Duration.ofSeconds(5))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      n.severity().label() + " " + n.message(), StandardCharsets.UTF_8))
              .build();
      return client
          .sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .handle(
              (response, failure) ->
                  failure != null
                      ? Delivery.forFailure(failure)
                      : Delivery.forHttpStatus(
                          response.statusCode(),
                          Delivery.retryAfterNanos(
                              response.headers().firstValue("Retry-After").orElse(null),
                              Clock.systemUTC()),
                          "HTTP " + response.statusCode()));
    }
  }

  private static Monitoring.Builder builder(HttpReceiver pager) {
    return Monitoring.builder("api")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .jvmMetrics(false)
        .discoverExtensions(false)
        .alertChannel(new PagerChannel(URI.create(pager.url("/page"))));
  }

  @Test
  void ownChannelReceivesTheAlertsOfItsRoutingAndIsCountedUnderItsName() {
    try (HttpReceiver pager = HttpReceiver.start(HttpReceiver.Response.status(202));
        Monitoring monitoring =
            builder(pager).alertRouting("pager", Severity.ERROR).build().start()) {
      monitoring.alerts().send(Alert.builder("deploy", Severity.INFO, "Deployed v42").build());
      monitoring
          .alerts()
          .send(Alert.builder("quota_exhausted", Severity.CRITICAL, "Quota gone").build());

      await().until(() -> pager.requests().size() == 1);
      assertThat(pager.requests().get(0).body()).isEqualTo("critical Quota gone");
      await()
          .untilAsserted(
              () ->
                  assertThat(
                          Scrape.of(monitoring.metricsAddress())
                              .value("vigil_alerts_sent_total", "channel", "pager"))
                      .isEqualTo(1.0));
    }
  }

  @Test
  void ownChannelIsRoutedFromItsEnvironmentVariable() {
    try (HttpReceiver pager = HttpReceiver.start(HttpReceiver.Response.status(200));
        Monitoring monitoring =
            builder(pager)
                .readEnvironment(Map.of("ALERT_PAGER_MIN_SEVERITY", "warning"))
                .build()
                .start()) {
      monitoring.alerts().send(Alert.builder("deploy", Severity.INFO, "Deployed").build());
      monitoring.alerts().send(Alert.builder("slow", Severity.WARNING, "Slow").build());

      await().until(() -> pager.requests().size() == 1);
      assertThat(pager.requests().get(0).body()).isEqualTo("warning Slow");
    }
  }

  @Test
  void serverErrorsAreRetriedAndClientErrorsAreNot() {
    try (HttpReceiver pager = HttpReceiver.start(HttpReceiver.Response.status(200));
        Monitoring monitoring =
            builder(pager)
                .alerting(
                    a ->
                        a.retryDelay(Duration.ofMillis(10), Duration.ofMillis(10))
                            .cooldown(Duration.ZERO))
                .build()
                .start()) {
      pager.enqueue(HttpReceiver.Response.status(503), HttpReceiver.Response.status(400));
      monitoring.alerts().send(Alert.builder("a", Severity.ERROR, "first").build());
      await().until(() -> pager.requests().size() == 2);
      monitoring.alerts().send(Alert.builder("b", Severity.ERROR, "second").build());

      await()
          .untilAsserted(
              () -> {
                Scrape scrape = Scrape.of(monitoring.metricsAddress());
                assertThat(scrape.value("vigil_alerts_retried_total", "channel", "pager"))
                    .isEqualTo(1.0);
                assertThat(scrape.value("vigil_alerts_sent_total", "channel", "pager"))
                    .isEqualTo(1.0);
                assertThat(
                        scrape.value(
                            "vigil_alerts_failed_total",
                            "channel",
                            "pager",
                            "reason",
                            Delivery.CLIENT_ERROR))
                    .isEqualTo(1.0);
              });
      assertThat(pager.requests()).hasSize(3);
    }
  }

  @Test
  void malformedChannelNameFailsTheBuild() {
    AlertChannel bad =
        new AlertChannel() {
          @Override
          public String name() {
            return "Pager Duty";
          }

          @Override
          public CompletionStage<Delivery> deliver(Notification notification) {
            throw new AssertionError("never delivered");
          }
        };
    assertThatThrownBy(
            () -> Monitoring.builder("api").metricsEnabled(false).alertChannel(bad).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Alert channel name 'Pager Duty' is not valid: lower-case letters, digits and"
                + " underscores, starting with a letter, at most 32 characters.");
  }
}
