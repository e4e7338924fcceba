package dev.vigil.alert.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A channel that POSTs JSON with the JDK's {@link HttpClient}, asynchronously, with a time limit
 * per attempt. It turns the answer into a {@link Delivery}: 2xx is sent; 429, 408 and 5xx are
 * retried (after the {@code Retry-After} the server gave, in seconds or as an HTTP date); other 4xx
 * fail for good, since sending the same request again cannot fix it.
 */
abstract class HttpChannel implements AlertChannel {
  static final int MAX_RESPONSE_BYTES = 16 * 1024;
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,9}");

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
    long retryAfter = retryAfterNanos(headers, body);
    String detail = "HTTP " + status + describe(body);
    if (status == 429) {
      return Delivery.retry(Delivery.RATE_LIMITED, retryAfter, detail);
    }
    if (status == 408) {
      return Delivery.retry(Delivery.TIMEOUT, retryAfter, detail);
    }
    if (status >= 500) {
      return Delivery.retry(Delivery.SERVER_ERROR, retryAfter, detail);
    }
    return Delivery.failed(Delivery.CLIENT_ERROR, detail);
  }

  /** The delay the server asked for, or -1: the {@code Retry-After} header by default. */
  long retryAfterNanos(HttpHeaders headers, String body) {
    return headers.firstValue("Retry-After").map(v -> parseRetryAfter(v, clock)).orElse(-1L);
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date (RFC 9110); -1 if neither. */
  static long parseRetryAfter(String value, Clock clock) {
    String v = value.strip();
    if (SECONDS.matcher(v).matches()) {
      return TimeUnit.SECONDS.toNanos(Long.parseLong(v));
    }
    try {
      ZonedDateTime date = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      return Math.max(0, Duration.between(clock.instant(), date.toInstant()).toNanos());
    } catch (DateTimeParseException | ArithmeticException e) {
      return -1;
    }
  }

  Delivery failure(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String detail = secrets.scrub(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
      return Delivery.retry(Delivery.CONNECT_ERROR, -1, detail);
    }
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return Delivery.retry(Delivery.TIMEOUT, -1, detail);
    }
    if (cause instanceof IOException) {
      return Delivery.retry(Delivery.IO_ERROR, -1, detail);
    }
    return Delivery.retry(Delivery.CHANNEL_ERROR, -1, detail);
  }

  /** The start of a response body, one line and scrubbed, for the log. */
  String describe(String body) {
    if (body.isBlank()) {
      return "";
    }
    return ": " + secrets.scrub(Text.truncate(Text.oneLine(body.strip()), 200));
  }
}
