package dev.vigil.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * In Spring Boot, vigil-otel is configured from properties: OpenTelemetry's own {@code otel.*}
 * names (as the OpenTelemetry SDK maps them to {@code OTEL_*}) and Vigil's {@code vigil.otel.*};
 * the starter's Monitoring bean exports over OTLP and flushes when the context closes.
 */
class SpringBootOtlpTest {
  private OtlpReceiver receiver;

  @SpringBootApplication
  static class App {}

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void configuredFromProperties_exportsTheBeansMetrics_andFlushesOnContextClose() throws Exception {
    receiver = OtlpReceiver.http();
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.application.name=shop",
                "vigil.metrics.enabled=false",
                "vigil.metrics.jvm=false",
                "otel.exporter.otlp.endpoint=" + receiver.endpoint(),
                "otel.exporter.otlp.headers=api-key=spring-key",
                "otel.metric.export.interval=3600000",
                "otel.resource.attributes=service.namespace=retail",
                "vigil.otel.genai-metrics=true",
                "vigil.otel.genai-provider=openai")
            .run();
    Monitoring monitoring = context.getBean(Monitoring.class);
    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));

    context.close();

    assertThat(receiver.received()).hasSize(1);
    OtlpReceiver.Received received = receiver.received().get(0);
    assertThat(received.headers()).containsEntry("api-key", "spring-key");
    assertThat(
            OtlpReceiver.attributes(
                received.request().getResourceMetrics(0).getResource().getAttributesList()))
        .containsEntry("service.name", "shop")
        .containsEntry("service.namespace", "retail");
    Map<String, Metric> metrics = OtlpReceiver.metrics(received.request());
    assertThat(OtlpExportTest.points(metrics.get("token_spend_total").getSum().getDataPointsList()))
        .isEqualTo(
            Map.of(Map.of("service", "shop", "model", "gpt-4", "type", "completion"), 1500.0));
    assertThat(metrics.get("gen_ai.client.token.usage").getHistogram().getDataPoints(0).getSum())
        .isEqualTo(1500);
  }
}
