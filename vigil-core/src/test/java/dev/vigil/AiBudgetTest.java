package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.alert.Severity;
import dev.vigil.spi.AlertAgreement;
import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import dev.vigil.spi.SharedCounters;
import dev.vigil.testkit.Scrape;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AI budgets: spend per window, one alert per threshold and window, shared across replicas. */
class AiBudgetTest {
  /** $1 per 1,000 tokens: 100 tokens cost $0.10. */
  private static final Pricing PRICES =
      Pricing.builder().price("m", "input", "1").price("gpt-4o", "input", "1").build();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final Recording pager = new Recording();
  private final List<Monitoring> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Monitoring::close);
  }

  private Monitoring monitoring(Monitoring.Builder builder) {
    Monitoring m =
        builder
            .pricing(PRICES)
            .clock(clock)
            .alertChannel(pager)
            .discoverExtensions(false)
            .topSpendersLogInterval(Duration.ZERO)
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .build()
            .start();
    opened.add(m);
    return m;
  }

  private static Monitoring.Builder bot() {
    return Monitoring.builder("bot");
  }

  @Test
  void theServicesSpendPerDayRaisesEachThresholdOncePerDay() {
    Monitoring m =
        monitoring(bot().aiBudget(AiBudget.service(AiBudget.Window.DAY, BigDecimal.ONE)));
    m.trackKpi(Kpi.tokenSpend(700, "m", "input"));
    Scrape s = Scrape.of(m.metricsAddress());
    assertThat(s.value("ai_budget_spend_usd", "window", "day")).isEqualTo(0.7);
    assertThat(s.value("ai_budget_limit_usd", "window", "day")).isEqualTo(1.0);

    m.trackKpi(Kpi.tokenSpend(100, "m", "input"));
    Scrape.of(m.metricsAddress());
    await().atMost(Duration.ofSeconds(10)).until(() -> pager.delivered.size() == 1);
    Notification warning = pager.delivered.get(0);
    assertThat(warning.severity()).isEqualTo(Severity.WARNING);
    assertThat(warning.message())
        .isEqualTo(
            "AI spend of service 'bot' reached $0.80, 80% of its budget of $1.00 per day (day of"
                + " 2026-12-01, Z)");
    assertThat(warning.grouping())
        .isEqualTo(
            Map.of(
                "budget", "service", "window", "day", "threshold", "80", "period", "2026-12-01"));

    m.trackKpi(Kpi.tokenSpend(300, "m", "input"));
    assertThat(Scrape.of(m.metricsAddress()).value("ai_budget_spend_usd", "window", "day"))
        .isEqualTo(1.1);
    Scrape.of(m.metricsAddress());
    await().atMost(Duration.ofSeconds(10)).until(() -> pager.delivered.size() == 2);
    assertThat(pager.delivered.get(1).severity()).isEqualTo(Severity.ERROR);
    assertThat(pager.delivered.get(1).message()).contains("reached $1.10, 100% of its budget");

    // the next day starts from nothing, and may alert again
    clock.set(Instant.parse("2026-12-02T00:00:01Z"));
    assertThat(Scrape.of(m.metricsAddress()).value("ai_budget_spend_usd", "window", "day"))
        .isEqualTo(0.0);
    m.trackKpi(Kpi.tokenSpend(850, "m", "input"));
    Scrape.of(m.metricsAddress());
    await().atMost(Duration.ofSeconds(10)).until(() -> pager.delivered.size() == 3);
    assertThat(pager.delivered.get(2).grouping()).containsEntry("period", "2026-12-02");
    assertThat(pager.delivered).hasSize(3);
  }

  @Test
  void aModelsBudgetCountsThatModelOnly_inItsOwnZonesMonth() {
    Monitoring m =
        monitoring(
            bot()
                .aiBudgetZone(ZoneId.of("Europe/Berlin"))
                .aiBudget(
                    AiBudget.model("gpt-4o", AiBudget.Window.MONTH, new BigDecimal("0.5"))
                        .alertAt(100)));
    m.trackKpi(Kpi.tokenSpend(900, "m", "input"));
    m.trackKpi(Kpi.tokenSpend(499, "gpt-4o", "input"));
    Scrape s = Scrape.of(m.metricsAddress());
    assertThat(s.value("ai_budget_model_spend_usd", "model", "gpt-4o", "window", "month"))
        .isEqualTo(0.499);
    assertThat(s.value("ai_budget_model_limit_usd", "model", "gpt-4o", "window", "month"))
        .isEqualTo(0.5);
    m.trackKpi(Kpi.tokenSpend(1, "gpt-4o", "input"));
    Scrape.of(m.metricsAddress());
    await().atMost(Duration.ofSeconds(10)).until(() -> pager.delivered.size() == 1);
    assertThat(pager.delivered.get(0).message())
        .isEqualTo(
            "AI spend of model gpt-4o of service 'bot' reached $0.50, 100% of its budget of $0.50"
                + " per month (month of 2026-12, Europe/Berlin)");
  }

  @Test
  void eachUsersSpendIsReadFromTheTopSpenders_neverFromLabels() {
    Monitoring m =
        monitoring(bot().aiBudget(AiBudget.perUser(Duration.ofHours(24), new BigDecimal("0.05"))));
    m.trackKpi(Kpi.tokenSpend(60, "m", "input").forUser("alice"));
    m.trackKpi(Kpi.tokenSpend(10, "m", "input").forUser("bob"));
    Scrape s = Scrape.of(m.metricsAddress());
    assertThat(s.value("ai_budget_users_over_limit", "window", "24h")).isEqualTo(1.0);
    assertThat(s.value("ai_budget_user_limit_usd", "window", "24h")).isEqualTo(0.05);
    await().atMost(Duration.ofSeconds(10)).until(() -> pager.delivered.size() == 2);
    List<String> messages = new ArrayList<>();
    pager.delivered.forEach(n -> messages.add(n.message()));
    assertThat(messages)
        .containsExactlyInAnyOrder(
            "1 user of service 'bot' spent 100% or more of the AI budget of $0.05 per user in the"
                + " last 24h: alice=$0.06",
            "1 user of service 'bot' spent 80% or more of the AI budget of $0.05 per user in the"
                + " last 24h: alice=$0.06");
    Scrape.of(m.metricsAddress()); // alice is not alerted about again within the window
    assertThat(pager.delivered).hasSize(2);
  }

  @Test
  void budgetsComeFromTheEnvironment() {
    Monitoring m =
        monitoring(
            bot()
                .readEnvironment(
                    Map.of(
                        "VIGIL_BUDGET_SERVICE", "1/day, 30/month",
                        "VIGIL_BUDGET_MODEL", "gpt-4o=0.5/day",
                        "VIGIL_BUDGET_USER", "0.05/24h",
                        "VIGIL_BUDGET_ALERT_AT", "50,100",
                        "VIGIL_BUDGET_ZONE", "Europe/Berlin",
                        "VIGIL_BUDGET_CHECK_INTERVAL", "5s")));
    Scrape s = Scrape.of(m.metricsAddress());
    assertThat(s.value("ai_budget_limit_usd", "window", "day")).isEqualTo(1.0);
    assertThat(s.value("ai_budget_limit_usd", "window", "month")).isEqualTo(30.0);
    assertThat(s.value("ai_budget_model_limit_usd", "model", "gpt-4o", "window", "day"))
        .isEqualTo(0.5);
    assertThat(s.value("ai_budget_user_limit_usd", "window", "24h")).isEqualTo(0.05);
    m.trackKpi(Kpi.tokenSpend(500, "m", "input"));
    Scrape.of(m.metricsAddress());
    await().atMost(Duration.ofSeconds(10)).until(() -> pager.delivered.size() == 1);
    assertThat(pager.delivered.get(0).grouping()).containsEntry("threshold", "50");
  }

  @Test
  void badBudgetSettingsFailNamingTheSetting() {
    assertThatThrownBy(() -> bot().readEnvironment(Map.of("VIGIL_BUDGET_SERVICE", "100/dya")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "VIGIL_BUDGET_SERVICE: the window of '100/dya' is hour, day, week or month, got 'dya'");
    assertThatThrownBy(() -> bot().readEnvironment(Map.of("VIGIL_BUDGET_SERVICE", "-5/day")))
        .hasMessage(
            "VIGIL_BUDGET_SERVICE: the limit of the AI budget of service must be more than 0 and"
                + " at most 1000000000 US dollars, with at most 9 decimal places, such as 100 or"
                + " 12.50; got -5");
    // found by the fuzz suite: a limit of a huge scale is printed short, never in full
    assertThatThrownBy(() -> AiBudget.service(AiBudget.Window.DAY, new BigDecimal("1E-1000000000")))
        .hasMessageEndingWith("12.50; got 1E-1000000000");
    assertThatThrownBy(() -> bot().readEnvironment(Map.of("VIGIL_BUDGET_MODEL", "40/day")))
        .hasMessage(
            "VIGIL_BUDGET_MODEL: '40/day' is not <model>=<usd>/<window>, such as gpt-4o=40/day");
    assertThatThrownBy(() -> bot().readEnvironment(Map.of("VIGIL_BUDGET_ALERT_AT", "80,80")))
        .hasMessageStartingWith("VIGIL_BUDGET_ALERT_AT: alertAt: each percentage");
    assertThatThrownBy(() -> bot().readEnvironment(Map.of("VIGIL_BUDGET_ZONE", "Mars/Olympus")))
        .hasMessage(
            "VIGIL_BUDGET_ZONE: 'Mars/Olympus' is not a time zone; use an id such as UTC or"
                + " Europe/Berlin");
    assertThatThrownBy(
            () -> bot().readEnvironment(Map.of("VIGIL_BUDGET_USER", "5/2h")).build().close())
        .hasMessage(
            "VIGIL_BUDGET_USER: a per-user AI budget counts a window of the top spenders, and 2h is"
                + " not one (they are 5m, 1h, 24h). Add 2h to VIGIL_ACTIVE_USER_WINDOWS"
                + " (activeUserWindows(..)) or use one of those.");
  }

  @Test
  void withASharedStoreTheThresholdHoldsForEveryReplica_andAlertsOnce() {
    SharedStore store = new SharedStore();
    Monitoring replicaA = monitoring(replica(store));
    Monitoring replicaB = monitoring(replica(store));
    // $0.06 each: 60% on either replica alone, 120% together
    replicaA.trackKpi(Kpi.tokenSpend(60, "m", "input"));
    replicaB.trackKpi(Kpi.tokenSpend(60, "m", "input"));
    Scrape.of(replicaA.metricsAddress()); // each check hands its spend over, in cents
    Scrape.of(replicaB.metricsAddress());
    assertThat(pager.delivered).isEmpty();
    store.read(); // the store's thread reads the totals: 12 cents
    Scrape.of(replicaA.metricsAddress());
    Scrape.of(replicaB.metricsAddress());
    await().atMost(Duration.ofSeconds(10)).until(() -> store.claims.size() == 4);
    await().atMost(Duration.ofSeconds(10)).until(() -> pager.delivered.size() == 2);
    List<String> messages = new ArrayList<>();
    pager.delivered.forEach(n -> messages.add(n.message()));
    assertThat(messages)
        .containsExactlyInAnyOrder(
            "AI spend of service 'bot' reached $0.12, 80% of its budget of $0.10 per day across"
                + " its replicas (day of 2026-12-01, Z)",
            "AI spend of service 'bot' reached $0.12, 100% of its budget of $0.10 per day across"
                + " its replicas (day of 2026-12-01, Z)");
    // each replica still shows its own spend
    assertThat(Scrape.of(replicaA.metricsAddress()).value("ai_budget_spend_usd", "window", "day"))
        .isEqualTo(0.06);
  }

  private Monitoring.Builder replica(SharedStore store) {
    return bot()
        .aiBudget(AiBudget.service(AiBudget.Window.DAY, new BigDecimal("0.10")))
        .extension(
            c -> {
              c.agreeOnAlerts(store::claim);
              c.shareAlertThresholds(store);
            });
  }

  /** Counters and claims shared by the replicas of one test, read when the test says so. */
  static final class SharedStore implements SharedCounters {
    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    final Map<String, List<LongConsumer>> listeners = new ConcurrentHashMap<>();
    final Set<String> claims = ConcurrentHashMap.newKeySet();

    @Override
    public SharedCounter counter(String name, Duration window, LongConsumer totals) {
      listeners
          .computeIfAbsent(name, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
          .add(totals);
      AtomicLong count = counts.computeIfAbsent(name, k -> new AtomicLong());
      return count::incrementAndGet;
    }

    void read() {
      listeners.forEach((name, all) -> all.forEach(l -> l.accept(counts.get(name).get())));
    }

    // Synchronized: the replicas' delivery threads claim at the same moment, and two claims
    // numbered alike would count as one (or both be owners).
    synchronized AlertAgreement.Claim claim(String channel, Notification n, Duration hold) {
      return claims.add(channel + " " + n.key() + " " + claims.size())
              && claims.stream().filter(c -> c.startsWith(channel + " " + n.key() + " ")).count()
                  == 1
          ? AlertAgreement.Claim.OWNER
          : AlertAgreement.Claim.DUPLICATE;
    }
  }

  /** A channel that records what it was asked to deliver. */
  static final class Recording implements AlertChannel {
    final List<Notification> delivered = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String name() {
      return "pager";
    }

    @Override
    public CompletionStage<Delivery> deliver(Notification n) {
      delivered.add(n);
      return CompletableFuture.completedFuture(Delivery.sent());
    }
  }

  /** A wall clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
