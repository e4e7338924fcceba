package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The selector scanner the metric-name checks rely on. */
class PromQlTest {

  @Test
  void findsSelectorsWithTheirMatchers_skippingFunctionsGroupingAndRanges() {
    String expr =
        "histogram_quantile(0.95, sum by (service, le) (rate("
            + "queue_job_duration_seconds_bucket{service=~\"$service\"}[$__rate_interval])))"
            + " / ignoring (le) group_left sum without (type) (up) > bool 1e3";
    assertThat(PromQl.selectors(expr))
        .extracting(Object::toString)
        .containsExactly("queue_job_duration_seconds_bucket{service=~\"$service\"}", "up");
  }

  @Test
  void findsRecordingRuleNamesAndSkipsKeywordsStringsAndOffsets() {
    String expr =
        "service:payment_conversion:ratio_rate30m < 0.8 * x:y:z offset 5m"
            + " and on (service) label_replace(up{job=~\"vigil-(.+)\"}, \"service\", \"$1\", \"job\","
            + " \"vigil-(.+)\") or vector(0) unless errors_total{severity=\"critical\"} offset 1h";
    assertThat(PromQl.metricNames(expr))
        .containsExactly("service:payment_conversion:ratio_rate30m", "x:y:z", "up", "errors_total");
    assertThat(PromQl.selectors(expr))
        .extracting(Object::toString)
        .containsExactly(
            "service:payment_conversion:ratio_rate30m",
            "x:y:z offset 5m",
            "up{job=~\"vigil-(.+)\"}",
            "errors_total{severity=\"critical\"} offset 1h");
    assertThat(PromQl.selectors("sum(increase(ai_cost_usd_total[1d] offset 1w))"))
        .extracting(Object::toString)
        .containsExactly("ai_cost_usd_total offset 1w");
  }
}
