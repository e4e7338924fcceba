package dev.vigil.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With the GenAI switch on, each token spend is also one observation of {@code
 * gen_ai.client.token.usage}, with the convention's attributes and bucket boundaries.
 */
class GenAiMetricsTest {
  private OtlpReceiver receiver;

  @AfterEach
  void stop() {
    receiver.close();
  }

  private Map<String, Metric> exportAtClose(Map<String, String> env, int tokenSpendCap)
      throws Exception {
    receiver = OtlpReceiver.http();
    Map<String, String> variables = new HashMap<>(env);
    variables.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
    variables.put("OTEL_METRIC_EXPORT_INTERVAL", "3600000");
    variables.put("ENABLE_METRICS", "false");
    variables.put("ENABLE_JVM_METRICS", "false");
    Monitoring monitoring =
        Monitoring.builder("bot")
            .readEnvironment(variables)
            .maxLabelSets("token_spend_total", tokenSpendCap)
            .build(); // vigil-otel is discovered from the class path
    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4o", "completion"));
    monitoring.trackKpi(Kpi.tokenSpend(5000, "gpt-4o", "output"));
    monitoring.trackKpi(Kpi.tokenSpend(300, "gpt-4o", "input"));
    monitoring.trackKpi(Kpi.tokenSpend(4, "claude-3-5-sonnet", "cached_input"));
    monitoring.close();
    assertThat(receiver.received()).hasSize(1);
    return OtlpReceiver.metrics(receiver.requests().get(0));
  }

  private static Map<Map<String, String>, HistogramDataPoint> points(Metric metric) {
    Map<Map<String, String>, HistogramDataPoint> points = new HashMap<>();
    for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
      points.put(OtlpReceiver.attributes(p.getAttributesList()), p);
    }
    return points;
  }

  private static Map<String, String> attributes(
      String model, String type, String provider, String operation) {
    return Map.of(
        "gen_ai.request.model", model,
        "gen_ai.token.type", type,
        "gen_ai.provider.name", provider,
        "gen_ai.operation.name", operation);
  }

  @Test
  void tokenUsage_perModelAndType_withTheConventionsBuckets_providerInferred() throws Exception {
    Map<String, Metric> metrics = exportAtClose(Map.of("VIGIL_OTEL_GENAI_METRICS", "true"), 1000);

    Metric usage = metrics.get("gen_ai.client.token.usage");
    assertThat(usage.getUnit()).isEqualTo("{token}");
    Map<Map<String, String>, HistogramDataPoint> points = points(usage);
    assertThat(points)
        .containsOnlyKeys(
            attributes("gpt-4o", "output", "openai", "chat"),
            attributes("gpt-4o", "input", "openai", "chat"),
            attributes("claude-3-5-sonnet", "input", "anthropic", "chat"));

    HistogramDataPoint output = points.get(attributes("gpt-4o", "output", "openai", "chat"));
    assertThat(output.getCount()).isEqualTo(2); // completion and output are one series
    assertThat(output.getSum()).isEqualTo(6500);
    assertThat(output.getBucketCountsList())
        .containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 1L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    HistogramDataPoint input = points.get(attributes("gpt-4o", "input", "openai", "chat"));
    assertThat(input.getExplicitBoundsList())
        .containsExactly(
            1.0,
            4.0,
            16.0,
            64.0,
            256.0,
            1024.0,
            4096.0,
            16384.0,
            65536.0,
            262144.0,
            1048576.0,
            4194304.0,
            16777216.0,
            67108864.0);
    assertThat(input.getCount()).isEqualTo(1);
    assertThat(input.getSum()).isEqualTo(300);
    assertThat(input.getBucketCountsList()) // 300 tokens: (256, 1024]
        .containsExactly(0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    HistogramDataPoint cached =
        points.get(attributes("claude-3-5-sonnet", "input", "anthropic", "chat"));
    assertThat(cached.getBucketCountsList().get(1)).isEqualTo(1L); // 4 tokens: (1, 4]
  }

  @Test
  void aProviderUsageObjectIsOneRequest_itsWholeInputAndWholeOutputObservedOnce() throws Exception {
    receiver = OtlpReceiver.http();
    Monitoring monitoring =
        Monitoring.builder("bot")
            .readEnvironment(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                    "OTEL_METRIC_EXPORT_INTERVAL", "3600000",
                    "ENABLE_METRICS", "false",
                    "ENABLE_JVM_METRICS", "false",
                    "VIGIL_OTEL_GENAI_METRICS", "true"))
            .build();
    monitoring.trackKpi(
        Kpi.anthropicUsage("claude-sonnet-4-20250514")
            .inputTokens(9)
            .cacheCreationInputTokens(1200)
            .cacheReadInputTokens(17102)
            .outputTokens(350));
    monitoring.close();
    Map<Map<String, String>, HistogramDataPoint> points =
        points(OtlpReceiver.metrics(receiver.requests().get(0)).get("gen_ai.client.token.usage"));
    HistogramDataPoint input =
        points.get(attributes("claude-sonnet-4-20250514", "input", "anthropic", "chat"));
    assertThat(input.getCount()).isEqualTo(1);
    assertThat(input.getSum()).isEqualTo(18_311); // input_tokens + cache writes + cache reads
    HistogramDataPoint output =
        points.get(attributes("claude-sonnet-4-20250514", "output", "anthropic", "chat"));
    assertThat(output.getCount()).isEqualTo(1);
    assertThat(output.getSum()).isEqualTo(350);
  }

  @Test
  void providerAndOperationFromConfiguration_andObservationsOnlyFromTheCappedSeries()
      throws Exception {
    Map<String, Metric> metrics =
        exportAtClose(
            Map.of(
                "VIGIL_OTEL_GENAI_METRICS", "true",
                "VIGIL_OTEL_GENAI_PROVIDER", "azure.ai.openai",
                "VIGIL_OTEL_GENAI_OPERATION", "text_completion"),
            2);

    Map<Map<String, String>, HistogramDataPoint> points =
        points(metrics.get("gen_ai.client.token.usage"));
    List<String> models =
        points.keySet().stream().map(a -> a.get("gen_ai.request.model")).sorted().toList();
    assertThat(models).containsExactly("__overflow__", "gpt-4o");
    assertThat(points.keySet())
        .allSatisfy(
            a ->
                assertThat(a)
                    .containsEntry("gen_ai.provider.name", "azure.ai.openai")
                    .containsEntry("gen_ai.operation.name", "text_completion"));
    HistogramDataPoint overflow =
        points.get(
            attributes("__overflow__", "__overflow__", "azure.ai.openai", "text_completion"));
    assertThat(overflow.getCount()).isEqualTo(2); // 300 input and the 4 cached tokens
    assertThat(overflow.getSum()).isEqualTo(304);
  }

  @Test
  void off_byDefault() throws Exception {
    assertThat(exportAtClose(Map.of(), 1000)).doesNotContainKey("gen_ai.client.token.usage");
  }
}
