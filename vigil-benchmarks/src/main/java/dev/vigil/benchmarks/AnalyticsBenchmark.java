package dev.vigil.benchmarks;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost per call of the business analytics, each beside the same call without it:
 *
 * <ul>
 *   <li>{@code activeUser} with distinct users on (three windows, the default) against the same
 *       call with {@code activeUserWindows()} off, which only counts {@code active_users_total};
 *       user ids cycle through a million, so the sketches are in their full (HLL) mode;
 *   <li>{@code tokenSpend} priced, with and without a user id (the user id feeds the top spenders),
 *       against an unpriced model (counter plus unpriced counter);
 *   <li>a provider usage object, priced: OpenAI's with cached tokens (three token kinds),
 *       Anthropic's with cache reads and writes (four), and a Gemini one above its 200k-token tier;
 *       the target is at most 1.5 times the priced {@code tokenSpend} above, for a whole model
 *       call;
 *   <li>{@code paymentConversion} with an amount against one without;
 *   <li>the read side: building {@code /kpi} with a million users in the sketches (what a scrape of
 *       {@code active_users_distinct} costs, plus the rest of the document).
 * </ul>
 *
 * <p>The sketch updates are batched: a caller that finds the hand-off ring half full drains it, so
 * the average includes that work, and {@code -prof gc} shows what the batches allocate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AnalyticsBenchmark {
  static final int USERS = 1 << 20;
  static final String[] USER_IDS = new String[USERS];
  static final BigDecimal PRICE = new BigDecimal("19.99");

  static {
    for (int i = 0; i < USERS; i++) {
      USER_IDS[i] = "user-" + i;
    }
  }

  Monitoring analytics;
  Monitoring countersOnly;
  Monitoring loaded;

  @Setup
  public void setUp() {
    analytics = monitoring().build();
    countersOnly = monitoring().activeUserWindows().build();
    loaded = monitoring().build();
    for (String id : USER_IDS) {
      loaded.trackKpi(Kpi.activeUser(id));
      loaded.trackKpi(Kpi.tokenSpend(100, "gpt-4", "input").forUser(id));
    }
  }

  private static Monitoring.Builder monitoring() {
    return Monitoring.builder("bench")
        .metricsEnabled(false)
        .jvmMetrics(false)
        .topSpendersLogInterval(Duration.ZERO);
  }

  @TearDown
  public void tearDown() {
    analytics.close();
    countersOnly.close();
    loaded.close();
  }

  /** Per-thread position in the user ids. */
  @State(Scope.Thread)
  public static class Cursor {
    int i;

    @Setup(Level.Trial)
    public void start() {
      i = (int) (Thread.currentThread().getId() * 7919) & (USERS - 1);
    }

    String next() {
      int n = i;
      i = (n + 1) & (USERS - 1);
      return USER_IDS[n];
    }
  }

  @Benchmark
  public void activeUserDistinct(Cursor cursor) {
    analytics.trackKpi(Kpi.activeUser(cursor.next()));
  }

  @Benchmark
  public void activeUserCounterOnly(Cursor cursor) {
    countersOnly.trackKpi(Kpi.activeUser(cursor.next()));
  }

  @Benchmark
  public void tokenSpendPricedForUser(Cursor cursor) {
    analytics.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "input").forUser(cursor.next()));
  }

  @Benchmark
  public void tokenSpendPriced() {
    analytics.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "input"));
  }

  @Benchmark
  public void openAiChatUsagePriced() {
    analytics.trackKpi(
        Kpi.openAiChatUsage("gpt-4o")
            .promptTokens(2006)
            .cachedTokens(1920)
            .completionTokens(300)
            .reasoningTokens(0));
  }

  @Benchmark
  public void anthropicUsagePriced() {
    analytics.trackKpi(
        Kpi.anthropicUsage("claude-sonnet-4-20250514")
            .inputTokens(9)
            .cacheCreationInputTokens(1200)
            .cacheReadInputTokens(17102)
            .outputTokens(350));
  }

  @Benchmark
  public void geminiUsageAboveItsTier() {
    analytics.trackKpi(
        Kpi.geminiUsage("gemini-2.5-pro")
            .promptTokenCount(262_960)
            .cachedContentTokenCount(257_955)
            .candidatesTokenCount(1_744)
            .thoughtsTokenCount(512));
  }

  @Benchmark
  public void tokenSpendUnpriced() {
    analytics.trackKpi(Kpi.tokenSpend(1500, "house-model", "input"));
  }

  @Benchmark
  public void paymentConversionWithRevenue() {
    analytics.trackKpi(Kpi.paymentConversion("card", "premium", PRICE, "USD"));
  }

  @Benchmark
  public void paymentConversionWithoutAmount() {
    analytics.trackKpi(Kpi.paymentConversion("card", "premium"));
  }

  @Benchmark
  @Measurement(iterations = 3, time = 2)
  public String kpiJsonWithAMillionUsers() {
    return loaded.kpiJson();
  }
}
