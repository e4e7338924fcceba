package dev.vigil.alert;

import static dev.vigil.alert.AlertTesting.advance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Monitoring;
import dev.vigil.alert.AlertTesting.TestTime;
import dev.vigil.alert.internal.DeliveryProbe;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.HttpReceiver.Request;
import dev.vigil.testkit.HttpReceiver.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the webhook, Slack and Telegram receive, byte for byte: real HTTP receivers on 127.0.0.1
 * stand in for them, and the payloads are parsed with Jackson.
 */
class ChannelPayloadTest {
  static final String BOT_TOKEN = "123456789:AAH-test_token_abcdefghijklmnopqrstuvwxyz";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestTime time = new TestTime();
  private HttpReceiver telegram;
  private HttpReceiver slack;
  private HttpReceiver webhook;
  private Monitoring monitoring;

  @BeforeEach
  void start() {
    telegram = HttpReceiver.start(Response.ok("{\"ok\":true,\"result\":{}}"));
    slack = HttpReceiver.start(Response.ok("ok"));
    webhook = HttpReceiver.start(Response.ok(""));
    monitoring =
        Monitoring.builder("worker")
            .environment("production")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .ticker(time)
            .clock(time.clock())
            .telegram(BOT_TOKEN, "-1001234567890", 42)
            .slackWebhook(slack.url("/services/T000/B000/slacksecretpath"))
            .alertWebhook(webhook.url("/hooks/vigil"))
            .alerting(a -> a.telegramApiUrl(telegram.url("")))
            .build();
  }

  @AfterEach
  void stop() {
    monitoring.close();
    telegram.close();
    slack.close();
    webhook.close();
  }

  private void raiseQueueFailure() {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("jobId", "job-42");
    context.put("attempts", 3);
    context.put("password", "hunter2");
    monitoring
        .alerts()
        .alertQueueFailure(
            "image-generation",
            new IllegalStateException("model <overloaded> & \"busy\""),
            context);
  }

