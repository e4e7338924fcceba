package dev.vigil.alert.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Redactor;
import dev.vigil.alert.Severity;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The small parts of delivery: windows, backoff, buckets, Retry-After, escaping, masking. */
class DeliveryPartsTest {
  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  @Test
  void aWindowReachesItsThresholdOnlyWhenTheOldestEventIsInside() {
    EventWindow window = new EventWindow(3, 100);
    assertThat(window.record(0)).isFalse();
    assertThat(window.record(50)).isFalse();
    assertThat(window.record(100)).isTrue(); // 0, 50, 100: exactly the window
    assertThat(window.record(150)).isTrue(); // 50, 100, 150
    assertThat(window.record(251)).isFalse(); // 100, 150, 251
    assertThat(window.record(252)).isFalse(); // 150, 251, 252
    assertThat(window.record(300)).isTrue(); // 251, 252, 300
    EventWindow every = new EventWindow(1, 100);
    assertThat(every.record(5)).isTrue();
  }

  @Test
  void backoffDoublesWithJitterBetweenHalfAndAllAndIsCapped() {
    RetryPolicy low = new RetryPolicy(5, 1_000, 10_000, () -> 0.0);
    RetryPolicy high = new RetryPolicy(5, 1_000, 10_000, () -> 1.0);
    assertThat(low.backoffNanos(1)).isEqualTo(500);
    assertThat(high.backoffNanos(1)).isEqualTo(1_000);
    assertThat(low.backoffNanos(3)).isEqualTo(2_000);
    assertThat(high.backoffNanos(3)).isEqualTo(4_000);
    assertThat(high.backoffNanos(10)).isEqualTo(10_000);
    assertThat(high.backoffNanos(1_000)).isEqualTo(10_000);
  }

  @Test
  void aTokenBucketAllowsItsBurstThenOnePerInterval() {
    TokenBucket bucket = new TokenBucket(20, TimeUnit.MINUTES.toNanos(1), 2, 0);
    long interval = TimeUnit.SECONDS.toNanos(3);
    assertThat(bucket.waitNanos(0)).isZero();
    bucket.take(0);
    assertThat(bucket.waitNanos(0)).isZero();
    bucket.take(0);
    assertThat(bucket.waitNanos(0)).isEqualTo(interval);
    assertThat(bucket.waitNanos(interval - 1)).isEqualTo(1);
    assertThat(bucket.waitNanos(interval)).isZero();
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    assertThat(Delivery.retryAfterNanos("7", clock)).isEqualTo(TimeUnit.SECONDS.toNanos(7));
    assertThat(Delivery.retryAfterNanos("Sat, 01 Mar 2025 12:00:30 GMT", clock))
        .isEqualTo(TimeUnit.SECONDS.toNanos(30));
    assertThat(Delivery.retryAfterNanos("Sat, 01 Mar 2025 11:00:00 GMT", clock)).isZero();
    assertThat(Delivery.retryAfterNanos("soon", clock)).isEqualTo(-1);
    assertThat(Delivery.retryAfterNanos("-3", clock)).isEqualTo(-1);
    assertThat(Delivery.retryAfterNanos(null, clock)).isEqualTo(-1);
  }

  @Test
  void escapedTextIsCutBeforeAnEntityOrASurrogatePair() {
    assertThat(TelegramChannel.escape("a<b>&c")).isEqualTo("a&lt;b&gt;&amp;c");
    assertThat(TelegramChannel.truncateEscaped("abcdef", 6)).isEqualTo("abcdef");
    assertThat(TelegramChannel.truncateEscaped("abcdef", 4)).isEqualTo("abc…");
    assertThat(TelegramChannel.truncateEscaped("ab&amp;cd", 5)).isEqualTo("ab…");
    assertThat(TelegramChannel.truncateEscaped("ab&amp;cd", 8)).isEqualTo("ab&amp;…");
    assertThat(TelegramChannel.truncateEscaped("a\uD83D\uDE00bc", 3)).isEqualTo("a…");
  }

  @Test
  void telegramBodyWithoutATopicHasNoThreadId() {
    TelegramChannel channel =
        new TelegramChannel(
            URI.create("https://api.telegram.org/"),
            "123:abc",
            "@alerts",
            null,
            HttpClient.newHttpClient(),
            Duration.ofSeconds(1),
            new Secrets(List.of(), Redactor.defaults()),
            Clock.systemUTC());
    assertThat(channel.uri()).hasToString("https://api.telegram.org/bot123:abc/sendMessage");
    assertThat(channel.body(notification(Severity.INFO, Map.of())))
        .startsWith("{\"chat_id\":\"@alerts\",\"text\":\"\u2139\uFE0F <b>INFO</b> deploy")
        .doesNotContain("message_thread_id");
  }

  @Test
  void contextKeysBecomeValidAnnotationNames() {
    assertThat(AlertmanagerChannel.annotationName("user-id")).isEqualTo("user_id");
    assertThat(AlertmanagerChannel.annotationName("1st")).isEqualTo("_1st");
    assertThat(AlertmanagerChannel.annotationName("a.b c")).isEqualTo("a_b_c");
    assertThat(AlertmanagerChannel.annotationName("")).isEqualTo("_");
  }

  @Test
  void urlsAreMaskedToTheirServer() {
    assertThat(Secrets.maskUrl(URI.create("https://hooks.slack.com/services/T0/B0/secret")))
        .isEqualTo("https://hooks.slack.com/…");
    assertThat(Secrets.maskUrl(URI.create("http://user:pw@am:9093"))).isEqualTo("http://am:9093");
    assertThat(Secrets.maskUrl(URI.create("http://am:9093/"))).isEqualTo("http://am:9093");
  }

  @Test
  void configuredSecretsAreScrubbedWhereverTheyAppear() {
    Secrets secrets = new Secrets(List.of("/hooks/AbC123secretPath", "/hook"), Redactor.defaults());
    // The redactor's own URL rule masks the segment after /hooks/ first.
    assertThat(secrets.scrub("POST https://example.com/hooks/AbC123secretPath failed"))
        .isEqualTo("POST https://example.com/hooks/[REDACTED] failed");
    assertThat(secrets.scrub("POST https://hooks.slack.com/services/T0/B0/XyZ failed, see /hook"))
        .isEqualTo("POST https://hooks.slack.com/services/[REDACTED] failed, see /hook");
    assertThat(secrets.scrubValue(Map.of("url", List.of("x/hooks/AbC123secretPath"))))
        .isEqualTo(Map.of("url", List.of("x[REDACTED]")));
  }

  static Notification notification(Severity severity, Map<String, Object> context) {
    return Notification.builder("deploy", severity, "Deployed v42")
        .service("api")
        .environment("production")
        .context(context)
        .time(T0)
        .build();
  }
}
