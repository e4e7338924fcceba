package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testkit.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cost per user without labels: the top spenders per window, from frequent-items sketches. */
class TopSpendersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final FakeTicker ticker = new FakeTicker();
  private final List<Monitoring> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(Monitoring::close);
  }

  private Monitoring monitoring(Monitoring.Builder builder) {
    Monitoring m = builder.metricsEnabled(false).jvmMetrics(false).ticker(ticker).build().start();
    opened.add(m);
    return m;
  }

  private Monitoring bot() {
    return monitoring(Monitoring.builder("bot").topSpendersLogInterval(Duration.ZERO));
  }

  private static JsonNode window(Monitoring m, String window) throws Exception {
    return JSON.readTree(m.kpiJson()).at("/topSpenders/" + window);
  }

  private static List<String> rows(JsonNode list, String amountField) {
    List<String> rows = new ArrayList<>();
    list.forEach(row -> rows.add(row.get("userId").asText() + "=" + row.get(amountField).asText()));
    return rows;
  }

  @Test
  void topSpendersByCostAndByTokensPerWindow() throws Exception {
    Monitoring m = bot();
    m.trackKpi(Kpi.tokenSpend(2000, "gpt-4", "input").forUser("alice")); // $0.06
    m.trackKpi(Kpi.tokenSpend(1000, "gpt-4", "input").forUser("alice")); // $0.03
    m.trackKpi(Kpi.tokenSpend(1000, "gpt-4", "output").forUser("bob")); // $0.06
    m.trackKpi(Kpi.tokenSpend(5000, "house-llm", "output").forUser("carol")); // unpriced
    m.trackKpi(Kpi.tokenSpend(700, "gpt-4", "input")); // nobody's

    for (String w : List.of("5m", "1h", "24h")) {
      JsonNode top = window(m, w);
      assertThat(rows(top.get("byCostUsd"), "costUsd")).containsExactly("alice=0.09", "bob=0.06");
      assertThat(rows(top.get("byTokens"), "tokens"))
          .containsExactly("carol=5000", "alice=3000", "bob=1000");
      assertThat(top.get("maxErrorCostUsd").asText()).isEqualTo("0");
      assertThat(top.get("maxErrorTokens").asLong()).isZero();
    }
  }

  @Test
  void spendAgesOutOfEachWindow() throws Exception {
    Monitoring m = bot();
    m.trackKpi(Kpi.tokenSpend(1000, "gpt-4", "input").forUser("alice"));
    ticker.advance(Duration.ofMinutes(10));
    m.trackKpi(Kpi.tokenSpend(1000, "gpt-4", "input").forUser("bob"));
    assertThat(rows(window(m, "5m").get("byTokens"), "tokens")).containsExactly("bob=1000");
    assertThat(rows(window(m, "1h").get("byTokens"), "tokens"))
        .containsExactly("alice=1000", "bob=1000");
  }

  @Test
  void listsShowTheConfiguredNumberOfUsers() throws Exception {
    Monitoring m = monitoring(Monitoring.builder("bot").topSpenders(2));
    for (int u = 1; u <= 5; u++) {
      m.trackKpi(Kpi.tokenSpend(100L * u, "gpt-4", "input").forUser("user-" + u));
    }
    assertThat(rows(window(m, "5m").get("byTokens"), "tokens"))
        .containsExactly("user-5=500", "user-4=400");
    assertThat(rows(window(m, "5m").get("byCostUsd"), "costUsd"))
        .containsExactly("user-5=0.015", "user-4=0.012");
    assertThatThrownBy(() -> Monitoring.builder("bot").topSpenders(0))
        .hasMessage("topSpenders must be between 1 and 100, got 0");
    Monitoring env =
        monitoring(Monitoring.builder("bot").readEnvironment(Map.of("VIGIL_TOP_SPENDERS", "1")));
    env.trackKpi(Kpi.tokenSpend(1, "gpt-4", "input").forUser("a"));
    env.trackKpi(Kpi.tokenSpend(2, "gpt-4", "input").forUser("b"));
    assertThat(rows(window(env, "5m").get("byTokens"), "tokens")).containsExactly("b=2");
  }

  @Test
  void memoryIsBoundedWhateverTheNumberOfUsersAndWhalesStillSurface() throws Exception {
    Monitoring m = bot();
    for (int i = 0; i < 50_000; i++) {
      m.trackKpi(Kpi.tokenSpend(10, "gpt-4", "input").forUser("user-" + i));
      if (i % 1000 == 0) {
        m.trackKpi(Kpi.tokenSpend(20_000, "gpt-4", "output").forUser("whale"));
      }
    }
    JsonNode top = window(m, "5m");
    assertThat(top.get("byTokens")).hasSize(10);
    assertThat(top.get("byTokens").get(0).get("userId").asText()).isEqualTo("whale");
    assertThat(top.get("byCostUsd").get(0).get("userId").asText()).isEqualTo("whale");
    // 50 spends of 20,000 tokens: the estimate over-counts by at most the reported error
    long whale = top.get("byTokens").get(0).get("tokens").asLong();
    long maxError = top.get("maxErrorTokens").asLong();
    assertThat(maxError).isPositive();
    assertThat(whale).isBetween(1_000_000L, 1_000_000L + maxError);
  }

  @Test
  void userIdsCannotForgeLogLinesOrGrowWithoutBound() throws Exception {
    Monitoring m = bot();
    String longId = "x".repeat(500);
    m.trackKpi(Kpi.tokenSpend(5, "gpt-4", "input").forUser("evil\nINFO forged"));
    m.trackKpi(Kpi.tokenSpend(3, "gpt-4", "input").forUser(longId));
    assertThat(rows(window(m, "5m").get("byTokens"), "tokens"))
        .containsExactly("evil?INFO forged=5", "x".repeat(128) + "=3");
  }

  @Test
  void topSpendersAreLoggedPeriodically() {
    try (LogCapture logs = LogCapture.of("dev.vigil.analytics")) {
      Monitoring m =
          monitoring(Monitoring.builder("bot").topSpendersLogInterval(Duration.ofSeconds(1)));
      m.trackKpi(Kpi.tokenSpend(2000, "gpt-4", "input").forUser("alice"));
      m.trackKpi(Kpi.tokenSpend(500, "gpt-4", "output").forUser("bob"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> logs.messages(ch.qos.logback.classic.Level.INFO).size() >= 3);
      assertThat(logs.messages(ch.qos.logback.classic.Level.INFO).subList(0, 3))
          .containsExactly(
              "Top spenders of service 'bot' in the last 5m: by cost USD [alice=0.06, bob=0.03];"
                  + " by tokens [alice=2000, bob=500] (max error 0 USD, 0 tokens)",
              "Top spenders of service 'bot' in the last 1h: by cost USD [alice=0.06, bob=0.03];"
                  + " by tokens [alice=2000, bob=500] (max error 0 USD, 0 tokens)",
              "Top spenders of service 'bot' in the last 24h: by cost USD [alice=0.06,"
                  + " bob=0.03]; by tokens [alice=2000, bob=500] (max error 0 USD, 0 tokens)");
    }
    assertThatThrownBy(
            () -> Monitoring.builder("bot").topSpendersLogInterval(Duration.ofMillis(10)))
        .hasMessage("topSpendersLogInterval must be zero (off) or at least 1 second, got 10ms");
  }

  @Test
  void concurrentSpendLosesNoTokens() throws Exception {
    Monitoring m = bot();
    int threads = 4;
    int perThread = 20_000;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < perThread; i++) {
                    m.trackKpi(Kpi.tokenSpend(10, "gpt-4", "input").forUser("user-" + (i % 8)));
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    // 8 users, each 10,000 spends of 10 tokens ($0.0003 each): exact below the sketch capacity
    JsonNode top = window(m, "5m");
    assertThat(rows(top.get("byTokens"), "tokens"))
        .containsExactly(
            "user-0=100000",
            "user-1=100000",
            "user-2=100000",
            "user-3=100000",
            "user-4=100000",
            "user-5=100000",
            "user-6=100000",
            "user-7=100000");
    assertThat(rows(top.get("byCostUsd"), "costUsd")).allMatch(row -> row.endsWith("=3"));
  }
}
