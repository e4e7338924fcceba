package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.testkit.AlertmanagerServer;
import dev.vigil.testkit.Promtool;
import dev.vigil.testkit.RequestRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/alertmanager routes by severity to Telegram, Slack and a webhook, and a critical alert
 * silences the warning of the same name and service, proven with the real Alertmanager and real
 * HTTP receivers on 127.0.0.1 standing in for Telegram's Bot API, Slack and the webhook.
 *
 * <p>The shipped file reads every secret from a file and needs Alertmanager 0.26 or later for
 * two of them ({@code bot_token_file}, {@code url_file}); the Debian package here is 0.25. The
 * test therefore runs a copy in which exactly those two fields are replaced by the contents of
 * their files, the secrets directory points at the test's, Telegram's API URL at the stand-in,
 * and the grouping waits are shortened; {@link #theOnlyDifferencesFromTheShippedFile} pins that
 * nothing else differs.
 */
class AlertmanagerTest {
  private static final String TELEGRAM_TOKEN = "123456:TEST-ONLY-TOKEN";
  private static final String TELEGRAM_OK =
      "{\"ok\":true,\"result\":{\"message_id\":1,\"date\":0,\"chat\":{\"id\":-1001234567890,"
          + "\"type\":\"supergroup\"},\"text\":\"ok\"}}";

  @TempDir Path dir;

  @Test
  void theShippedFile_readsEverySecretFromAFile() throws IOException {
    JsonNode config = Repo.yaml(Repo.path("deploy/alertmanager/alertmanager.yml"));
    List<String> literal = new ArrayList<>();
    for (JsonNode receiver : config.path("receivers")) {
      for (JsonNode c : receiver.path("telegram_configs")) {
        check(c, "bot_token", literal);
      }
      for (JsonNode c : receiver.path("slack_configs")) {
        check(c, "api_url", literal);
      }
      for (JsonNode c : receiver.path("webhook_configs")) {
        check(c, "url", literal);
      }
    }
    assertThat(literal).isEmpty();
    assertThat(config.path("global").has("slack_api_url")).isFalse();
  }

  private static void check(JsonNode c, String field, List<String> literal) {
    if (c.has(field) || !c.path(field + "_file").asText().startsWith("/etc/alertmanager/secrets/")) {
      literal.add(c.toString());
    }
  }

  @Test
  void amtool_acceptsTheConfiguration() throws IOException {
    Path config = runnableCopy("http://127.0.0.1:1", "http://127.0.0.1:1/hook");
    Promtool.Result result = AlertmanagerServer.checkConfig(config);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS").contains("3 receivers").contains("2 inhibit rules");
  }

  @Test
  void theOnlyDifferencesFromTheShippedFile() throws IOException {
    ObjectNode shipped = (ObjectNode) Repo.yaml(Repo.path("deploy/alertmanager/alertmanager.yml"));
    ObjectNode copy = (ObjectNode) Repo.YAML.readTree(
        runnableCopy("http://127.0.0.1:1", "http://127.0.0.1:1/hook").toFile());
    // undo the documented substitutions: what remains must equal the shipped file
    undo(copy, shipped);
    assertThat(copy).isEqualTo(shipped);
  }

  @Test
  void routesBySeverity_andCriticalsSilenceWarningsOfTheSameAlertAndService() throws Exception {
    try (RequestRecorder telegram = RequestRecorder.start(TELEGRAM_OK);
        RequestRecorder slack = RequestRecorder.start("ok");
        RequestRecorder webhook = RequestRecorder.start("{}")) {
      Path config = runnableCopy(telegram.url(""), webhook.url("/vigil-alerts"));
      Files.writeString(dir.resolve("secrets/slack-webhook-url"),
          slack.url("/services/T000/B000/TESTONLY"));
      try (AlertmanagerServer alertmanager = AlertmanagerServer.start(config, dir)) {
        alertmanager.postAlerts("["
            + alert("ApiErrorBudgetBurn", "critical", "api", "\"long\":\"1h\",\"short\":\"5m\"",
                "The API is burning its error budget 14.4 times too fast.")
            + "," + alert("ApiErrorBudgetBurn", "warning", "api", "\"long\":\"3d\",\"short\":\"6h\"",
                "The API is spending its error budget faster than it earns it.")
            + "," + alert("QueueFailureRateHigh", "warning", "worker",
                "\"queue_name\":\"image-generation\"", "Many queue jobs are failing.")
            + "," + alert("VigilInvalidInputs", "info", "bot", "\"metric\":\"token_spend_total\"",
                "Vigil dropped or normalised bad input.")
            + "]");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          assertThat(telegram.requests()).hasSize(1);
          assertThat(slack.requests()).hasSize(2);
          assertThat(webhook.requests()).hasSize(3);
        });

        // critical: Telegram, through the Bot API with the token from its file
        RequestRecorder.Request message = telegram.requests().get(0);
        assertThat(message.path()).isEqualTo("/bot" + TELEGRAM_TOKEN + "/sendMessage");
        assertThat(message.body()).contains("ApiErrorBudgetBurn").contains("in api")
            .contains("14.4 times too fast").doesNotContain("faster than it earns it")
            .contains("-1001234567890");

        // critical and warning: Slack; the inhibited warning is in no notification
        List<String> slackBodies =
            slack.requests().stream().map(RequestRecorder.Request::body).collect(Collectors.toList());
        assertThat(slack.requests()).allSatisfy(r ->
            assertThat(r.path()).isEqualTo("/services/T000/B000/TESTONLY"));
        assertThat(slackBodies).anySatisfy(b -> assertThat(b)
            .contains("[FIRING:1] ApiErrorBudgetBurn in api").contains("14.4 times too fast")
            .contains("docs/MONITORING.md#apierrorbudgetburn"));
        assertThat(slackBodies).anySatisfy(b -> assertThat(b)
            .contains("[FIRING:1] QueueFailureRateHigh in worker"));
        assertThat(String.join("\n", slackBodies))
            .doesNotContain("faster than it earns it").doesNotContain("VigilInvalidInputs");

        // every severity: the webhook, in Alertmanager's JSON format
        List<JsonNode> payloads = new ArrayList<>();
        for (RequestRecorder.Request r : webhook.requests()) {
          assertThat(r.path()).isEqualTo("/vigil-alerts");
          payloads.add(Repo.JSON.readTree(r.body()));
        }
        assertThat(payloads).extracting(p -> p.path("groupLabels").path("alertname").asText())
            .containsExactlyInAnyOrder("ApiErrorBudgetBurn", "QueueFailureRateHigh",
                "VigilInvalidInputs");
        for (JsonNode p : payloads) {
          for (JsonNode a : p.path("alerts")) {
            assertThat(a.path("labels").path("long").asText())
                .as("the inhibited warning was sent: " + p).isNotEqualTo("3d");
          }
        }

        // Alertmanager itself reports the warning as suppressed by the critical one
        JsonNode inhibited = null;
        for (JsonNode a : alertmanager.alerts()) {
          if (a.path("labels").path("long").asText().equals("3d")) {
            inhibited = a;
          }
        }
        assertThat(inhibited).isNotNull();
        assertThat(inhibited.path("status").path("state").asText()).isEqualTo("suppressed");
        assertThat(inhibited.path("status").path("inhibitedBy")).hasSize(1);

        // and its status page, which shows the loaded configuration, hides the secrets
        String status = alertmanager.status().toString();
        assertThat(status).doesNotContain(TELEGRAM_TOKEN).doesNotContain("TESTONLY");
      }
    }
  }

  private static String alert(String name, String severity, String service, String labels,
      String summary) {
    return "{\"labels\":{\"alertname\":\"" + name + "\",\"severity\":\"" + severity
        + "\",\"service\":\"" + service + "\"," + labels + "},\"annotations\":{\"summary\":\""
        + summary + "\",\"description\":\"test\",\"runbook_url\":\""
        + AlertConventionsTest.RUNBOOK_BASE + name.toLowerCase(java.util.Locale.ROOT) + "\"}}";
  }

  /**
   * The shipped configuration made runnable on Alertmanager 0.25 in {@code dir}: secrets from
   * {@code dir/secrets}, bot_token_file and url_file inlined from those files, Telegram's API at
   * {@code telegramApi}, the templates from deploy/, and one-second grouping waits.
   */
  private Path runnableCopy(String telegramApi, String webhookUrl) throws IOException {
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("telegram-bot-token"), TELEGRAM_TOKEN);
    Files.writeString(secrets.resolve("alert-webhook-url"), webhookUrl);
    if (!Files.exists(secrets.resolve("slack-webhook-url"))) {
      Files.writeString(secrets.resolve("slack-webhook-url"), "http://127.0.0.1:1/slack");
    }
    String text = Repo.read(Repo.path("deploy/alertmanager/alertmanager.yml"))
        .replace("/etc/alertmanager/secrets/", secrets.toAbsolutePath() + "/");
    ObjectNode config = (ObjectNode) Repo.YAML.readTree(text);
    ArrayNode templates = config.putArray("templates");
    templates.add(Repo.path("deploy/alertmanager/templates").toAbsolutePath() + "/*.tmpl");
    ObjectNode route = (ObjectNode) config.path("route");
    route.put("group_wait", "1s").put("group_interval", "1s");
    for (JsonNode receiver : config.path("receivers")) {
      for (JsonNode c : receiver.path("telegram_configs")) {
        ObjectNode t = (ObjectNode) c;
        t.put("bot_token", Files.readString(Path.of(t.remove("bot_token_file").asText())));
        t.put("api_url", telegramApi);
      }
      for (JsonNode c : receiver.path("webhook_configs")) {
        ObjectNode w = (ObjectNode) c;
        w.put("url", Files.readString(Path.of(w.remove("url_file").asText())));
      }
    }
    Path file = dir.resolve("alertmanager.yml");
    Repo.YAML.writeValue(file.toFile(), config);
    return file;
  }

  private void undo(ObjectNode copy, ObjectNode shipped) {
    copy.set("templates", shipped.path("templates"));
    ObjectNode route = (ObjectNode) copy.path("route");
    route.set("group_wait", shipped.path("route").path("group_wait"));
    route.set("group_interval", shipped.path("route").path("group_interval"));
    String secrets = dir.resolve("secrets").toAbsolutePath() + "/";
    for (JsonNode receiver : copy.path("receivers")) {
      for (JsonNode c : receiver.path("telegram_configs")) {
        ObjectNode t = (ObjectNode) c;
        t.remove("bot_token");
        t.remove("api_url");
        t.put("bot_token_file", "/etc/alertmanager/secrets/telegram-bot-token");
      }
      for (JsonNode c : receiver.path("slack_configs")) {
        ObjectNode s = (ObjectNode) c;
        s.put("api_url_file", s.path("api_url_file").asText().replace(secrets, "/etc/alertmanager/secrets/"));
      }
      for (JsonNode c : receiver.path("webhook_configs")) {
        ObjectNode w = (ObjectNode) c;
        w.remove("url");
        w.put("url_file", "/etc/alertmanager/secrets/alert-webhook-url");
      }
    }
  }
}
