package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.alert.Severity;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The value types of the SPI: notifications, delivery outcomes, rate limits. */
class SpiTypesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void notificationDefaultsFollowTheAlert() {
    Notification n =
        Notification.builder("queue_failure", Severity.ERROR, "Job failed")
            .service("worker")
            .grouping(Map.of("queue_name", "images", "job_type", "resize"))
            .time(T0)
            .build();

    assertThat(n.key()).isEqualTo("queue_failure/error{job_type=resize,queue_name=images}");
    assertThat(n.alertname()).isEqualTo("VigilQueueFailure");
    assertThat(n.environment()).isEqualTo("development");
    assertThat(n.firstSeen()).isEqualTo(T0);
    assertThat(n.episodeStart()).isEqualTo(T0);
    assertThat(n.occurrences()).isEqualTo(1);
    assertThat(n.repeatSummary()).isNull();
  }

  @Test
  void aSummaryOfRepeatsSaysHowManySinceWhen() {
    Notification n =
        Notification.builder("payment_failure", Severity.ERROR, "Payment failed")
            .service("api")
            .time(T0.plusSeconds(90))
            .firstSeen(T0)
            .occurrences(4)
            .build();
    assertThat(n.repeatSummary()).isEqualTo("Occurred 4 times since 2026-03-01 12:00:00 UTC");
  }

  @Test
  void notificationNeedsAServiceAndAtLeastOneOccurrence() {
    assertThatThrownBy(() -> Notification.builder("a", Severity.INFO, "m").build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("service is not set");
    assertThatThrownBy(() -> Notification.builder("a", Severity.INFO, "m").occurrences(0))
        .hasMessage("occurrences must be at least 1, got 0");
  }

  @Test
  void httpStatusesMapToTheOutcomesEveryChannelFollows() {
    assertThat(Delivery.forHttpStatus(204, -1, null).outcome()).isEqualTo(Delivery.Outcome.SENT);
    Delivery limited = Delivery.forHttpStatus(429, 7_000_000_000L, "HTTP 429");
    assertThat(limited.outcome()).isEqualTo(Delivery.Outcome.RETRY);
    assertThat(limited.reason()).isEqualTo(Delivery.RATE_LIMITED);
    assertThat(limited.retryAfterNanos()).isEqualTo(7_000_000_000L);
    assertThat(Delivery.forHttpStatus(408, -1, null).reason()).isEqualTo(Delivery.TIMEOUT);
    assertThat(Delivery.forHttpStatus(503, -1, null).reason()).isEqualTo(Delivery.SERVER_ERROR);
    Delivery wrong = Delivery.forHttpStatus(404, -1, "HTTP 404");
    assertThat(wrong.outcome()).isEqualTo(Delivery.Outcome.FAILED);
    assertThat(wrong.reason()).isEqualTo(Delivery.CLIENT_ERROR);
  }

  @Test
  void failuresAreClassifiedThroughTheirWrappersAndNeverReadNull() {
    Delivery refused = Delivery.forFailure(new CompletionException(new ConnectException()));
    assertThat(refused.reason()).isEqualTo(Delivery.CONNECT_ERROR);
    assertThat(refused.detail()).isEqualTo("ConnectException");
    assertThat(Delivery.forFailure(new HttpTimeoutException("request timed out")).toString())
        .isEqualTo("RETRY(timeout: HttpTimeoutException: request timed out)");
    assertThat(Delivery.forFailure(new IOException("reset")).reason()).isEqualTo(Delivery.IO_ERROR);
    assertThat(Delivery.forFailure(new IllegalStateException("bug")).reason())
        .isEqualTo(Delivery.CHANNEL_ERROR);
  }

  @Test
  void rateLimitsNeedPermitsAPeriodAndABurst() {
    RateLimit limit = RateLimit.of(20, Duration.ofMinutes(1), 3);
    assertThat(limit.unlimited()).isFalse();
    assertThat(limit.toString()).isEqualTo("20 per PT1M (burst 3)");
    assertThat(RateLimit.UNLIMITED.unlimited()).isTrue();
    assertThatThrownBy(() -> RateLimit.of(0, Duration.ofSeconds(1), 1))
        .hasMessage(
            "a rate limit needs at least one permit per positive period and a burst of at least 1,"
                + " got 0 per PT1S (burst 1)");
  }
}
