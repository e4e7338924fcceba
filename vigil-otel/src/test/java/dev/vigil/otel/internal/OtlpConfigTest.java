package dev.vigil.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.otel.OtlpExporter.Protocol;
import dev.vigil.otel.OtlpExporter.Temporality;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The standard OTEL_* variables, read as the OTLP exporter specification says. */
class OtlpConfigTest {

  private static OtlpConfig resolve(Map<String, String> env) {
    OtlpConfig.Builder b = new OtlpConfig.Builder();
    b.readEnvironment(env);
    return b.resolve("bot", "production");
  }

  @Test
  void defaults_httpProtobufToLocalhost4318_everyMinute_cumulative() {
    OtlpConfig c = resolve(Map.of());
    assertThat(c.enabled()).isTrue();
    assertThat(c.protocol()).isEqualTo(Protocol.HTTP_PROTOBUF);
    assertThat(c.endpoint()).isEqualTo(URI.create("http://localhost:4318/v1/metrics"));
    assertThat(c.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.exportTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.temporality()).isEqualTo(Temporality.CUMULATIVE);
    assertThat(c.gzip()).isFalse();
    assertThat(c.genAiMetrics()).isFalse();
  }

  @Test
  void theGenericEndpointGetsV1MetricsAppendedToItsPath_forHttp() {
    assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")).endpoint())
        .isEqualTo(URI.create("http://c:4318/v1/metrics"));
    assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://c/")).endpoint())
        .isEqualTo(URI.create("https://c/v1/metrics"));
    assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://c/otlp")).endpoint())
        .isEqualTo(URI.create("https://c/otlp/v1/metrics"));
  }

  @Test
  void theMetricsEndpointIsUsedAsItIs_andWinsOverTheGenericOne() {
    OtlpConfig c =
        resolve(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://generic:4318",
                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "https://vendor.example/api/metrics"));
    assertThat(c.endpoint()).isEqualTo(URI.create("https://vendor.example/api/metrics"));
    assertThat(c.endpointSetting()).isEqualTo("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
  }

