package dev.vigil.alert;

import static dev.vigil.alert.AlertTesting.advance;
import static dev.vigil.alert.AlertTesting.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Monitoring;
import dev.vigil.alert.AlertTesting.TestTime;
import dev.vigil.alert.internal.DeliveryProbe;
import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import dev.vigil.testkit.FreePort;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.HttpReceiver.Response;
import dev.vigil.testkit.LogCapture;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery when receivers misbehave: down, answering 500, 429 with a delay (as a header, an HTTP
 * date, or Telegram's {@code retry_after}), too slow, or refusing the request; a channel whose
 * attempt never ends; rate limits; and draining at close. Every channel also runs {@code
 * AlertChannelContract} (vigil-testkit). Backoff and retry delays run on a fake ticker, so nothing
 * here sleeps: a test moves time, wakes the delivery thread and watches the receiver.
 */
class DeliveryFaultTest {
  private static final String BOT_TOKEN = ChannelPayloadTest.BOT_TOKEN;

  private final TestTime time = new TestTime();
  private HttpReceiver receiver;
  private Monitoring monitoring;

  private Monitoring start(Monitoring.Builder builder, Consumer<AlertSettings.Builder> alerting) {
    monitoring =
        builder
            .metricsEnabled(false)
            .jvmMetrics(false)
            .ticker(time)
            .clock(time.clock())
            .alerting(
                a -> a.maxAttempts(4).retryDelay(Duration.ofSeconds(1), Duration.ofMinutes(1)))
            .alerting(alerting)
            .build();
    return monitoring;
  }

  private Monitoring webhookTo(String url, Consumer<AlertSettings.Builder> alerting) {
    return start(Monitoring.builder("api").alertWebhook(url), alerting);
  }

  @AfterEach
  void stop() {
    if (monitoring != null) {
      monitoring.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private double count(String metric, String channel, String reason) {
    return reason == null
        ? counter(monitoring, metric, "channel", channel)
        : counter(monitoring, metric, "channel", channel, "reason", reason);
  }

  private void awaitCount(String metric, String channel, String reason, double value) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(count(metric, channel, reason)).isEqualTo(value));
  }

  private void awaitRequests(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() >= n);
    assertThat(receiver.requests()).hasSize(n);
  }

  @Test
  void aReceiverThatIsDownIsRetriedWithBackoffThenGivenUp() {
    int deadPort = FreePort.find();
    try (LogCapture logs = LogCapture.of("dev.vigil")) {
      webhookTo("http://127.0.0.1:" + deadPort + "/hooks/secretpath123", a -> {});
      monitoring.alerts().alertQueueFailure("email", new RuntimeException("smtp"), null);

      awaitCount("vigil_alerts_retried_total", "webhook", "connect_error", 1);
      advance(monitoring, time, Duration.ofSeconds(1)); // backoff 0.5-1 s
      awaitCount("vigil_alerts_retried_total", "webhook", "connect_error", 2);
      advance(monitoring, time, Duration.ofSeconds(2)); // 1-2 s
      awaitCount("vigil_alerts_retried_total", "webhook", "connect_error", 3);
      advance(monitoring, time, Duration.ofSeconds(4)); // 2-4 s, then the 4th and last attempt

      awaitCount("vigil_alerts_failed_total", "webhook", "connect_error", 1);
      assertThat(count("vigil_alerts_retried_total", "webhook", "connect_error")).isEqualTo(3);
      assertThat(count("vigil_alerts_sent_total", "log", null)).isEqualTo(1);
      assertThat(logs.warnings())
          .anyMatch(
              w ->
                  w.startsWith(
                      "Vigil could not deliver alert queue_failure to the webhook channel after 4"
                          + " attempts (connect_error: ConnectException"));
      assertThat(String.join("\n", logs.warnings())).doesNotContain("secretpath123");
    }
  }

  @Test
  void serverErrorsAreRetriedAfterTheBackoffAndNotBefore() {
    receiver = HttpReceiver.start(Response.ok(""));
    receiver.enqueue(Response.status(500), Response.status(503));
    webhookTo(receiver.url("/hook"), a -> {});
    monitoring.alerts().alertQueueFailure("email", null, null);

    awaitCount("vigil_alerts_retried_total", "webhook", "server_error", 1);
    advance(monitoring, time, Duration.ofMillis(499)); // the first backoff is at least 0.5 s
    assertThat(DeliveryProbe.of(monitoring).attempts("webhook")).isEqualTo(1);
    advance(monitoring, time, Duration.ofMillis(501));
    awaitCount("vigil_alerts_retried_total", "webhook", "server_error", 2);
    awaitRequests(2);
    advance(monitoring, time, Duration.ofSeconds(2));

    awaitCount("vigil_alerts_sent_total", "webhook", null, 1);
    awaitRequests(3);
    assertThat(receiver.requests())
        .extracting(HttpReceiver.Request::body)
        .containsOnly(receiver.requests().get(0).body());
    assertThat(count("vigil_alerts_failed_total", "webhook", null)).isZero();
  }

  @Test
  void aSlackRetryAfterHeaderIsHonouredExactly() {
    receiver = HttpReceiver.start(Response.ok("ok"));
    receiver.enqueue(Response.status(429).header("Retry-After", "7").body("rate_limited"));
    start(Monitoring.builder("api").slackWebhook(receiver.url("/services/T/B/x")), a -> {});
    monitoring.alerts().alertCriticalError(new IllegalStateException("down"), null);

    awaitCount("vigil_alerts_retried_total", "slack", "rate_limited", 1);
    advance(monitoring, time, Duration.ofMillis(6999));
    assertThat(DeliveryProbe.of(monitoring).attempts("slack")).isEqualTo(1);
    advance(monitoring, time, Duration.ofMillis(1));

    awaitCount("vigil_alerts_sent_total", "slack", null, 1);
    awaitRequests(2);
  }

  @Test
  void aRetryAfterHttpDateIsHonoured() {
    receiver = HttpReceiver.start(Response.ok(""));
    String in30s =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            time.now().plusSeconds(30).atOffset(ZoneOffset.UTC));
    receiver.enqueue(Response.status(503).header("Retry-After", in30s));
    webhookTo(receiver.url("/hook"), a -> {});
    monitoring.alerts().alertQueueFailure("email", null, null);

    awaitCount("vigil_alerts_retried_total", "webhook", "server_error", 1);
    advance(monitoring, time, Duration.ofMillis(29_999));
    assertThat(DeliveryProbe.of(monitoring).attempts("webhook")).isEqualTo(1);
    advance(monitoring, time, Duration.ofMillis(1));
    awaitCount("vigil_alerts_sent_total", "webhook", null, 1);
  }

  @Test
  void telegramsRetryAfterParameterIsHonoured() {
    receiver = HttpReceiver.start(Response.ok("{\"ok\":true}"));
    receiver.enqueue(
        Response.status(429)
            .body(
                "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry"
                    + " after 12\",\"parameters\":{\"retry_after\":12}}"));
    start(
        Monitoring.builder("bot").telegram(BOT_TOKEN, "-100200300"),
        a -> a.telegramApiUrl(receiver.url("")));
    monitoring.alerts().alertCriticalError(new IllegalStateException("down"), null);

    awaitCount("vigil_alerts_retried_total", "telegram", "rate_limited", 1);
    advance(monitoring, time, Duration.ofMillis(11_999));
    assertThat(DeliveryProbe.of(monitoring).attempts("telegram")).isEqualTo(1);
    advance(monitoring, time, Duration.ofMillis(1));
    awaitCount("vigil_alerts_sent_total", "telegram", null, 1);
    awaitRequests(2);
  }

  @Test
  void aRetryAfterLongerThanTheLongestRetryDelayEndsTheRetries() {
    receiver = HttpReceiver.start(Response.ok(""));
    receiver.enqueue(Response.status(429).header("Retry-After", "3600"));
    webhookTo(receiver.url("/hook"), a -> {});
    monitoring.alerts().alertQueueFailure("email", null, null);

    awaitCount("vigil_alerts_failed_total", "webhook", "rate_limited", 1);
    advance(monitoring, time, Duration.ofHours(2));
    assertThat(DeliveryProbe.of(monitoring).attempts("webhook")).isEqualTo(1);
    assertThat(count("vigil_alerts_retried_total", "webhook", null)).isZero();
  }

  @Test
  void aRejectedRequestIsNotRetriedAndTheReasonIsLoggedWithoutTheToken() {
    receiver = HttpReceiver.start(Response.ok("{\"ok\":true}"));
    receiver.enqueue(
        Response.status(400)
            .body(
                "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not"
                    + " found\"}"));
    try (LogCapture logs = LogCapture.of("dev.vigil")) {
      start(
          Monitoring.builder("bot").telegram(BOT_TOKEN, "-100200300"),
          a -> a.telegramApiUrl(receiver.url("")));
      monitoring.alerts().alertCriticalError(new IllegalStateException("down"), null);

      awaitCount("vigil_alerts_failed_total", "telegram", "client_error", 1);
      advance(monitoring, time, Duration.ofMinutes(1));
      assertThat(DeliveryProbe.of(monitoring).attempts("telegram")).isEqualTo(1);
      assertThat(logs.warnings())
          .anyMatch(
              w ->
                  w.contains("to the telegram channel (client_error: HTTP 400:")
                      && w.contains("Bad Request: chat not found"));
      assertThat(String.join("\n", logs.warnings())).doesNotContain(BOT_TOKEN);
    }
  }

  @Test
  void aReceiverAnsweringAfterTenSecondsTimesOutAndIsRetried() {
    receiver = HttpReceiver.start(Response.ok(""));
    receiver.enqueue(Response.ok("").after(Duration.ofSeconds(10)));
    webhookTo(receiver.url("/hook"), a -> a.timeout(Duration.ofMillis(300)));
    long started = System.nanoTime();
    monitoring.alerts().alertQueueFailure("email", null, null);

    awaitCount("vigil_alerts_retried_total", "webhook", "timeout", 1);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    advance(monitoring, time, Duration.ofSeconds(1));

    awaitCount("vigil_alerts_sent_total", "webhook", null, 1);
    awaitRequests(2);
  }

  /** A future that ignores cancellation, as a channel's own stage may. */
  private static final class Stubborn extends CompletableFuture<Delivery> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return false;
    }
  }

  @Test
  void anAttemptWithoutAResultIsAbandonedAtTheTimeoutAndItsLateResultIgnored() {
    List<CompletableFuture<Delivery>> attempts = new CopyOnWriteArrayList<>();
    AlertChannel held =
        new AlertChannel() {
          @Override
          public String name() {
            return "held";
          }

          @Override
          public CompletionStage<Delivery> deliver(Notification notification) {
            CompletableFuture<Delivery> attempt =
                attempts.isEmpty() ? new Stubborn() : new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
          }
        };
    start(Monitoring.builder("api").alertChannel(held), a -> a.timeout(Duration.ofSeconds(10)));
    monitoring.alerts().alertQueueFailure("email", null, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 1);

    advance(monitoring, time, Duration.ofMillis(9_999));
    assertThat(count("vigil_alerts_retried_total", "held", null)).isZero();
    advance(monitoring, time, Duration.ofMillis(1));
    assertThat(count("vigil_alerts_retried_total", "held", "timeout")).isEqualTo(1);
    advance(monitoring, time, Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 2);

    attempts.get(0).complete(Delivery.sent()); // the first attempt's answer, too late
    advance(monitoring, time, Duration.ZERO);
    assertThat(count("vigil_alerts_sent_total", "held", null)).isZero();
    assertThat(DeliveryProbe.of(monitoring).backlog("held")).isEqualTo(1);
    attempts.get(1).complete(Delivery.sent());

    awaitCount("vigil_alerts_sent_total", "held", null, 1);
    assertThat(count("vigil_alerts_retried_total", "held", null)).isEqualTo(1);
    assertThat(attempts).hasSize(2);
  }

  @Test
  void anAbandonedAttemptIsCancelled() {
    List<CompletableFuture<Delivery>> attempts = new CopyOnWriteArrayList<>();
    AlertChannel held =
        new AlertChannel() {
          @Override
          public String name() {
            return "held";
          }

          @Override
          public CompletionStage<Delivery> deliver(Notification notification) {
            CompletableFuture<Delivery> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
          }
        };
    start(Monitoring.builder("api").alertChannel(held), a -> a.timeout(Duration.ofSeconds(10)));
    monitoring.alerts().alertQueueFailure("email", null, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 1);

    advance(monitoring, time, Duration.ofSeconds(10));

    assertThat(attempts.get(0)).isCancelled();
    assertThat(count("vigil_alerts_retried_total", "held", "timeout")).isEqualTo(1);
    assertThat(count("vigil_alerts_retried_total", "held", "channel_error")).isZero();
  }

  @Test
  void slackIsLimitedToOneMessageASecond() {
    receiver = HttpReceiver.start(Response.ok("ok"));
    start(Monitoring.builder("api").slackWebhook(receiver.url("/services/T/B/x")), a -> {});
    monitoring.alerts().alertQueueFailure("a", null, null);
    monitoring.alerts().alertQueueFailure("b", null, null);
    monitoring.alerts().alertQueueFailure("c", null, null);

    awaitRequests(1);
    advance(monitoring, time, Duration.ofMillis(999));
    assertThat(DeliveryProbe.of(monitoring).attempts("slack")).isEqualTo(1);
    advance(monitoring, time, Duration.ofMillis(1));
    awaitRequests(2);
    advance(monitoring, time, Duration.ofSeconds(1));
    awaitRequests(3);
  }

  @Test
  void telegramIsLimitedToTwentyMessagesAMinute() {
    receiver = HttpReceiver.start(Response.ok("{\"ok\":true}"));
    start(
        Monitoring.builder("bot").telegram(BOT_TOKEN, "-100200300"),
        a -> a.telegramApiUrl(receiver.url("")));
    monitoring.alerts().alertQueueFailure("a", null, null);
    monitoring.alerts().alertQueueFailure("b", null, null);

    awaitRequests(1);
    advance(monitoring, time, Duration.ofMillis(2999));
    assertThat(DeliveryProbe.of(monitoring).attempts("telegram")).isEqualTo(1);
    advance(monitoring, time, Duration.ofMillis(1));
    awaitRequests(2);
  }

  @Test
  void closeDeliversWhatIsPending() {
    receiver = HttpReceiver.start(Response.ok(""));
    webhookTo(receiver.url("/hook"), a -> {});
    for (String queue : new String[] {"a", "b", "c", "d", "e"}) {
      monitoring.alerts().alertQueueFailure(queue, null, null);
    }

    monitoring.close();

    assertThat(receiver.requests()).hasSize(5);
    assertThat(count("vigil_alerts_sent_total", "webhook", null)).isEqualTo(5);
    assertThat(count("vigil_alerts_dropped_total", "webhook", null)).isZero();
  }

  @Test
  void closeSendsTheSummaryOfRepeatsStillInTheirCooldown() {
    receiver = HttpReceiver.start(Response.ok(""));
    webhookTo(receiver.url("/hook"), a -> {});
    monitoring.alerts().alertQueueFailure("a", null, null);
    awaitRequests(1);
    monitoring.alerts().alertQueueFailure("a", null, null);
    monitoring.alerts().alertQueueFailure("a", null, null);

    monitoring.close();

    assertThat(receiver.requests()).hasSize(2);
    assertThat(receiver.requests().get(1).body()).contains("\"occurrences\":2");
  }

  @Test
  void closeGivesUpAtItsDeadlineAndCountsWhatIsLeft() {
    int deadPort = FreePort.find();
    webhookTo(
        "http://127.0.0.1:" + deadPort + "/hook",
        a ->
            a.retryDelay(Duration.ofSeconds(30), Duration.ofMinutes(1))
                .closeTimeout(Duration.ofMillis(500)));
    monitoring.alerts().alertQueueFailure("email", null, null);
    awaitCount("vigil_alerts_retried_total", "webhook", "connect_error", 1);

    long started = System.nanoTime();
    monitoring.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(count("vigil_alerts_dropped_total", "webhook", "close_deadline")).isEqualTo(1);
    assertThat(count("vigil_alerts_failed_total", "webhook", null)).isZero();
  }

  @Test
  void alertsRaisedAfterCloseAreCountedAsDropped() {
    receiver = HttpReceiver.start(Response.ok(""));
    webhookTo(receiver.url("/hook"), a -> {});
    monitoring.close();

    monitoring.alerts().alertQueueFailure("email", null, null);

    assertThat(count("vigil_alerts_dropped_total", "webhook", "closed")).isEqualTo(1);
    assertThat(count("vigil_alerts_dropped_total", "log", "closed")).isEqualTo(1);
    assertThat(receiver.requests()).isEmpty();
  }
}
