package dev.vigil.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the analytics, case by case. */
class AnalyticsMathTest {
  private static final double[] BOUNDS = {0.1, 0.5, 1, 2, 5};

  @Test
  void histogramQuantileInterpolatesInsideTheBucketLikePrometheus() {
    // 10 observations: 4 up to 0.5, 8 up to 1, 10 up to 2 → rank 9.5 in (1, 2]: 1 + 1 * 1.5/2
    assertThat(KpiReport.histogramQuantile(0.95, BOUNDS, new long[] {0, 4, 8, 10, 10, 10}))
        .isEqualTo(1.75);
  }

  @Test
  void histogramQuantileInTheFirstBucketStartsFromZero() {
    assertThat(KpiReport.histogramQuantile(0.5, BOUNDS, new long[] {4, 4, 4, 4, 4, 4}))
        .isEqualTo(0.05);
  }

  @Test
  void histogramQuantileInTheInfBucketIsTheHighestFiniteBound() {
    assertThat(KpiReport.histogramQuantile(0.95, BOUNDS, new long[] {0, 0, 0, 0, 1, 10}))
        .isEqualTo(5.0);
  }

  @Test
  void histogramQuantileOfNothingIsNaN() {
    assertThat(KpiReport.histogramQuantile(0.95, BOUNDS, new long[6])).isNaN();
    assertThat(KpiReport.histogramQuantile(-1, BOUNDS, new long[] {1, 1, 1, 1, 1, 1}))
        .isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(KpiReport.histogramQuantile(2, BOUNDS, new long[] {1, 1, 1, 1, 1, 1}))
        .isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void costIsRoundedHalfUpToTheNanoDollar() {
    // $0.03 per 1K = 30,000,000 nano-dollars per 1K tokens
    assertThat(AiCost.costNanos(1500, 30_000_000)).isEqualTo(45_000_000);
    // $0.00002 per 1K (embeddings) = 20 nano-dollars per token
    assertThat(AiCost.costNanos(25, 20_000)).isEqualTo(500);
    // fractions of a nano-dollar: 3 * 20.5 = 61.5 → 62; 0.499 → 0
    assertThat(AiCost.costNanos(3, 20_500)).isEqualTo(62);
    assertThat(AiCost.costNanos(1, 499)).isZero();
  }

  @Test
  void costThatOverflowsIsReportedNotWrapped() {
    assertThat(AiCost.costNanos(Long.MAX_VALUE / 2, 1_000_000_000_000L)).isEqualTo(-1);
  }

  @Test
  void jsonNumbersReadBackAsTheSameDouble() {
    assertThat(JsonWriter.number(3.0)).isEqualTo("3");
    assertThat(JsonWriter.number(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(JsonWriter.number(1e-5)).isEqualTo("1.0E-5");
    assertThat(JsonWriter.number(Double.NaN)).isEqualTo("null");
    assertThat(JsonWriter.plain(new BigDecimal("59.9700"))).isEqualTo("59.97");
    assertThat(JsonWriter.plain(new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(JsonWriter.plain(new BigDecimal("0.000"))).isEqualTo("0");
  }

  @Test
  void jsonWriterNestsAndSeparates() {
    String json =
        new JsonWriter()
            .beginObject()
            .name("a")
            .beginArray()
            .value(1)
            .value("x\"y")
            .beginObject()
            .endObject()
            .endArray()
            .name("b")
            .nullValue()
            .endObject()
            .toString();
    assertThat(json).isEqualTo("{\"a\":[1,\"x\\\"y\",{}],\"b\":null}");
  }

  @Test
  void windowLabelsUseTheLargestWholeUnit() {
    assertThat(UserActivity.label(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(UserActivity.label(Duration.ofHours(24))).isEqualTo("24h");
    assertThat(UserActivity.label(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(UserActivity.label(Duration.ofDays(7))).isEqualTo("168h");
  }

  @Test
  void durationsParseInTheUsualShortForms() {
    assertThat(Values.duration("X", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Values.duration("X", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Values.duration("X", "1D")).isEqualTo(Duration.ofDays(1));
    assertThat(Values.duration("X", "PT1H")).isEqualTo(Duration.ofHours(1));
    assertThat(Values.duration("X", "0")).isEqualTo(Duration.ZERO);
  }
}
