package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import org.junit.jupiter.api.Test;

/** Consistent labels: "image", not "img", configured once per label name. */
class LabelRuleTest {

  @Test
  void configuredRuleFoldsCaseWhitespaceAndAliasesIntoOneSeries() {
    try (LogCapture logs = LogCapture.of("dev.vigil");
        Monitoring monitoring =
            Monitoring.builder("worker")
                .metricsHost("127.0.0.1")
                .metricsPort(0)
                .jvmMetrics(false)
                .labelRule(
                    "type",
                    LabelRule.builder()
                        .lowerCase()
                        .collapseWhitespace()
                        .alias("img", "image")
                        .alias("Text  Chat", "text")
                        .build())
                // exact model matching: GPT-4 is priced as gpt-4 only through an explicit alias
                .pricing(Pricing.defaults().toBuilder().alias("GPT-4", "gpt-4").build())
                .build()
                .start()) {
      monitoring.trackKpi(Kpi.generationSuccess("image"));
      monitoring.trackKpi(Kpi.generationSuccess("IMAGE"));
      monitoring.trackKpi(Kpi.generationSuccess(" Image "));
      monitoring.trackKpi(Kpi.generationSuccess("img"));
      monitoring.trackKpi(Kpi.generationSuccess("IMG"));
      monitoring.trackKpi(Kpi.generationSuccess("text   chat"));
      monitoring.trackKpi(Kpi.tokenSpend(10, "GPT-4", "Input"));

      Scrape scrape = Scrape.of(monitoring.metricsAddress());
      assertThat(scrape.samples("generation_success_total")).hasSize(2);
      assertThat(scrape.value("generation_success_total", "type", "image")).isEqualTo(5.0);
      assertThat(scrape.value("generation_success_total", "type", "text")).isEqualTo(1.0);
      // the rule is for "type" only: model keeps its case; type is normalised in token_spend too
      assertThat(scrape.value("token_spend_total", "model", "GPT-4", "type", "input"))
          .isEqualTo(10.0);
      assertThat(logs.warnings()).isEmpty();
      assertThat(scrape.samples("vigil_invalid_inputs_total")).isEmpty();
    }
  }

  @Test
  void withoutRulesOnlySurroundingWhitespaceIsRemoved() {
    try (Monitoring monitoring =
        Monitoring.builder("worker")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .build()
            .start()) {
      monitoring.trackKpi(Kpi.generationSuccess(" Image "));
      monitoring.trackKpi(Kpi.generationSuccess("image"));
      Scrape scrape = Scrape.of(monitoring.metricsAddress());
      assertThat(scrape.value("generation_success_total", "type", "Image")).isEqualTo(1.0);
      assertThat(scrape.value("generation_success_total", "type", "image")).isEqualTo(1.0);
    }
  }

  @Test
  void aliasMustMapNonBlankToNonBlank() {
    assertThatThrownBy(() -> LabelRule.builder().alias("img", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "LabelRule alias must map a non-blank value to a non-blank value, got 'img' -> ' '");
  }

  @Test
  void ruleAppliesAliasAfterCaseAndWhitespace() {
    LabelRule rule =
        LabelRule.builder().lowerCase().collapseWhitespace().alias("Img  X", "image").build();
    assertThat(rule.apply("IMG X")).isEqualTo("image");
    assertThat(rule.apply("img\t\tx")).isEqualTo("image");
    assertThat(rule.apply("Video")).isEqualTo("video");
  }
}
