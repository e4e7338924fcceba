package dev.vigil.alert.internal;

import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A channel that POSTs JSON with the JDK's {@link HttpClient}, asynchronously, with a time limit
 * per attempt. It turns the answer into a {@link Delivery}: 2xx is sent; 429, 408 and 5xx are
 * retried (after the {@code Retry-After} the server gave, in seconds or as an HTTP date); other 4xx
 * fail for good, since sending the same request again cannot fix it.
 */
abstract class HttpChannel implements AlertChannel {
  static final int MAX_RESPONSE_BYTES = 16 * 1024;

  private final HttpClient client;
  private final Duration timeout;
  final Secrets secrets;
  final Clock clock;

  HttpChannel(HttpClient client, Duration timeout, Secrets secrets, Clock clock) {
    this.client = client;
    this.timeout = timeout;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** Where to POST. */
  abstract URI uri();

  /** The JSON body for one notification. */
  abstract String body(Notification notification);

  @Override
  public CompletionStage<Delivery> deliver(Notification notification) {
    HttpRequest request =
        HttpRequest.newBuilder(uri())
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("User-Agent", "Vigil-Alerts")
            .POST(HttpRequest.BodyPublishers.ofString(body(notification), StandardCharsets.UTF_8))
            .build();
    // The request timeout covers the wait for the response headers; the outer limit also covers
    // a body that trickles in after them.
    return client
        .sendAsync(request, LimitedBody.handler(MAX_RESPONSE_BYTES))
        .orTimeout(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS)
        .handle(
            (response, error) ->
                error != null
                    ? failure(error)
                    : classify(response.statusCode(), response.headers(), response.body()));
  }

  Delivery classify(int status, HttpHeaders headers, String body) {
    if (status >= 200 && status < 300) {
      return Delivery.sent();
    }
    return Delivery.forHttpStatus(
        status, retryAfterNanos(headers, body), "HTTP " + status + describe(body));
  }

  /** The delay the server asked for, or -1: the {@code Retry-After} header by default. */
  long retryAfterNanos(HttpHeaders headers, String body) {
    return Delivery.retryAfterNanos(headers.firstValue("Retry-After").orElse(null), clock);
  }

  Delivery failure(Throwable error) {
    Delivery delivery = Delivery.forFailure(error);
    String detail = delivery.detail();
    return Delivery.retry(delivery.reason(), -1, detail == null ? null : secrets.scrub(detail));
  }

  /** The start of a response body, one line and scrubbed, for the log. */
  String describe(String body) {
    if (body.isBlank()) {
      return "";
    }
    return ": " + secrets.scrub(Text.truncate(Text.oneLine(body.strip()), 200));
  }
}
