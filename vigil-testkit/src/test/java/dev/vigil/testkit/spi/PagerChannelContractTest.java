package dev.vigil.testkit.spi;

import dev.vigil.Monitoring;
import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.SecretCorpus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A channel of the application's own, the README's {@code PagerChannel} as it stands there (it
 * reads {@code Retry-After} dates against the system clock and has its own 10 s time limit), run
 * through the contract the way the README tells a user to run it.
 */
class PagerChannelContractTest extends AlertChannelContract {

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
    public CompletionStage<Delivery> deliver(Notification n) { // already redacted
      HttpRequest request =
          HttpRequest.newBuilder(target)
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString(n.severity().label() + " " + n.message()))
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

  @Override
  protected String channel() {
    return "pager";
  }

  @Override
  protected void configure(Monitoring.Builder builder, Target target) {
    builder.alertChannel(
        new PagerChannel(target.uri("/v1/page/" + SecretCorpus.WEBHOOK_PATH_TOKEN)));
  }

  @Override
  protected String message(HttpReceiver.Request request) {
    return request.body();
  }

  @Override
  protected int maxMessageLength() {
    return 4096;
  }
}
