package dev.vigil.alert;

import static dev.vigil.alert.AlertTesting.advance;
import static dev.vigil.alert.AlertTesting.counter;
import static dev.vigil.alert.AlertTesting.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.alert.AlertTesting.RecordingChannel;
import dev.vigil.alert.AlertTesting.TestTime;
import dev.vigil.alert.internal.DeliveryProbe;
import dev.vigil.spi.Notification;
import dev.vigil.testkit.LogCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When alerts notify: explicit calls at once, repeats merged inside the cool-down, automatic alerts
 * only past their threshold inside the sliding window. Time is a fake ticker and clock; what was
 * notified is what a real channel implementation received.
 */
class AlertsTest {
  private final TestTime time = new TestTime();
  private final RecordingChannel recorder = new RecordingChannel("recorder");
  private Monitoring monitoring;

  private Monitoring start(Consumer<AlertSettings.Builder> alerting) {
    return start(false, alerting);
  }

  private Monitoring start(boolean strict, Consumer<AlertSettings.Builder> alerting) {
    monitoring =
        Monitoring.builder("worker")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .strict(strict)
            .ticker(time)
            .clock(time.clock())
            .alerting(alerting)
            .build();
    DeliveryProbe.of(monitoring).service().addChannel(recorder);
    return monitoring;
  }

  @AfterEach
  void close() {
    if (monitoring != null) {
      monitoring.close();
    }
  }

