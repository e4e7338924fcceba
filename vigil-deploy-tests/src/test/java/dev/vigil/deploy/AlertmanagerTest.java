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
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/alertmanager routes by severity to Telegram, Slack and a webhook, and a more severe alert
 * silences the less severe ones of the same name and service (critical over error and warning,
 * error over warning), proven with the real Alertmanager and real HTTP receivers on 127.0.0.1
 * standing in for Telegram's Bot API, Slack and the webhook.
 *
 * <p>The shipped file reads every secret from a file and needs Alertmanager 0.26 or later for two
 * of them ({@code bot_token_file}, {@code url_file}); the Debian package here is 0.25. The test
 * therefore runs a copy in which exactly those two fields are replaced by the contents of their
 * files, the secrets directory points at the test's, Telegram's API URL at the stand-in, and the
 * grouping waits are shortened; {@link #theOnlyDifferencesFromTheShippedFile} pins that nothing
 * else differs.
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
    if (c.has(field)
        || !c.path(field + "_file").asText().startsWith("/etc/alertmanager/secrets/")) {
      literal.add(c.toString());
    }
  }

  @Test
  void amtool_acceptsTheConfiguration() throws IOException {
    Path config = runnableCopy("http://127.0.0.1:1", "http://127.0.0.1:1/hook");
    Promtool.Result result = AlertmanagerServer.checkConfig(config);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("SUCCESS")
        .contains("3 receivers")
        .contains("3 inhibit rules");
  }

  @Test
  void theOnlyDifferencesFromTheShippedFile() throws IOException {
    ObjectNode shipped = (ObjectNode) Repo.yaml(Repo.path("deploy/alertmanager/alertmanager.yml"));
    ObjectNode copy =
        (ObjectNode)
            Repo.YAML.readTree(
                runnableCopy("http://127.0.0.1:1", "http://127.0.0.1:1/hook").toFile());
    // undo the documented substitutions: what remains must equal the shipped file
    undo(copy, shipped);
    assertThat(copy).isEqualTo(shipped);
  }

  /**
   * The rules' critical, warning and info alerts, and the {@code error} ones a service posts itself
   * when Alertmanager is one of its channels (labels {@code alertname}, {@code service}, {@code
   * severity}, {@code type}, as vigil-core's Alertmanager channel sends them). VigilQuota is raised
   * at two severities in each of two services, so that error silences warning in one and critical
   * silences error in the other.
   */
  @Test
  void routesBySeverity_andMoreSevereAlertsSilenceLessSevereOnesOfTheSameAlertAndService()
      throws Exception {
    try (RequestRecorder telegram = RequestRecorder.start(TELEGRAM_OK);
        RequestRecorder slack = RequestRecorder.start("ok");
        RequestRecorder webhook = RequestRecorder.start("{}")) {
      Path config = runnableCopy(telegram.url(""), webhook.url("/vigil-alerts"));
      Files.writeString(
          dir.resolve("secrets/slack-webhook-url"), slack.url("/services/T000/B000/TESTONLY"));
      try (AlertmanagerServer alertmanager = AlertmanagerServer.start(config, dir)) {
        alertmanager.postAlerts(
            "["
                + alert(
                    "ApiErrorBudgetBurn",
                    "critical",
                    "api",
                    "\"long\":\"1h\",\"short\":\"5m\"",
                    "The API is burning its error budget 14.4 times too fast.")
                + ","
                + alert(
                    "ApiErrorBudgetBurn",
                    "warning",
                    "api",
                    "\"long\":\"3d\",\"short\":\"6h\"",
                    "The API is spending its error budget faster than it earns it.")
                + ","
                + alert(
                    "QueueFailureRateHigh",
                    "warning",
                    "worker",
                    "\"queue_name\":\"image-generation\"",
                    "Many queue jobs are failing.")
                + ","
                + alert(
                    "VigilInvalidInputs",
                    "info",
                    "bot",
                    "\"metric\":\"token_spend_total\"",
                    "Vigil dropped or normalised bad input.")
                + ","
                + alert("VigilQuota", "warning", "bot", QUOTA, "Quota at 95 percent.")
                + ","
                + alert("VigilQuota", "error", "bot", QUOTA, "Quota exhausted on bot.")
                + ","
                + alert("VigilQuota", "error", "api", QUOTA, "Quota exhausted on api.")
                + ","
                + alert("VigilQuota", "critical", "api", QUOTA, "Account suspended.")
                + "]");

        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () -> {
                  assertThat(telegram.requests()).hasSize(2);
                  assertThat(slack.requests()).hasSize(4);
                  assertThat(webhook.requests()).hasSize(5);
                });

        // critical: Telegram, through the Bot API with the token from its file; nothing else
        assertThat(telegram.requests())
            .allSatisfy(
                r -> {
                  assertThat(r.path()).isEqualTo("/bot" + TELEGRAM_TOKEN + "/sendMessage");
                  assertThat(r.body()).contains("-1001234567890");
                });
        List<String> telegramBodies =
            telegram.requests().stream()
                .map(RequestRecorder.Request::body)
                .collect(Collectors.toList());
        assertThat(telegramBodies)
            .anySatisfy(
                b ->
                    assertThat(b)
                        .contains("ApiErrorBudgetBurn")
                        .contains("in api")
                        .contains("14.4 times too fast"));
        assertThat(telegramBodies)
            .anySatisfy(
                b ->
                    assertThat(b)
                        .contains("VigilQuota")
                        .contains("in api")
                        .contains("Account suspended."));
        assertThat(String.join("\n", telegramBodies))
            .doesNotContain("faster than it earns it")
            .doesNotContain("Quota exhausted")
            .doesNotContain("QueueFailureRateHigh");

        // critical, error and warning: Slack; the inhibited ones are in no notification
        List<String> slackBodies =
            slack.requests().stream()
                .map(RequestRecorder.Request::body)
                .collect(Collectors.toList());
        assertThat(slack.requests())
            .allSatisfy(r -> assertThat(r.path()).isEqualTo("/services/T000/B000/TESTONLY"));
        assertThat(slackBodies)
            .anySatisfy(
                b ->
                    assertThat(b)
                        .contains("[FIRING:1] ApiErrorBudgetBurn in api")
                        .contains("14.4 times too fast")
                        .contains("docs/MONITORING.md#apierrorbudgetburn"));
        assertThat(slackBodies)
            .anySatisfy(b -> assertThat(b).contains("[FIRING:1] QueueFailureRateHigh in worker"));
        assertThat(slackBodies)
            .anySatisfy(
                b ->
                    assertThat(b)
                        .contains("[FIRING:1] VigilQuota in bot")
                        .contains("*Quota exhausted on bot.* (error)"));
        assertThat(slackBodies)
            .anySatisfy(
                b ->
                    assertThat(b)
                        .contains("[FIRING:1] VigilQuota in api")
                        .contains("*Account suspended.* (critical)"));
        assertThat(String.join("\n", slackBodies))
            .doesNotContain("faster than it earns it")
            .doesNotContain("VigilInvalidInputs")
            .doesNotContain("Quota at 95 percent")
            .doesNotContain("Quota exhausted on api");

        // every severity: the webhook, in Alertmanager's JSON format
        List<JsonNode> payloads = new ArrayList<>();
        for (RequestRecorder.Request r : webhook.requests()) {
          assertThat(r.path()).isEqualTo("/vigil-alerts");
          payloads.add(Repo.JSON.readTree(r.body()));
        }
        assertThat(payloads)
            .extracting(
                p ->
                    p.path("groupLabels").path("alertname").asText()
                        + " "
                        + p.path("groupLabels").path("service").asText())
            .containsExactlyInAnyOrder(
                "ApiErrorBudgetBurn api",
                "QueueFailureRateHigh worker",
                "VigilInvalidInputs bot",
                "VigilQuota bot",
                "VigilQuota api");
        List<String> sent = new ArrayList<>();
        for (JsonNode p : payloads) {
          for (JsonNode a : p.path("alerts")) {
            sent.add(a.path("annotations").path("summary").asText());
          }
        }
        assertThat(sent)
            .containsExactlyInAnyOrder(
                "The API is burning its error budget 14.4 times too fast.",
                "Many queue jobs are failing.",
                "Vigil dropped or normalised bad input.",
                "Quota exhausted on bot.",
                "Account suspended.");

        // Alertmanager itself reports the three as suppressed, each by one more severe alert
        Map<String, JsonNode> bySummary = new TreeMap<>();
        for (JsonNode a : alertmanager.alerts()) {
          bySummary.put(a.path("annotations").path("summary").asText(), a);
        }
        for (String summary :
            List.of(
                "The API is spending its error budget faster than it earns it.",
                "Quota at 95 percent.",
                "Quota exhausted on api.")) {
          JsonNode inhibited = bySummary.get(summary);
          assertThat(inhibited).as(summary).isNotNull();
          assertThat(inhibited.path("status").path("state").asText())
              .as(summary)
              .isEqualTo("suppressed");
          assertThat(inhibited.path("status").path("inhibitedBy")).as(summary).hasSize(1);
        }
        assertThat(bySummary.get("Quota exhausted on bot.").path("status").path("state").asText())
            .isEqualTo("active");

        // and its status page, which shows the loaded configuration, hides the secrets
        String status = alertmanager.status().toString();
        assertThat(status).doesNotContain(TELEGRAM_TOKEN).doesNotContain("TESTONLY");
      }
    }
  }

  /** The labels besides alertname, severity and service of an alert a service posts itself. */
  private static final String QUOTA = "\"type\":\"quota\",\"provider\":\"openai\"";

  private static String alert(
      String name, String severity, String service, String labels, String summary) {
    return "{\"labels\":{\"alertname\":\""
        + name
        + "\",\"severity\":\""
        + severity
        + "\",\"service\":\""
        + service
        + "\","
        + labels
        + "},\"annotations\":{\"summary\":\""
        + summary
        + "\",\"description\":\"test\",\"runbook_url\":\""
        + AlertConventionsTest.RUNBOOK_BASE
        + name.toLowerCase(java.util.Locale.ROOT)
        + "\"}}";
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
    String text =
        Repo.read(Repo.path("deploy/alertmanager/alertmanager.yml"))
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
        s.put(
            "api_url_file",
            s.path("api_url_file").asText().replace(secrets, "/etc/alertmanager/secrets/"));
      }
      for (JsonNode c : receiver.path("webhook_configs")) {
        ObjectNode w = (ObjectNode) c;
        w.remove("url");
        w.put("url_file", "/etc/alertmanager/secrets/alert-webhook-url");
      }
    }
  }
}
