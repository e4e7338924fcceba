package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.testkit.Scrape;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The contract of the shared-store SPI, with an in-memory store: what core hands over, how it uses
 * what the store answers, and how it falls back when the store has nothing.
 */
class SharedStoreSpiTest {

  /** A store that keeps what it is given and answers what the test sets. */
  static class FakeActivity implements SharedUserActivity {
    final List<String> users = Collections.synchronizedList(new ArrayList<>());
    final List<String> spends = Collections.synchronizedList(new ArrayList<>());
    volatile long service = UNAVAILABLE;
    volatile long system = UNAVAILABLE;
    volatile @Nullable List<Spender> top;

    @Override
    public void accept(@Nullable String[] ids, long[] tokens, long[] cost, int from, int to) {
      for (int i = from; i < to; i++) {
        (tokens[i] == 0 ? users : spends).add(ids[i] + (tokens[i] == 0 ? "" : "=" + tokens[i]));
      }
    }

    @Override
    public long distinctUsers(Duration window, Scope scope) {
      return scope == Scope.SERVICE ? service : system;
    }

    @Override
    public @Nullable List<Spender> topSpenders(Duration window, Ranking ranking) {
      return top;
    }
  }

  private static Monitoring.Builder builder(Extension extension) {
    return Monitoring.builder("bot")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .jvmMetrics(false)
        .discoverExtensions(false)
        .topSpendersLogInterval(Duration.ZERO)
        .extension(extension);
  }

  @Test
  void idsAndSpendsReachTheStoreWhenItCollects_andSharedFiguresWinUntilUnavailable() {
    FakeActivity store = new FakeActivity();
    AtomicReference<Runnable> collect = new AtomicReference<>();
    try (Monitoring m = builder(c -> collect.set(c.shareUserActivity(store))).build().start()) {
      m.trackKpi(Kpi.activeUser("alice"));
      m.trackKpi(Kpi.activeUser("bob"));
      m.trackKpi(Kpi.tokenSpend(700, "gpt-4", "input").forUser("alice"));
      collect
          .get()
          .run(); // whatever the rings still hold (a scrape or the page may drain them too)
      assertThat(store.users).containsExactly("alice", "bob");
      assertThat(store.spends).containsExactly("alice=700");

      Scrape local = Scrape.of(m.metricsAddress());
      assertThat(local.value("active_users_distinct", "window", "1h")).isEqualTo(2.0);
      assertThat(local.value("active_users_system_distinct", "window", "1h")).isEqualTo(2.0);

      store.service = 1234;
      store.system = 5678;
      store.top = List.of(new SharedUserActivity.Spender("carol", 9000));
      Scrape shared = Scrape.of(m.metricsAddress());
      assertThat(shared.value("active_users_distinct", "window", "1h")).isEqualTo(1234.0);
      assertThat(shared.value("active_users_system_distinct", "window", "24h")).isEqualTo(5678.0);
      assertThat(m.kpiJson())
          .contains("\"localDistinct\":{\"5m\":2,\"1h\":2,\"24h\":2}")
          .contains("\"source\":\"shared\"")
          .contains("{\"userId\":\"carol\",\"tokens\":9000}");

      store.service = SharedUserActivity.UNAVAILABLE;
      assertThat(Scrape.of(m.metricsAddress()).value("active_users_distinct", "window", "1h"))
          .isEqualTo(2.0);
    }
  }

  @Test
  void aStoreThatTakesHashes_getsEveryInteractionsUserHash_andZeroForSpends() {
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    SharedUserActivity hashing =
        new FakeActivity() {
          @Override
          public void acceptHashed(
              @Nullable String[] ids, long[] hashes, long[] tokens, long[] cost, int from, int to) {
            for (int i = from; i < to; i++) {
              got.add(ids[i] + ":" + tokens[i] + ":" + hashes[i]);
            }
          }
        };
    AtomicReference<Runnable> collect = new AtomicReference<>();
    try (Monitoring m = builder(c -> collect.set(c.shareUserActivity(hashing))).build()) {
      m.trackKpi(Kpi.activeUser("alice"));
      m.trackKpi(Kpi.tokenSpend(700, "gpt-4", "input").forUser("alice"));
      collect.get().run();
      assertThat(got)
          .containsExactly("alice:0:" + SharedUserActivity.userHash("alice"), "alice:700:0");
    }
    // the data format: FNV-1a 64 of the UTF-16 units, then MurmurHash3's fmix64
    assertThat(SharedUserActivity.userHash("")).isEqualTo(fmix64(0xcbf29ce484222325L));
    assertThat(SharedUserActivity.userHash("a"))
        .isEqualTo(fmix64((0xcbf29ce484222325L ^ 'a') * 0x100000001b3L));
  }

