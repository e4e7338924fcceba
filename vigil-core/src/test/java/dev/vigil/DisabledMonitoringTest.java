package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.internal.Internals;
import dev.vigil.testkit.LogCapture;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Monitoring#disabled}: every KPI call returns without counting, checking or warning. */
class DisabledMonitoringTest {

  @Test
  void everyKpiCallIsDroppedWithoutAWord() {
    Monitoring m = Monitoring.disabled("bot");
    try (LogCapture logs = LogCapture.of("dev.vigil")) {
      m.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "input"));
      m.trackKpi(Kpi.tokenSpend(-1, "gpt-4", "input"));
      m.trackKpi(Kpi.activeUser("alice"));
      m.trackKpi(Kpi.activeUser(" "));
      m.trackKpi(Kpi.generationSuccess("image"));
      m.trackKpi(Kpi.generationFailure("image", "Timeout"));
      m.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("19.99"), "USD"));
      m.trackKpi(Kpi.paymentFailure("p-1", "card", "declined"));
      m.trackKpi(Kpi.openAiChatUsage("gpt-4o").promptTokens(2006).completionTokens(300));
      m.trackKpi(Kpi.anthropicUsage("claude-sonnet-4").inputTokens(-5));
      m.trackKpi((Kpi) Kpi.tokenSpend(7, "gpt-4", "output"));
      m.trackKpi((Kpi.TokenSpend) null);
      m.trackKpi((Kpi) null);
      m.trackKpi("token_spend", Map.of("tokens", 1500, "model", "gpt-4", "type", "completion"));

      assertThat(logs.events()).isEmpty();
    }
    for (MetricSnapshot family : Internals.of(m).core().registry().scrape()) {
      String name = family.getMetadata().getName();
      if (name.equals("vigil_label_sets")) {
        // the stored label sets of each family, which stay at none
        for (DataPointSnapshot point : family.getDataPoints()) {
          assertThat(((GaugeDataPointSnapshot) point).getValue())
              .as(point.getLabels().toString())
              .isZero();
        }
      } else {
        assertThat(family.getDataPoints()).as(name).isEmpty();
      }
    }
    m.close();
  }
}