  private Notification awaitNotification(int index) {
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.received.size() > index);
    return recorder.received.get(index);
  }

  @Test
  void anExplicitCallNotifiesAtOnceWithTheRedactedContext() {
    start(a -> {});
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("jobId", "job-1");
    context.put("attempts", 3);
    context.put("apiKey", "sk-live-123456");
    Instant raised = time.now();

    monitoring
        .alerts()
        .alertQueueFailure(
            "image-generation", new IllegalStateException("model overloaded"), context);

    Notification n = awaitNotification(0);
    assertThat(n.type()).isEqualTo("queue_failure");
    assertThat(n.severity()).isEqualTo(Severity.ERROR);
    assertThat(n.alertname()).isEqualTo("VigilQueueFailure");
    assertThat(n.service()).isEqualTo("worker");
    assertThat(n.environment()).isEqualTo("development");
    assertThat(n.message())
        .isEqualTo("Job failed in queue image-generation: IllegalStateException: model overloaded");
    assertThat(n.grouping()).containsExactly(Map.entry("queue_name", "image-generation"));
    assertThat(n.context())
        .containsExactly(
            Map.entry("jobId", "job-1"),
            Map.entry("attempts", 3),
            Map.entry("apiKey", "[REDACTED]"),
            Map.entry("error_type", "IllegalStateException"));
    assertThat(n.occurrences()).isEqualTo(1);
    assertThat(n.time()).isEqualTo(raised);
    assertThat(n.firstSeen()).isEqualTo(raised);
    assertThat(n.episodeStart()).isEqualTo(raised);
    assertThat(n.key()).isEqualTo("queue_failure/error{queue_name=image-generation}");
  }

  @Test
  void repeatsInsideTheCooldownMergeIntoOneSummaryThatCountsThem() {
    start(a -> a.cooldown(Duration.ofMinutes(5)));
    Instant first = time.now();
    monitoring.alerts().alertQueueFailure("image-generation", new RuntimeException("1"), null);
    awaitNotification(0);
    for (int i = 2; i <= 10; i++) {
      time.advance(Duration.ofSeconds(10));
      monitoring
          .alerts()
          .alertQueueFailure("image-generation", new RuntimeException(Integer.toString(i)), null);
    }
    settle(monitoring);

    assertThat(recorder.received).hasSize(1);
    assertThat(
            counter(
                monitoring,
                "vigil_alerts_suppressed_total",
                "channel",
                "recorder",
                "reason",
                "cooldown"))
        .isEqualTo(9.0);
    assertThat(
            counter(
                monitoring,
                "vigil_alerts_suppressed_total",
                "channel",
                "log",
                "reason",
                "cooldown"))
        .isEqualTo(9.0);

    advance(monitoring, time, Duration.ofMinutes(5).minusSeconds(90)); // the cool-down ends

    Notification summary = awaitNotification(1);
    assertThat(summary.occurrences()).isEqualTo(9);
    assertThat(summary.firstSeen()).isEqualTo(first.plusSeconds(10));
    assertThat(summary.time()).isEqualTo(first.plusSeconds(90));
    assertThat(summary.episodeStart()).isEqualTo(first);
    assertThat(summary.message())
        .isEqualTo("Job failed in queue image-generation: RuntimeException: 10");
    assertThat(counter(monitoring, "vigil_alerts_sent_total", "channel", "recorder"))
        .isEqualTo(2.0);

    advance(monitoring, time, Duration.ofMinutes(5)); // a quiet cool-down: the key is forgotten
    assertThat(recorder.received).hasSize(2);
    assertThat(DeliveryProbe.of(monitoring).trackedKeys()).isZero();
  }

  @Test
  void anOccurrenceAfterAQuietCooldownStartsANewEpisode() {
    start(a -> a.cooldown(Duration.ofMinutes(5)));
    monitoring.alerts().alertServiceDegradation("openai", "p95 12 s", null);
    awaitNotification(0);
    advance(monitoring, time, Duration.ofMinutes(6));
    Instant later = time.now();

    monitoring.alerts().alertServiceDegradation("openai", "p95 14 s", null);

    Notification n = awaitNotification(1);
    assertThat(n.occurrences()).isEqualTo(1);
    assertThat(n.episodeStart()).isEqualTo(later);
    assertThat(n.message()).isEqualTo("Service degraded: openai: p95 14 s");
  }

  @Test
  void anOccurrenceAfterTheCooldownCarriesRepeatsNotYetSummarised() {
    start(a -> a.cooldown(Duration.ofMinutes(5)));
    Instant first = time.now();
    monitoring.alerts().alertServiceDegradation("openai", "slow", null);
    awaitNotification(0);
    time.advance(Duration.ofMinutes(1));
    monitoring.alerts().alertServiceDegradation("openai", "slower", null);
    time.advance(Duration.ofMinutes(5)); // the delivery thread is not woken: no summary yet

    monitoring.alerts().alertServiceDegradation("openai", "slowest", null);

    Notification n = awaitNotification(1);
    assertThat(n.occurrences()).isEqualTo(2);
    assertThat(n.firstSeen()).isEqualTo(first.plus(Duration.ofMinutes(1)));
    assertThat(n.episodeStart()).isEqualTo(first);
    assertThat(n.message()).isEqualTo("Service degraded: openai: slowest");
  }

  @Test
  void differentGroupingValuesAndSeveritiesAreDifferentAlerts() {
    start(a -> {});
    monitoring.alerts().alertQueueFailure("image-generation", null, null);
    monitoring.alerts().alertQueueFailure("email", null, null);
    monitoring
        .alerts()
        .send(
            Alert.builder("queue_failure", Severity.CRITICAL, "Queue stuck")
                .groupBy("queue_name", "email")
                .build());

    await().until(() -> recorder.received.size() == 3);
    assertThat(recorder.received)
        .extracting(Notification::key)
        .containsExactlyInAnyOrder(
            "queue_failure/error{queue_name=image-generation}",
            "queue_failure/error{queue_name=email}",
            "queue_failure/critical{queue_name=email}");
  }

  @Test
  void paymentIdsGoToTheContextAndNeverSplitTheAlert() {
    start(a -> a.cooldown(Duration.ofMinutes(5)));
    monitoring
        .alerts()
        .alertPaymentFailure("pay-1", new IllegalStateException("declined"), Map.of("amount", 100));
    awaitNotification(0);
    monitoring
        .alerts()
        .alertPaymentFailure(
            "pay-2",
            new IllegalStateException("declined"),
            Map.of("amount", 250, "payment_id", "spoofed"));

    advance(monitoring, time, Duration.ofMinutes(5));

    Notification first = recorder.received.get(0);
    Notification summary = awaitNotification(1);
    assertThat(first.key()).isEqualTo("payment_failure/error");
    assertThat(first.grouping()).isEmpty();
    assertThat(first.context()).containsEntry("payment_id", "pay-1").containsEntry("amount", 100);
    assertThat(summary.key()).isEqualTo("payment_failure/error");
    assertThat(summary.occurrences()).isEqualTo(1);
    assertThat(summary.context()).containsEntry("payment_id", "pay-2").containsEntry("amount", 250);
    assertThat(summary.context().keySet()).first().isEqualTo("payment_id");
  }

  @Test
  void aTrackedPaymentFailureAlertsOnlyAtTheThresholdInsideTheWindow() {
    start(a -> a.paymentFailureThreshold(3, Duration.ofMinutes(5)));

    monitoring.trackKpi(Kpi.paymentFailure("pay-1", "card", "insufficient_funds"));
    time.advance(Duration.ofMinutes(1));
    monitoring.trackKpi(Kpi.paymentFailure("pay-2", "card", "insufficient_funds"));
    assertThat(DeliveryProbe.of(monitoring).trackedKeys()).isZero(); // nothing raised
    time.advance(Duration.ofMinutes(1));
    monitoring.trackKpi(Kpi.paymentFailure("pay-3", "paypal", "card_declined"));

    Notification n = awaitNotification(0);
    assertThat(n.type()).isEqualTo("payment_failure");
    assertThat(n.severity()).isEqualTo(Severity.ERROR);
    assertThat(n.message()).isEqualTo("Payment failures reached 3 within 5m");
    assertThat(n.context())
        .containsExactly(
            Map.entry("payment_id", "pay-3"),
            Map.entry("payment_method", "paypal"),
            Map.entry("error_type", "card_declined"),
            Map.entry("threshold", 3),
            Map.entry("window", "5m"));
  }

  @Test
  void threePaymentFailuresAMonthApartRaiseNothing() {
    start(a -> {});
    monitoring.trackKpi(Kpi.paymentFailure("pay-1", "card", "insufficient_funds"));
    time.advance(Duration.ofDays(15));
    monitoring.trackKpi(Kpi.paymentFailure("pay-2", "card", "insufficient_funds"));
    time.advance(Duration.ofDays(15));
    monitoring.trackKpi(Kpi.paymentFailure("pay-3", "card", "insufficient_funds"));

    assertThat(DeliveryProbe.of(monitoring).trackedKeys()).isZero();
    assertThat(DeliveryProbe.of(monitoring).deliveryLoops()).isZero(); // no alert ever queued
  }

  @Test
  void theWindowSlides() {
    start(a -> a.paymentFailureThreshold(3, Duration.ofMinutes(5)));
    monitoring.trackKpi(Kpi.paymentFailure("pay-1", "card", "x"));
    monitoring.trackKpi(Kpi.paymentFailure("pay-2", "card", "x"));
    time.advance(Duration.ofMinutes(5).plusSeconds(1));
    monitoring.trackKpi(Kpi.paymentFailure("pay-3", "card", "x")); // the first two are out
    assertThat(DeliveryProbe.of(monitoring).trackedKeys()).isZero();
    time.advance(Duration.ofMinutes(4));
    monitoring.trackKpi(Kpi.paymentFailure("pay-4", "card", "x"));
    assertThat(DeliveryProbe.of(monitoring).trackedKeys()).isZero();
    time.advance(Duration.ofSeconds(59));
    monitoring.trackKpi(Kpi.paymentFailure("pay-5", "card", "x")); // 3 within 4m59s

    assertThat(awaitNotification(0).context()).containsEntry("payment_id", "pay-5");
  }

  @Test
  void errorsFromHandleErrorRaiseAnErrorRateAlertAtTheThreshold() {
    start(a -> a.errorRateThreshold(5, Duration.ofMinutes(1)));
    for (int i = 0; i < 4; i++) {
      monitoring.handleError(new IllegalArgumentException("bad " + i));
      time.advance(Duration.ofSeconds(10));
    }
    assertThat(DeliveryProbe.of(monitoring).trackedKeys()).isZero();

    monitoring.handleError(new java.io.UncheckedIOException(new java.io.IOException("io")));

    Notification n = awaitNotification(0);
    assertThat(n.type()).isEqualTo("high_error_rate");
    assertThat(n.message()).isEqualTo("Errors reached 5 within 1m");
    assertThat(n.context())
        .containsExactly(
            Map.entry("threshold", 5),
            Map.entry("window", "1m"),
            Map.entry("latest_error_type", "UncheckedIOException"));
  }

  @Test
  void anExplicitErrorRateAlertReportsBothNumbers() {
    start(a -> {});
    monitoring.alerts().alertHighErrorRate(0.125, 0.05, Map.of("route", "/api/generate"));

    Notification n = awaitNotification(0);
    assertThat(n.message()).isEqualTo("High error rate: 0.125 (threshold 0.05)");
    assertThat(n.context())
        .containsEntry("error_rate", 0.125)
        .containsEntry("threshold", 0.05)
        .containsEntry("route", "/api/generate");
  }

  @Test
  void handleCriticalErrorRaisesACriticalAlertWithTheRedactedContext() {
    start(a -> {});
    monitoring.handleCriticalError(
        new IllegalStateException("database down"), Map.of("password", "hunter2", "db", "main"));

    Notification n = awaitNotification(0);
    assertThat(n.type()).isEqualTo("critical_error");
    assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(n.grouping()).containsExactly(Map.entry("error_type", "IllegalStateException"));
    assertThat(n.message()).isEqualTo("Critical error: IllegalStateException: database down");
    assertThat(n.context())
        .containsEntry("password", "[REDACTED]")
        .containsEntry("db", "main")
        .containsEntry("error_type", "IllegalStateException");
  }

  @Test
  void aChannelThatReceivesHandledErrorsIsNotSentHandleCriticalErrorsAlert() {
    start(a -> {});
    RecordingChannel sentryLike = new RecordingChannel("errors", true);
    DeliveryProbe.of(monitoring).service().addChannel(sentryLike);

    monitoring.handleCriticalError(new IllegalStateException("database down"), null);
    monitoring.alerts().alertCriticalError(new IllegalArgumentException("bad config"), null);
    monitoring.alerts().alertQueueFailure("email", null, null);

    await().until(() -> recorder.received.size() == 3);
    settle(monitoring);
    assertThat(sentryLike.received)
        .extracting(Notification::key)
        .containsExactly(
            "critical_error/critical{error_type=IllegalArgumentException}",
            "queue_failure/error{queue_name=email}");
    assertThat(counter(monitoring, "vigil_alerts_sent_total", "channel", "errors")).isEqualTo(2.0);
  }

  @Test
  void repeatsOfHandleCriticalErrorAreNotCountedForAChannelThatReceivesHandledErrors() {
    start(a -> {});
    RecordingChannel sentryLike = new RecordingChannel("errors", true);
    DeliveryProbe.of(monitoring).service().addChannel(sentryLike);
    for (int i = 0; i < 3; i++) {
      monitoring.handleCriticalError(new IllegalStateException("database down"), null);
    }
    await().until(() -> recorder.received.size() == 1);
    advance(monitoring, time, Duration.ofMinutes(5));

    await().until(() -> recorder.received.size() == 2);
    assertThat(recorder.received.get(1).occurrences()).isEqualTo(2);
    settle(monitoring);
    assertThat(sentryLike.received).isEmpty();
    assertThat(counter(monitoring, "vigil_alerts_suppressed_total", "channel", "errors")).isZero();
    assertThat(counter(monitoring, "vigil_alerts_suppressed_total", "channel", "recorder"))
        .isEqualTo(2.0);
  }

  @Test
  void secretsInMessagesAndErrorsAreRedacted() {
    start(a -> {});
    monitoring
        .alerts()
        .alertPaymentFailure(
            "pay-9",
            new IllegalStateException(
                "gateway said: Authorization: Bearer abcdef123456 card 4111 1111 1111 1111"),
            Map.of("note", "password=hunter2"));

    Notification n = awaitNotification(0);
    assertThat(n.message()).doesNotContain("abcdef123456", "4111 1111 1111 1111");
    assertThat(n.context().get("note")).asString().doesNotContain("hunter2");
  }

  @Test
  void channelsAreRoutedByMinimumSeverity() {
    try (LogCapture logs = LogCapture.of("dev.vigil.alerts")) {
      start(a -> a.minSeverity(AlertSettings.LOG, Severity.ERROR));
      monitoring.alerts().alertServiceDegradation("openai", "slow", null);
      monitoring.alerts().alertCriticalError(new IllegalStateException("down"), null);

      await().until(() -> recorder.received.size() == 2);
      assertThat(logs.messages(Level.WARN)).noneMatch(m -> m.contains("service_degradation"));
      assertThat(logs.messages(Level.ERROR))
          .anyMatch(
              m ->
                  m.startsWith(
                      "Alert [critical] critical_error {error_type=IllegalStateException} x1:"));
      assertThat(logs.events())
          .filteredOn(e -> e.getLevel() == Level.ERROR)
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getKeyValuePairs())
                      .anySatisfy(
                          p ->
                              assertThat(p.key + "=" + p.value)
                                  .isEqualTo("service=" + monitoring.service())));
      assertThat(counter(monitoring, "vigil_alerts_sent_total", "channel", "log")).isEqualTo(1.0);
      assertThat(counter(monitoring, "vigil_alerts_sent_total", "channel", "recorder"))
          .isEqualTo(2.0);
    }
  }

  @Test
  void aZeroCooldownNotifiesEveryTime() {
    start(a -> a.cooldown(Duration.ZERO));
    for (int i = 0; i < 3; i++) {
      monitoring.alerts().alertQueueFailure("email", null, null);
    }
    await().until(() -> recorder.received.size() == 3);
    assertThat(recorder.received).extracting(Notification::occurrences).containsExactly(1L, 1L, 1L);
    assertThat(counter(monitoring, "vigil_alerts_suppressed_total")).isZero();
  }

  @Test
  void anAlertKeepsTheTimeItWasGiven() {
    start(a -> {});
    Instant when = Instant.parse("2025-02-01T08:30:00Z");
    monitoring
        .alerts()
        .send(Alert.builder("stock_low", Severity.WARNING, "Stock is low").time(when).build());
    assertThat(awaitNotification(0).time()).isEqualTo(when);
  }

  @Test
  void badInputIsNormalisedAndCounted() {
    start(a -> {});
    monitoring.alerts().alertQueueFailure(null, null, null);
    monitoring.alerts().alertPaymentFailure(" ", null, null);
    monitoring.alerts().send(null);

    await().until(() -> recorder.received.size() == 2);
    assertThat(recorder.received.get(0).grouping()).containsEntry("queue_name", "unknown");
    assertThat(recorder.received.get(1).context()).containsEntry("payment_id", "unknown");
    assertThat(
            counter(
                monitoring,
                "vigil_invalid_inputs_total",
                "metric",
                "alerts",
                "reason",
                "null_value"))
        .isEqualTo(1.0);
    assertThat(
            counter(
                monitoring,
                "vigil_invalid_inputs_total",
                "metric",
                "alerts",
                "reason",
                "blank_value"))
        .isEqualTo(1.0);
    assertThat(
            counter(
                monitoring,
                "vigil_invalid_inputs_total",
                "metric",
                "alerts",
                "reason",
                "null_event"))
        .isEqualTo(1.0);
  }

  @Test
  void strictModeThrowsTheSameMessage() {
    start(true, a -> {});
    assertThatThrownBy(() -> monitoring.alerts().alertQueueFailure(null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "alertQueueFailure: queueName is null; the alert is sent with \"unknown\". Pass the"
                + " queue's name, such as \"image-generation\".");
  }

  @Test
  void aContextThatFailsWhileReadIsReplacedNotThrown() {
    start(a -> {});
    Map<String, Object> broken =
        new AbstractMap<>() {
          @Override
          public Set<Entry<String, Object>> entrySet() {
            throw new IllegalStateException("concurrent modification");
          }
        };
    Object unprintable =
        new Object() {
          @Override
          public String toString() {
            throw new IllegalStateException("no");
          }
        };

    monitoring.alerts().alertQueueFailure("email", null, broken);
    monitoring.alerts().alertQueueFailure("sms", null, Map.of("thing", unprintable));

    await().until(() -> recorder.received.size() == 2);
    assertThat(recorder.received.get(0).context())
        .containsEntry(
            "context_error", "context could not be read: java.lang.IllegalStateException");
    assertThat(recorder.received.get(1).context().get("thing"))
        .asString()
        .startsWith("[unprintable");
  }

  @Test
  void offMeansNothingIsRaised() {
    start(a -> a.enabled(false));
    monitoring.alerts().alertCriticalError(new IllegalStateException("x"), null);
    monitoring.handleCriticalError(new IllegalStateException("x"), null);

    assertThat(DeliveryProbe.of(monitoring).deliveryLoops()).isZero();
    assertThat(DeliveryProbe.of(monitoring).trackedKeys()).isZero();
    assertThat(recorder.received).isEmpty();
  }

  @Test
  void theAlertBuilderChecksItsArguments() {
    assertThatThrownBy(() -> Alert.builder("Payment Failure", Severity.ERROR, "x"))
        .hasMessage(
            "Alert type 'Payment Failure' is not valid: use lower-case letters, digits and"
                + " underscores, starting with a letter, at most 64 characters, such as"
                + " refund_failure.");
    // The message is data (often e.getMessage()): a blank or null one is replaced, never thrown.
    assertThat(Alert.builder("refund_failure", Severity.ERROR, " ").build().message())
        .isEqualTo(Alert.NO_MESSAGE);
    assertThat(Alert.builder("refund_failure", Severity.ERROR, null).build().message())
        .isEqualTo("(no message given)");
    assertThat(
            Alert.builder("refund_failure", Severity.ERROR, "x")
                .groupBy("provider", null)
                .context(null, "skipped")
                .time(null)
                .build())
        .satisfies(
            a -> {
              assertThat(a.grouping()).containsExactly(Map.entry("provider", "unknown"));
              assertThat(a.context()).isEmpty();
              assertThat(a.time()).isNull();
            });
    assertThatThrownBy(
            () -> Alert.builder("refund_failure", Severity.ERROR, "x").groupBy("severity", "a"))
        .hasMessageStartingWith("Grouping field 'severity' is not valid");
    Alert.Builder four =
        Alert.builder("refund_failure", Severity.ERROR, "x")
            .groupBy("a", "1")
            .groupBy("b", "2")
            .groupBy("c", "3")
            .groupBy("d", "4");
    assertThatThrownBy(() -> four.groupBy("e", "5"))
        .hasMessage(
            "An alert has at most 4 grouping fields; 'e' would be one more. Put detail in the"
                + " context instead.");
    assertThat(
            Alert.builder("refund_failure", Severity.ERROR, "x")
                .groupBy("provider", "p".repeat(200))
                .build()
                .grouping()
                .get("provider"))
        .hasSize(Alert.MAX_GROUPING_VALUE_LENGTH);
  }

  @Test
  void anAlertIsNotChangedByItsBuilderAfterwards() {
    Alert.Builder builder =
        Alert.builder("refund_failure", Severity.ERROR, "x").context("a", 1).groupBy("g", "1");
    Alert first = builder.build();
    builder.context("b", 2).groupBy("h", "2");
    Alert second = builder.build();

    assertThat(first.context()).containsOnlyKeys("a");
    assertThat(first.grouping()).containsOnlyKeys("g");
    assertThat(second.context()).containsOnlyKeys("a", "b");
    assertThat(second.grouping()).containsOnlyKeys("g", "h");
    assertThatThrownBy(() -> first.context().put("c", 3))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void severitiesParseByName() {
    assertThat(Severity.parse(" Critical ")).isEqualTo(Severity.CRITICAL);
    assertThat(Severity.parse("warn")).isEqualTo(Severity.WARNING);
    assertThatThrownBy(() -> Severity.parse("loud"))
        .hasMessage("unknown severity 'loud'; use info, warning, error or critical");
    assertThat(Severity.ERROR.atLeast(Severity.WARNING)).isTrue();
    assertThat(Severity.INFO.atLeast(Severity.WARNING)).isFalse();
  }
}
