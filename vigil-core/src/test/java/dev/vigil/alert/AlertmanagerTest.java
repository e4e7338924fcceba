package dev.vigil.alert;

import static dev.vigil.alert.AlertTesting.advance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Monitoring;
import dev.vigil.alert.AlertTesting.TestTime;
import dev.vigil.alert.internal.DeliveryProbe;
import dev.vigil.testkit.AlertmanagerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts pushed to a real Alertmanager (the Debian {@code prometheus-alertmanager} binary on
 * 127.0.0.1, clustering off), read back from its API: labels, annotations, {@code startsAt}/{@code
 * endsAt}, one alert for many repeats, and resolution when the repeats stop. Each test uses its own
 * service name and reads only its own alerts.
 */
class AlertmanagerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static AlertmanagerServer alertmanager;

  private final TestTime time = new TestTime();
  private Monitoring monitoring;

  @BeforeAll
  static void startAlertmanager() throws Exception {
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n");
    alertmanager = AlertmanagerServer.start(config, dir);
  }

  @AfterAll
  static void stopAlertmanager() {
    if (alertmanager != null) {
      alertmanager.close();
    }
  }

  @AfterEach
  void close() {
    if (monitoring != null) {
      monitoring.close();
    }
  }

  private Monitoring start(String service, Clock clock, Consumer<AlertSettings.Builder> alerting) {
    monitoring =
        Monitoring.builder(service)
            .environment("production")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .ticker(time)
            .clock(clock)
            .alertmanager(alertmanager.uri().toString())
            .alerting(alerting)
            .build();
    return monitoring;
  }

  /** The alerts Alertmanager holds for {@code service}, active ones only. */
  private static List<JsonNode> alertsOf(String service) {
    List<JsonNode> mine = new ArrayList<>();
    for (JsonNode alert : alertmanager.alerts()) {
      if (service.equals(alert.path("labels").path("service").asText())) {
        mine.add(alert);
      }
    }
    return mine;
  }

  private static Map<String, String> map(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static Instant instant(JsonNode node) {
    return Instant.parse(node.asText());
  }

  @Test
  void aPaymentAlertArrivesWithLabelsAnnotationsAndItsTimes() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    start("payments-api", Clock.fixed(now, ZoneOffset.UTC), a -> {});
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("amount", 1500);
    context.put("plan", "premium");
    context.put("user-id", "u-1");
    context.put("summary", "from the caller");

    monitoring
        .alerts()
        .alertPaymentFailure("pay-123", new IllegalStateException("card declined"), context);

    await().atMost(Duration.ofSeconds(15)).until(() -> alertsOf("payments-api").size() == 1);
    JsonNode alert = alertsOf("payments-api").get(0);
    assertThat(map(alert.get("labels")))
        .isEqualTo(
            Map.of(
                "alertname", "VigilPaymentFailure",
                "service", "payments-api",
                "severity", "error",
                "type", "payment_failure"));
    Map<String, String> annotations = map(alert.get("annotations"));
    assertThat(annotations)
        .containsEntry("summary", "Payment failed: IllegalStateException: card declined")
        .containsEntry("payment_id", "pay-123")
        .containsEntry("amount", "1500")
        .containsEntry("plan", "premium")
        .containsEntry("user_id", "u-1")
        .containsEntry("context_summary", "from the caller")
        .containsEntry("error_type", "IllegalStateException")
        .containsEntry("occurrences", "1")
        .containsEntry("environment", "production")
        .containsEntry("first_seen", now.toString());
    assertThat(annotations.get("description"))
        .startsWith("Payment failed: IllegalStateException: card declined\npayment_id: pay-123\n");
    assertThat(instant(alert.get("startsAt"))).isEqualTo(now);
    assertThat(instant(alert.get("endsAt"))).isEqualTo(now.plus(Duration.ofMinutes(15)));
    assertThat(alert.get("status").get("state").asText()).isEqualTo("active");
  }

  @Test
  void manyRepeatsAreOneAlertThatCountsThem() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    start(
        "worker-repeats", Clock.fixed(now, ZoneOffset.UTC), a -> a.cooldown(Duration.ofMinutes(5)));
    DeliveryProbe probe = DeliveryProbe.of(monitoring);

    for (int i = 0; i < 10; i++) {
      monitoring
          .alerts()
          .alertQueueFailure(
              "image-generation", new RuntimeException("boom " + i), Map.of("jobId", "job-" + i));
      if (i == 0) {
        // The attempt timeout runs on the test's ticker: moving it on while the first alert is
        // still in flight would time that attempt out on a slow machine and hold the rest behind
        // a retry the ticker never reaches.
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> probe.attempts("alertmanager") == 1 && probe.backlog("alertmanager") == 0);
      }
      time.advance(Duration.ofSeconds(1));
    }
    for (int i = 0; i < 5; i++) {
      monitoring.alerts().alertPaymentFailure("pay-" + i, new RuntimeException("declined"), null);
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> alertsOf("worker-repeats").size() == 2);

    advance(monitoring, time, Duration.ofMinutes(5)); // the cool-down ends: the summaries go out

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              List<JsonNode> alerts = alertsOf("worker-repeats");
              assertThat(alerts).hasSize(2);
              for (JsonNode alert : alerts) {
                Map<String, String> labels = map(alert.get("labels"));
                Map<String, String> annotations = map(alert.get("annotations"));
                if (labels.get("type").equals("queue_failure")) {
                  assertThat(labels)
                      .containsEntry("alertname", "VigilQueueFailure")
                      .containsEntry("queue_name", "image-generation")
                      .hasSize(5);
                  assertThat(annotations)
                      .containsEntry("occurrences", "9")
                      .containsEntry("jobId", "job-9");
                  assertThat(annotations.get("description"))
                      .startsWith(
                          "Job failed in queue image-generation: RuntimeException: boom 9\nOccurred 9 times since "
                              + DateTimeFormatter.ofPattern(
                                      "yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
                                  .withZone(ZoneOffset.UTC)
                                  .format(now)
                              + "\n");
                } else {
                  assertThat(labels).doesNotContainKey("payment_id").hasSize(4);
                  assertThat(annotations)
                      .containsEntry("occurrences", "4")
                      .containsEntry("payment_id", "pay-4");
                }
              }
            });
    assertThat(DeliveryProbe.of(monitoring).attempts("alertmanager")).isEqualTo(4);
  }

  @Test
  void anAlertThatStopsRepeatingResolvesAtItsEndsAt() {
    // The clock runs 55 s behind, so endsAt (the alert's time plus the 1-minute resolve
    // timeout) is 5 s from now: Alertmanager takes it as firing, then resolves it by itself.
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-55));
    start(
        "resolving",
        behind,
        a -> a.cooldown(Duration.ofSeconds(30)).alertmanagerResolveTimeout(Duration.ofMinutes(1)));

    monitoring.alerts().alertServiceDegradation("openai", "slow", null);

    await().atMost(Duration.ofSeconds(4)).until(() -> alertsOf("resolving").size() == 1);
    JsonNode alert = alertsOf("resolving").get(0);
    assertThat(Duration.between(instant(alert.get("startsAt")), instant(alert.get("endsAt"))))
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(instant(alert.get("endsAt"))).isAfter(Instant.now());

    await().atMost(Duration.ofSeconds(20)).until(() -> alertsOf("resolving").isEmpty());
  }
}