  @Test
  void grpc_usesTheEndpointAsItIs_andDefaultsToPort4317() {
    assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")).endpoint())
        .isEqualTo(URI.create("http://localhost:4317"));
    OtlpConfig c =
        resolve(
            Map.of(
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "grpc",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"));
    assertThat(c.protocol()).isEqualTo(Protocol.GRPC);
    assertThat(c.endpoint()).isEqualTo(URI.create("http://c:4317"));
  }

  @Test
  void httpJson_isRefusedNamingTheVariableAndTheAlternatives() {
    assertThatThrownBy(() -> resolve(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "OTEL_EXPORTER_OTLP_PROTOCOL=http/json is not supported by the OpenTelemetry Java"
                + " exporter Vigil uses; set http/protobuf (port 4318) or grpc (port 4317)");
    assertThatThrownBy(() -> resolve(Map.of("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "udp")))
        .hasMessage("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL must be http/protobuf or grpc, got 'udp'");
  }

  @Test
  void headers_arePercentDecoded_keepPlusAndEquals_andTheMetricsListReplacesTheGenericOne() {
    OtlpConfig c =
        resolve(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=ab+c/d==, x-team = shop%20one"));
    assertThat(c.headers()).isEqualTo(Map.of("api-key", "ab+c/d==", "x-team", "shop one"));
    OtlpConfig metrics =
        resolve(
            Map.of(
                "OTEL_EXPORTER_OTLP_HEADERS", "api-key=generic",
                "OTEL_EXPORTER_OTLP_METRICS_HEADERS", "authorization=Bearer%20t"));
    assertThat(metrics.headers()).isEqualTo(Map.of("authorization", "Bearer t"));
  }

  @Test
  void malformedHeaders_failNamingTheVariable_neverShowingAValue() {
    assertThatThrownBy(
            () -> resolve(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cret,justAValue")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "OTEL_EXPORTER_OTLP_HEADERS must be a comma-separated list of key=value pairs, such as"
                + " api-key=...; entry 2 is not (values are not shown: they may be secrets)")
        .message()
        .doesNotContain("s3cret")
        .doesNotContain("justAValue");
    assertThatThrownBy(() -> resolve(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cret%zz")))
        .hasMessage(
            "OTEL_EXPORTER_OTLP_HEADERS: entry 1 has a '%' not followed by two hex digits (values"
                + " are not shown: they may be secrets)");
  }

  @Test
  void durations_areMillisecondsAsTheSpecificationSays_orWithAUnit() {
    OtlpConfig c =
        resolve(
            Map.of(
                "OTEL_METRIC_EXPORT_INTERVAL", "15000",
                "OTEL_METRIC_EXPORT_TIMEOUT", "20s",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "5000",
                "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "2500"));
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.exportTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThatThrownBy(() -> resolve(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "soon")))
        .hasMessage(
            "OTEL_EXPORTER_OTLP_TIMEOUT must be a whole number of milliseconds, such as 10000, or"
                + " a duration such as 10s; got 'soon'");
    assertThatThrownBy(() -> resolve(Map.of("OTEL_METRIC_EXPORT_INTERVAL", "50")))
        .hasMessage("OTEL_METRIC_EXPORT_INTERVAL must be at least 100 ms, got 50 ms");
    assertThatThrownBy(() -> resolve(Map.of("OTEL_METRIC_EXPORT_TIMEOUT", "0")))
        .hasMessage("OTEL_METRIC_EXPORT_TIMEOUT must be more than 0, got 0 ms");
    // Past what milliseconds hold in a long, the message still names the value, in ISO text.
    assertThatThrownBy(
            () -> OtlpConfig.positive(Duration.ofSeconds(Long.MIN_VALUE), "closeTimeout"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("closeTimeout must be more than 0, got PT-2562047788015215H-30M-8S");
  }

  @Test
  void temporalityPreference_deltaAndLowMemoryMeanDelta() {
    String name = "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE";
    assertThat(resolve(Map.of(name, "delta")).temporality()).isEqualTo(Temporality.DELTA);
    assertThat(resolve(Map.of(name, "LowMemory")).temporality()).isEqualTo(Temporality.DELTA);
    assertThat(resolve(Map.of(name, "cumulative")).temporality()).isEqualTo(Temporality.CUMULATIVE);
    assertThatThrownBy(() -> resolve(Map.of(name, "sometimes"))).hasMessageStartingWith(name);
  }

  @Test
  void compression_gzipOrNone_metricsSpecificFirst() {
    assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")).gzip()).isTrue();
    assertThat(
            resolve(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip",
                        "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", "none"))
                .gzip())
        .isFalse();
    assertThatThrownBy(() -> resolve(Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd")))
        .hasMessageStartingWith("OTEL_EXPORTER_OTLP_COMPRESSION");
  }

  @Test
  void resource_vigilServiceFirst_thenResourceAttributes_thenServiceName_thenCode() {
    OtlpConfig fromVigil = resolve(Map.of());
    assertThat(fromVigil.resource())
        .containsEntry("service.name", "bot")
        .containsEntry("deployment.environment.name", "production")
        .containsKey("service.instance.id");

    OtlpConfig.Builder b = new OtlpConfig.Builder();
    b.readEnvironment(
        Map.of(
            "OTEL_RESOURCE_ATTRIBUTES",
            "service.name=from-attributes,service.namespace=shop,k8s.pod.name=bot-7f9c%2D1",
            "OTEL_SERVICE_NAME",
            "from-service-name"));
    assertThat(b.resolve("bot", "production").resource())
        .containsEntry("service.name", "from-service-name")
        .containsEntry("service.namespace", "shop")
        .containsEntry("k8s.pod.name", "bot-7f9c-1");
    b.resourceAttribute("service.name", "from-code");
    assertThat(b.resolve("bot", "production").resource())
        .containsEntry("service.name", "from-code");

    assertThatThrownBy(() -> resolve(Map.of("OTEL_RESOURCE_ATTRIBUTES", "team")))
        .hasMessage(
            "OTEL_RESOURCE_ATTRIBUTES must be a comma-separated list of key=value pairs, such as"
                + " service.namespace=shop,deployment.environment.name=prod; entry 1 is 'team'");
  }

  @Test
  void eachReplicaGetsItsOwnInstanceId() {
    OtlpConfig.Builder b = new OtlpConfig.Builder();
    assertThat(b.resolve("bot", "p").resource().get("service.instance.id"))
        .isNotEqualTo(b.resolve("bot", "p").resource().get("service.instance.id"));
  }

  @Test
  void exportIsOff_withSdkDisabled_anExporterListWithoutOtlp_orVigilOtelEnabledFalse() {
    OtlpConfig sdk = resolve(Map.of("OTEL_SDK_DISABLED", "true"));
    assertThat(sdk.enabled()).isFalse();
    assertThat(sdk.disabledBy()).isEqualTo("OTEL_SDK_DISABLED=true");
    OtlpConfig none = resolve(Map.of("OTEL_METRICS_EXPORTER", "none"));
    assertThat(none.enabled()).isFalse();
    assertThat(none.disabledBy()).isEqualTo("OTEL_METRICS_EXPORTER=none names no otlp exporter");
    assertThat(resolve(Map.of("OTEL_METRICS_EXPORTER", "otlp, logging")).enabled()).isTrue();
    assertThat(resolve(Map.of("VIGIL_OTEL_ENABLED", "false")).enabled()).isFalse();
    assertThat(resolve(Map.of("OTEL_SDK_DISABLED", "false")).enabled()).isTrue();
  }

  @Test
  void endpoints_mustBeHttpUrls_andTheMessageDoesNotRepeatThem() {
    assertThatThrownBy(
            () -> resolve(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318?token=abc")))
        .hasMessageStartingWith("OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http or https URL")
        .message()
        .doesNotContain("token=abc");
  }

  @Test
  void certificates_areReadFromTheirFiles_andAMissingOneIsNamed() {
    assertThatThrownBy(
            () -> resolve(Map.of("OTEL_EXPORTER_OTLP_CERTIFICATE", "/nonexistent/ca.pem")))
        .hasMessageStartingWith(
            "OTEL_EXPORTER_OTLP_CERTIFICATE: cannot read the PEM file /nonexistent/ca.pem");
    assertThatThrownBy(() -> resolve(Map.of("OTEL_EXPORTER_OTLP_CLIENT_KEY", "/etc/hostname")))
        .hasMessage(
            "OTEL_EXPORTER_OTLP_CLIENT_KEY and OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE go together"
                + " (mutual TLS): set both, or neither");
  }

  @Test
  void vigilSettings_genAiSeriesLimitAndCloseTimeout() {
    OtlpConfig c =
        resolve(
            Map.of(
                "VIGIL_OTEL_GENAI_METRICS", "true",
                "VIGIL_OTEL_GENAI_PROVIDER", "azure.ai.openai",
                "VIGIL_OTEL_GENAI_OPERATION", "text_completion",
                "VIGIL_OTEL_MAX_SERIES", "5000",
                "VIGIL_OTEL_CLOSE_TIMEOUT", "2s"));
    assertThat(c.genAiMetrics()).isTrue();
    assertThat(c.genAiProvider()).isEqualTo("azure.ai.openai");
    assertThat(c.genAiOperation()).isEqualTo("text_completion");
    assertThat(c.maxSeries()).isEqualTo(5000);
    assertThat(c.closeTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> resolve(Map.of("VIGIL_OTEL_MAX_SERIES", "0")))
        .hasMessageStartingWith("VIGIL_OTEL_MAX_SERIES");
  }

  @Test
  void toString_namesHeadersButNeverTheirValues() {
    OtlpConfig.Builder b = new OtlpConfig.Builder();
    b.readEnvironment(
        Map.of(
            "OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cret",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "https://user:pw@collector.example:4318"));
    b.header("x-other", "hidden-too");
    assertThat(b.toString())
        .contains("api-key", "x-other", "https://collector.example:4318")
        .doesNotContain("s3cret", "hidden-too", "pw");
    assertThat(b.resolve("bot", "p").endpointForLogs())
        .isEqualTo("https://collector.example:4318/v1/metrics");
  }
}
