package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Kpi;
import dev.vigil.LabelRule;
import dev.vigil.Monitoring;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A {@link KpiObserver} sees each counted token spend with the label values stored in its series:
 * normalised, truncated, folded past the cap; never dropped input, never the raw strings.
 */
class KpiObserverTest {

  private static final class Recorder implements KpiObserver {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void tokenSpend(long tokens, String model, String type) {
      seen.add(tokens + " " + model + " " + type);
    }
  }

  private static Monitoring monitoring(KpiObserver observer, Monitoring.Builder builder) {
    return builder
        .metricsEnabled(false)
        .jvmMetrics(false)
        .discoverExtensions(false)
        .extension(context -> context.addKpiObserver(observer))
        .build();
  }

  @Test
  void seesTheSeriesLabelValues_afterRulesTruncationAndTheCap() {
    Recorder recorder = new Recorder();
    try (Monitoring m =
        monitoring(
            recorder,
            Monitoring.builder("bot")
                .labelRule("model", LabelRule.builder().lowerCase().alias("gpt4", "gpt-4").build())
                .maxLabelSets("token_spend_total", 2))) {
      m.trackKpi(Kpi.tokenSpend(1500, "  GPT4 ", "completion"));
      m.trackKpi(Kpi.tokenSpend(10, "c".repeat(200), null)); // truncated to 128
      m.trackKpi(Kpi.tokenSpend(20, "gemini-2.0-flash", "input")); // a third label set: folded
      m.trackKpi(Kpi.tokenSpend(-5, "gpt-4", "input")); // dropped as bad input: not observed

      assertThat(recorder.seen)
          .containsExactly(
              "1500 gpt-4 completion",
              "10 " + "c".repeat(128) + " unknown",
              "20 __overflow__ __overflow__");
    }
  }

  @Test
  void anObserverThatThrows_neverReachesTheCaller_andTheSpendIsStillCounted() {
    KpiObserver failing =
        new KpiObserver() {
          @Override
          public void tokenSpend(long tokens, String model, String type) {
            throw new IllegalStateException("observer bug");
          }
        };
    try (Monitoring m = monitoring(failing, Monitoring.builder("bot"))) {
      m.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
      assertThat(
              m.registry().scrape().stream()
                  .filter(s -> s.getMetadata().getPrometheusName().equals("token_spend"))
                  .findFirst()
                  .orElseThrow()
                  .getDataPoints())
          .hasSize(1);
    }
  }
}