  private static Request awaitRequest(HttpReceiver receiver, int index) {
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() > index);
    return receiver.requests().get(index);
  }

  private static JsonNode json(Request request) throws Exception {
    return JSON.readTree(request.body());
  }

  @Test
  void theWebhookGetsOneJsonObjectWithEveryField() throws Exception {
    raiseQueueFailure();

    Request request = awaitRequest(webhook, 0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/hooks/vigil");
    assertThat(request.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(json(request))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"queue_failure\",\"severity\":\"error\","
                    + "\"message\":\"Job failed in queue image-generation: IllegalStateException:"
                    + " model <overloaded> & \\\"busy\\\"\","
                    + "\"service\":\"worker\",\"environment\":\"production\","
                    + "\"time\":\"2025-03-01T12:00:00Z\",\"first_seen\":\"2025-03-01T12:00:00Z\","
                    + "\"occurrences\":1,\"grouping\":{\"queue_name\":\"image-generation\"},"
                    + "\"context\":{\"jobId\":\"job-42\",\"attempts\":3,\"password\":\"[REDACTED]\","
                    + "\"error_type\":\"IllegalStateException\"}}"));
  }

  @Test
  void telegramGetsEscapedHtmlInTheTopic() throws Exception {
    raiseQueueFailure();

    Request request = awaitRequest(telegram, 0);
    assertThat(request.path()).isEqualTo("/bot" + BOT_TOKEN + "/sendMessage");
    JsonNode body = json(request);
    assertThat(body.get("chat_id").asText()).isEqualTo("-1001234567890");
    assertThat(body.get("message_thread_id").asLong()).isEqualTo(42);
    assertThat(body.get("parse_mode").asText()).isEqualTo("HTML");
    assertThat(body.get("disable_web_page_preview").asBoolean()).isTrue();
    assertThat(body.get("text").asText())
        .isEqualTo(
            "\u2757 <b>ERROR</b> queue_failure · worker (production)\n"
                + "<b>Job failed in queue image-generation: IllegalStateException: model"
                + " &lt;overloaded&gt; &amp; \"busy\"</b>\n"
                + "queue_name: <code>image-generation</code>\n"
                + "jobId: <code>job-42</code>\n"
                + "attempts: <code>3</code>\n"
                + "password: <code>[REDACTED]</code>\n"
                + "error_type: <code>IllegalStateException</code>\n"
                + "<i>2025-03-01 12:00:00 UTC</i>");
  }

  @Test
  void slackGetsEscapedMrkdwn() throws Exception {
    raiseQueueFailure();

    Request request = awaitRequest(slack, 0);
    assertThat(request.path()).isEqualTo("/services/T000/B000/slacksecretpath");
    assertThat(json(request).get("text").asText())
        .isEqualTo(
            ":x: *ERROR* `queue_failure` on *worker* (production)\n"
                + "Job failed in queue image-generation: IllegalStateException: model"
                + " &lt;overloaded&gt; &amp; \"busy\"\n"
                + "• *queue_name*: `image-generation`\n"
                + "• jobId: `job-42`\n"
                + "• attempts: `3`\n"
                + "• password: `[REDACTED]`\n"
                + "• error_type: `IllegalStateException`\n"
                + "2025-03-01 12:00:00 UTC");
    assertThat(json(request).size()).isEqualTo(1);
  }

  @Test
  void theSummaryAfterTheCooldownSaysHowManyOccurred() throws Exception {
    raiseQueueFailure();
    awaitRequest(webhook, 0);
    for (int i = 0; i < 4; i++) {
      time.advance(Duration.ofSeconds(1));
      raiseQueueFailure();
    }
    advance(monitoring, time, Duration.ofMinutes(5));

    JsonNode summary = json(awaitRequest(webhook, 1));
    assertThat(summary.get("occurrences").asLong()).isEqualTo(4);
    assertThat(summary.get("first_seen").asText()).isEqualTo("2025-03-01T12:00:01Z");
    assertThat(summary.get("time").asText()).isEqualTo("2025-03-01T12:00:04Z");
    assertThat(json(awaitRequest(telegram, 1)).get("text").asText())
        .contains("\nOccurred <b>4</b> times since 2025-03-01 12:00:01 UTC\n");
    assertThat(json(awaitRequest(slack, 1)).get("text").asText())
        .contains("\n_Occurred 4 times since 2025-03-01 12:00:01 UTC_\n");
    assertThat(webhook.requests()).hasSize(2);
  }

  @Test
  void telegramTextStaysWithin4096CharactersWithoutBreakingAnEntityOrTag() throws Exception {
    Map<String, Object> context = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      context.put("field" + i, "<v&" + i + ">".repeat(40));
    }
    monitoring.alerts().alertServiceDegradation("openai", "<&>".repeat(3000), context);

    String text = json(awaitRequest(telegram, 0)).get("text").asText();
    assertThat(text.length()).isLessThanOrEqualTo(4096).isGreaterThan(4000);
    assertThat(text).startsWith("\u26A0\uFE0F <b>WARNING</b> service_degradation");
    assertThat(text).contains("&lt;&amp;&gt;…</b>\n").endsWith("<i>2025-03-01 12:00:00 UTC</i>");
    assertThat(Pattern.compile("&(?!amp;|lt;|gt;)").matcher(text).find()).isFalse();
    String withoutTags = text.replaceAll("</?(b|i|code)>", "");
    assertThat(withoutTags).doesNotContain("<", ">");
    assertThat(text.split("<code>", -1).length).isEqualTo(text.split("</code>", -1).length);

    String slackText = json(awaitRequest(slack, 0)).get("text").asText();
    assertThat(slackText.length()).isLessThanOrEqualTo(3500);
  }

  @Test
  void longContextsEndWithHowManyLinesWereLeftOut() throws Exception {
    Map<String, Object> context = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      context.put("k" + i, i);
    }
    monitoring.alerts().alertServiceDegradation("openai", "slow", context);

    String text = json(awaitRequest(telegram, 0)).get("text").asText();
    assertThat(text).contains("k11: <code>11</code>\n… and 8 more\n<i>").doesNotContain("k12:");
  }

  @Test
  void telegramAndSlackSkipInfoAlertsByDefault() {
    monitoring.alerts().send(Alert.builder("deploy", Severity.INFO, "Deployed v42").build());

    awaitRequest(webhook, 0);
    assertThat(DeliveryProbe.of(monitoring).backlog("telegram")).isZero();
    assertThat(DeliveryProbe.of(monitoring).backlog("slack")).isZero();
    assertThat(telegram.requests()).isEmpty();
    assertThat(slack.requests()).isEmpty();
  }

  @Test
  void secretsNeverReachAnyReceiver() {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("card", "4111 1111 1111 1111");
    context.put("headers", Map.of("Authorization", "Bearer live-abcdef0123456789"));
    context.put("note", "bot url https://api.telegram.org/bot" + BOT_TOKEN + "/getMe");
    monitoring
        .alerts()
        .alertPaymentFailure(
            "pay-7",
            new IllegalStateException("gateway rejected api_key=sk_live_0123456789abcdef"),
            context);

    List<Request> all =
        List.of(awaitRequest(webhook, 0), awaitRequest(telegram, 0), awaitRequest(slack, 0));
    for (Request r : all) {
      assertThat(r.body())
          .contains("pay-7")
          .doesNotContain(
              "4111 1111 1111 1111",
              "live-abcdef0123456789",
              "sk_live_0123456789abcdef",
              BOT_TOKEN,
              "slacksecretpath");
    }
  }
}
