package dev.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Monitoring;
import dev.vigil.alert.AlertTesting.TestTime;
import dev.vigil.alert.internal.DeliveryProbe;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.HttpReceiver.Request;
import dev.vigil.testkit.HttpReceiver.Response;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.SecretCorpus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planted secrets of {@link SecretCorpus} sent down every alert path (each alert call, the
 * critical alert of handleCriticalError, the automatic payment alert) to every channel at once:
 * none may appear in what the webhook, Slack or Telegram receive, nor in any log line, and the
 * harmless values beside them must survive.
 */
class AlertSecretsTest {

  @Test
  void noPlantedSecretReachesAReceiverOrTheLog() {
    TestTime time = new TestTime();
    List<String> outputs = new ArrayList<>();
    try (HttpReceiver webhook = HttpReceiver.start(Response.ok(""));
        HttpReceiver slack = HttpReceiver.start(Response.ok("ok"));
        HttpReceiver telegram = HttpReceiver.start(Response.ok("{\"ok\":true}"));
        LogCapture logs = LogCapture.of("dev.vigil")) {
      try (Monitoring monitoring =
          Monitoring.builder("payments")
              .metricsEnabled(false)
              .jvmMetrics(false)
              .ticker(time)
              .clock(time.clock())
              .alertWebhook(webhook.url("/hook"))
              .slackWebhook(slack.url("/services/T/B/x"))
              .telegram("111:AAbot", "-100200")
              .alertRouting(AlertSettings.SLACK, Severity.INFO)
              .alertRouting(AlertSettings.TELEGRAM, Severity.INFO)
              .alerting(
                  a ->
                      a.telegramApiUrl(telegram.url(""))
                          .cooldown(Duration.ZERO)
                          .paymentFailureThreshold(1, Duration.ofMinutes(1)))
              .build()) {
        Alerts alerts = monitoring.alerts();
        String text = String.join(" | ", SecretCorpus.texts());
        alerts.alertPaymentFailure(text, SecretCorpus.exception(), SecretCorpus.context());
        alerts.alertQueueFailure(
            "image-generation", SecretCorpus.exception(), SecretCorpus.context());
        alerts.alertCriticalError(SecretCorpus.exception(), SecretCorpus.context());
        alerts.alertHighErrorRate(0.5, 0.1, SecretCorpus.context());
        alerts.alertServiceDegradation("gateway", text, SecretCorpus.context());
        alerts.send(
            Alert.builder("custom", Severity.WARNING, text)
                .context(SecretCorpus.context())
                .error(SecretCorpus.exception())
                .build());
        monitoring.handleCriticalError(SecretCorpus.exception(), SecretCorpus.context());
        monitoring.trackKpi(dev.vigil.Kpi.paymentFailure(text, "card", "declined"));

        // Eight alerts: the six calls, the critical alert of handleCriticalError and the
        // automatic payment alert (threshold 1). Slack and Telegram are rate-limited, so time is
        // moved on while waiting for them.
        await().atMost(Duration.ofSeconds(20)).until(() -> webhook.requests().size() == 8);
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () -> {
                  time.advance(Duration.ofSeconds(3));
                  DeliveryProbe.of(monitoring).wake();
                  return slack.requests().size() == 8 && telegram.requests().size() == 8;
                });
        for (HttpReceiver receiver : List.of(webhook, slack, telegram)) {
          for (Request request : receiver.requests()) {
            outputs.add(request.body());
          }
        }
      }
      logs.events().forEach(e -> outputs.add(e.getFormattedMessage()));
    }
    String all = String.join("\n", outputs);

    assertThat(outputs).hasSizeGreaterThan(20);
    assertThat(SecretCorpus.leaks(all)).isEmpty();
    assertThat(all).contains(SecretCorpus.VISIBLE);
  }
}