  private static long fmix64(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  @Test
  void aFullHandOffRingReachesTheStoreWithoutACollector() {
    FakeActivity store = new FakeActivity();
    try (Monitoring m = builder(c -> c.shareUserActivity(store)).build()) {
      for (int i = 0; i < 5000; i++) {
        m.trackKpi(Kpi.activeUser("user-" + i));
      }
      // Whoever finds the ring half full drains it: the store has all but the last part.
      assertThat(store.users.size()).isGreaterThan(4000);
      assertThat(store.users.get(0)).isEqualTo("user-0");
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

  @Test
  void aDuplicateClaimSuppressesTheChannel_theLogIsNeverAsked_andUnavailableSends() {
    Recording pager = new Recording();
    List<String> asked = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<AlertAgreement.Claim> answer =
        new AtomicReference<>(AlertAgreement.Claim.DUPLICATE);
    try (Monitoring m =
        builder(
                c ->
                    c.agreeOnAlerts(
                        (channel, n, hold) -> {
                          asked.add(channel + " " + n.key() + " " + hold);
                          return answer.get();
                        }))
            .alertChannel(pager)
            .build()
            .start()) {
      m.alerts().alertQueueFailure("image-generation", new IllegalStateException("x"), null);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Scrape.of(m.metricsAddress())
                          .matching(
                              "vigil_alerts_suppressed_total",
                              "channel",
                              "pager",
                              "reason",
                              "cluster_duplicate")
                          .size()
                      == 1);
      assertThat(pager.delivered).isEmpty();
      assertThat(asked)
          .containsExactly("pager queue_failure/error{queue_name=image-generation} PT5M");

      answer.set(AlertAgreement.Claim.UNAVAILABLE);
      m.alerts().alertQueueFailure("email", new IllegalStateException("y"), null);
      await().atMost(Duration.ofSeconds(10)).until(() -> pager.delivered.size() == 1);
    }
  }

  @Test
  void theOwnerSendsWithTheRepeatsTheOtherReplicasTallied_aDuplicateHandsItsOwnOver() {
    Recording pager = new Recording();
    Instant earlier = Instant.parse("2026-03-01T11:59:00Z");
    List<Long> handedOver = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<AlertAgreement.Claim> answer =
        new AtomicReference<>(AlertAgreement.Claim.OWNER);
    AlertAgreement tallying =
        new AlertAgreement() {
          @Override
          public Claim claim(String channel, Notification n, Duration hold) {
            throw new AssertionError("Vigil asks claimAndTally");
          }

          @Override
          public Claimed claimAndTally(String channel, Notification n, Duration hold) {
            if (answer.get() == Claim.DUPLICATE) {
              handedOver.add(n.occurrences());
              return new Claimed(Claim.DUPLICATE, 0, null);
            }
            return new Claimed(Claim.OWNER, 4, earlier);
          }
        };
    try (Monitoring m =
        builder(c -> c.agreeOnAlerts(tallying)).alertChannel(pager).build().start()) {
      m.alerts().alertQueueFailure("image-generation", new IllegalStateException("x"), null);
      await().atMost(Duration.ofSeconds(10)).until(() -> pager.delivered.size() == 1);
      Notification sent = pager.delivered.get(0);
      assertThat(sent.occurrences()).isEqualTo(5); // its own one and the others' four
      assertThat(sent.firstSeen()).isEqualTo(earlier);
      assertThat(sent.repeatSummary()).isEqualTo("Occurred 5 times since 2026-03-01 11:59:00 UTC");
      assertThat(sent.key()).isEqualTo("queue_failure/error{queue_name=image-generation}");

      answer.set(AlertAgreement.Claim.DUPLICATE);
      m.alerts().alertQueueFailure("email", new IllegalStateException("y"), null);
      await().atMost(Duration.ofSeconds(10)).until(() -> handedOver.size() == 1);
      assertThat(handedOver).containsExactly(1L);
      assertThat(pager.delivered).hasSize(1);
    }
  }

  @Test
  void sharedThresholdsDecideWhileAvailable_andTheLocalWindowOtherwise() {
    Recording pager = new Recording();
    Map<String, LongConsumer> totals = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicInteger increments = new AtomicInteger();
    try (Monitoring m =
        builder(
                c ->
                    c.shareAlertThresholds(
                        (name, window, listener) -> {
                          totals.put(name, listener);
                          return increments::incrementAndGet;
                        }))
            .alertChannel(pager)
            .alerting(a -> a.paymentFailureThreshold(2, Duration.ofMinutes(5)))
            .build()
            .start()) {
      assertThat(totals).containsOnlyKeys("payment_failures", "errors");
      LongConsumer payments = totals.get("payment_failures");

      payments.accept(0); // the store answers: the total over all replicas decides
      m.trackKpi(Kpi.paymentFailure("p1", "card", "declined"));
      m.trackKpi(Kpi.paymentFailure("p2", "card", "declined"));
      assertThat(increments.get()).isEqualTo(2);
      payments.accept(1); // below the threshold, though this replica alone saw 2
      payments.accept(3); // reached over all replicas: one alert
      payments.accept(3); // no new events: nothing more
      await().atMost(Duration.ofSeconds(10)).until(() -> pager.delivered.size() == 1);
      assertThat(pager.delivered.get(0).message())
          .isEqualTo("Payment failures reached 2 within 5m over all replicas (3)");

      payments.accept(SharedCounters.UNAVAILABLE); // store gone: the local window again
      m.trackKpi(Kpi.paymentFailure("p3", "card", "declined")); // p2, p3: 2 in 5 minutes here
      // the same alert key inside its cool-down: counted as a repeat, not sent again
      assertThat(
              Scrape.of(m.metricsAddress())
                  .value("vigil_alerts_suppressed_total", "channel", "pager", "reason", "cooldown"))
          .isEqualTo(1.0);
    }
  }
}
