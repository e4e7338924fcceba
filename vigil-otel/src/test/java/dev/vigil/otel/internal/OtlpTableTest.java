package dev.vigil.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.otel.OtlpExporter;
import dev.vigil.otel.OtlpExporter.Protocol;
import dev.vigil.otel.OtlpExporter.Temporality;
import dev.vigil.spring.boot.VigilAutoConfiguration;
import dev.vigil.testkit.ReadmeTables;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every {@code OTEL_*} and {@code VIGIL_OTEL_*} variable of the README's vigil-otel table, from the
 * README itself: its documented default is the resolved configuration's, a valid value takes
 * effect, and an invalid one fails with a message naming the variable, through the same check
 * naming the {@code OtlpExporter.Builder} method, and from Spring Boot naming the {@code otel.*} or
 * {@code vigil.otel.*} property. Resolving the configuration exports nothing. A README row without
 * a case here fails, and so does a variable the module's code names but the README does not list.
 */
class OtlpTableTest {
  private static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
  private static final String COLLECTOR = "http://127.0.0.1:4318";
  private static final String MISSING = "/no/such/file.pem";
  private static final String LONG = "x".repeat(65);

  @TempDir static Path dir;
  private static Path pem;
  private static Path otherPem;

  @BeforeAll
  static void files() throws IOException {
    pem = Files.writeString(dir.resolve("a.pem"), "-----BEGIN A-----\n", StandardCharsets.UTF_8);
    otherPem = Files.writeString(dir.resolve("b.pem"), "-----BEGIN B-----\n");
  }

  /**
   * One row: the variables it needs beside it, what the value gives, a valid value and an invalid
   * one with its message from the environment, the builder call that passes the same check (null
   * where the method takes no text, such as an enum), and, where the README's default is prose,
   * what the default gives.
   */
  record Case(
      String variable,
      Map<String, String> with,
      Function<OtlpConfig, @Nullable Object> field,
      String valid,
      @Nullable Object effect,
      @Nullable String invalid,
      @Nullable String message,
      @Nullable String method,
      @Nullable Consumer<OtlpExporter.Builder> inCode,
      @Nullable Object byDefault) {
    Case in(String method, Consumer<OtlpExporter.Builder> inCode) {
      return new Case(
          variable, with, field, valid, effect, invalid, message, method, inCode, byDefault);
    }

    Case with(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(with);
      more.put(name, value);
      return new Case(
          variable, more, field, valid, effect, invalid, message, method, inCode, byDefault);
    }

    Case byDefault(Object value) {
      return new Case(
          variable, with, field, valid, effect, invalid, message, method, inCode, value);
    }

    @Override
    public String toString() {
      return variable;
    }
  }

  private static Case row(
      String variable,
      Function<OtlpConfig, @Nullable Object> field,
      String valid,
      @Nullable Object effect,
      String invalid,
      String message) {
    return new Case(variable, Map.of(), field, valid, effect, invalid, message, null, null, null);
  }

  /** A text setting: any text that is not blank is valid, and a blank one counts as unset. */
  private static Case text(
      String variable, Function<OtlpConfig, @Nullable Object> field, String valid, Object effect) {
    return new Case(variable, Map.of(), field, valid, effect, null, null, null, null, null);
  }

  private static final String BOOL = " must be true or false (also accepted: 1/0, yes/no, on/off)";
  private static final String URL =
      " must be an absolute http or https URL with a host, such as https://example.com/hook; got"
          + " (value not shown: it may contain a secret)";
  private static final String HEADER =
      ": a header name must be an HTTP token (letters, digits and !#$%&'*+.^_`|~-), got 'x y'";
  private static final String PEM_MISSING =
      ": cannot read the PEM file "
          + MISSING
          + " (java.nio.file.NoSuchFileException: "
          + MISSING
          + ")";

  static List<Case> cases() {
    return List.of(
        row(
                ENDPOINT,
                OtlpConfig::endpoint,
                "https://collector.example/otlp",
                URI.create("https://collector.example/otlp/v1/metrics"),
                "collector:4318",
                ENDPOINT + URL)
            .in("endpoint", b -> b.endpoint("collector:4318")),
        row(
                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
                OtlpConfig::endpoint,
                "https://vendor.example/api/metrics",
                URI.create("https://vendor.example/api/metrics"),
                "ftp://vendor.example/api/metrics",
                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" + URL)
            .in("metricsEndpoint", b -> b.metricsEndpoint("ftp://vendor.example/api/metrics"))
            .byDefault(URI.create("http://localhost:4318/v1/metrics")),
        protocol("OTEL_EXPORTER_OTLP_PROTOCOL"),
        protocol("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL"),
        headers("OTEL_EXPORTER_OTLP_HEADERS"),
        headers("OTEL_EXPORTER_OTLP_METRICS_HEADERS"),
        timeout("OTEL_EXPORTER_OTLP_TIMEOUT", OtlpConfig::timeout, Duration.ofSeconds(5))
            .in("timeout", b -> b.timeout(Duration.ZERO)),
        timeout("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", OtlpConfig::timeout, Duration.ofSeconds(5))
            .in("timeout", b -> b.timeout(Duration.ZERO)),
        compression("OTEL_EXPORTER_OTLP_COMPRESSION"),
        compression("OTEL_EXPORTER_OTLP_METRICS_COMPRESSION"),
        pem("OTEL_EXPORTER_OTLP_CERTIFICATE", OtlpConfig::trustedCertificates)
            .in("trustedCertificates", b -> b.trustedCertificates(Path.of(MISSING))),
        pem("OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE", OtlpConfig::trustedCertificates)
            .in("trustedCertificates", b -> b.trustedCertificates(Path.of(MISSING))),
        pem("OTEL_EXPORTER_OTLP_CLIENT_KEY", OtlpConfig::clientKey)
            .with("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", otherPem.toString())
            .in("clientTls privateKeyPem", b -> b.clientTls(Path.of(MISSING), otherPem)),
        pem("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", OtlpConfig::clientCertificate)
            .with("OTEL_EXPORTER_OTLP_CLIENT_KEY", otherPem.toString())
            .in("clientTls certificatePem", b -> b.clientTls(otherPem, Path.of(MISSING))),
        pem("OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY", OtlpConfig::clientKey)
            .with("OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE", otherPem.toString())
            .in("clientTls privateKeyPem", b -> b.clientTls(Path.of(MISSING), otherPem)),
        pem("OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE", OtlpConfig::clientCertificate)
            .with("OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY", otherPem.toString())
            .in("clientTls certificatePem", b -> b.clientTls(otherPem, Path.of(MISSING))),
        row(
            "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
            OtlpConfig::temporality,
            "LowMemory",
            Temporality.DELTA,
            "sometimes",
            "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE must be one of cumulative, delta,"
                + " lowmemory (any case), got 'sometimes'"),
        row(
                "OTEL_METRIC_EXPORT_INTERVAL",
                OtlpConfig::interval,
                "15000",
                Duration.ofSeconds(15),
                "50",
                "OTEL_METRIC_EXPORT_INTERVAL must be at least 100 ms, got 50 ms")
            .in("interval", b -> b.interval(Duration.ofMillis(50))),
        timeout("OTEL_METRIC_EXPORT_TIMEOUT", OtlpConfig::exportTimeout, Duration.ofSeconds(5))
            .in("exportTimeout", b -> b.exportTimeout(Duration.ZERO)),
        row(
            "OTEL_RESOURCE_ATTRIBUTES",
            c -> c.resource().get("service.namespace"),
            "service.namespace=shop%20eu",
            "shop eu",
            "team",
            "OTEL_RESOURCE_ATTRIBUTES must be a comma-separated list of key=value pairs, such as"
                + " service.namespace=shop,deployment.environment.name=prod; entry 1 is 'team'"),
        text("OTEL_SERVICE_NAME", c -> c.resource().get("service.name"), "checkout", "checkout")
            .byDefault("bot"),
        row(
            "OTEL_SDK_DISABLED",
            OtlpConfig::enabled,
            "true",
            false,
            "perhaps",
            "OTEL_SDK_DISABLED" + BOOL + ", got 'perhaps'"),
        // Any list is valid: one without otlp turns the export off.
        text("OTEL_METRICS_EXPORTER", OtlpConfig::enabled, "none", false),
        row(
                "VIGIL_OTEL_ENABLED",
                OtlpConfig::enabled,
                "false",
                false,
                "maybe",
                "VIGIL_OTEL_ENABLED" + BOOL + ", got 'maybe'")
            // On, once an endpoint is set (DiscoveryTest: no endpoint, no exporter).
            .with(ENDPOINT, COLLECTOR)
            .byDefault(true),
        row(
                "VIGIL_OTEL_MAX_SERIES",
                OtlpConfig::maxSeries,
                "5000",
                5000,
                "0",
                "VIGIL_OTEL_MAX_SERIES must be between 1 and 10000000, got 0")
            .in("maxSeries", b -> b.maxSeries(0)),
        row(
                "VIGIL_OTEL_CLOSE_TIMEOUT",
                OtlpConfig::closeTimeout,
                "2s",
                Duration.ofSeconds(2),
                "0",
                "VIGIL_OTEL_CLOSE_TIMEOUT must be more than 0, got 0 ms")
            .in("closeTimeout", b -> b.closeTimeout(Duration.ZERO)),
        row(
            "VIGIL_OTEL_GENAI_METRICS",
            OtlpConfig::genAiMetrics,
            "yes",
            true,
            "sometimes",
            "VIGIL_OTEL_GENAI_METRICS" + BOOL + ", got 'sometimes'"),
        row(
                "VIGIL_OTEL_GENAI_PROVIDER",
                OtlpConfig::genAiProvider,
                " azure.ai.openai ",
                "azure.ai.openai",
                LONG,
                "VIGIL_OTEL_GENAI_PROVIDER must have 1 to 64 characters, such as openai, got '"
                    + LONG
                    + "'")
            .in("genAiProvider", b -> b.genAiProvider(LONG)),
        row(
                "VIGIL_OTEL_GENAI_OPERATION",
                OtlpConfig::genAiOperation,
                "text_completion",
                "text_completion",
                LONG,
                "VIGIL_OTEL_GENAI_OPERATION must have 1 to 64 characters, such as openai, got '"
                    + LONG
                    + "'")
            .in("genAiOperation", b -> b.genAiOperation(LONG)));
  }

  private static Case protocol(String variable) {
    return row(
        variable,
        OtlpConfig::protocol,
        "GRPC",
        Protocol.GRPC,
        "udp",
        variable + " must be http/protobuf or grpc, got 'udp'");
  }

  private static Case headers(String variable) {
    return row(
            variable,
            OtlpConfig::headers,
            "api-key=s3cret, x-team = shop%20one",
            Map.of("api-key", "s3cret", "x-team", "shop one"),
            "x y=s3cret",
            variable + HEADER)
        .in("header", b -> b.header("x y", "s3cret"))
        .byDefault(Map.of());
  }

  private static Case timeout(
      String variable, Function<OtlpConfig, @Nullable Object> field, Duration d) {
    return row(
        variable,
        field,
        Long.toString(d.toMillis()),
        d,
        "0",
        variable + " must be more than 0, got 0 ms");
  }

  private static Case compression(String variable) {
    return row(
            variable,
            OtlpConfig::gzip,
            "GZIP",
            true,
            "zstd",
            variable + " must be one of gzip, none (any case), got 'zstd'")
        // The README's `none` is the value none, not a missing one.
        .byDefault(false);
  }

  private static Case pem(String variable, Function<OtlpConfig, byte @Nullable []> bytes) {
    return row(
        variable,
        c -> text(bytes.apply(c)),
        pem.toString(),
        "-----BEGIN A-----\n",
        MISSING,
        variable + PEM_MISSING);
  }

  private static @Nullable String text(byte @Nullable [] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static OtlpConfig resolve(Map<String, String> variables) {
    OtlpConfig.Builder builder = new OtlpConfig.Builder();
    builder.readEnvironment(variables);
    return builder.resolve("bot", "production");
  }

  private static Map<String, String> with(Map<String, String> base, String name, String value) {
    Map<String, String> env = new LinkedHashMap<>(base);
    env.put(name, value);
    return env;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theDocumentedDefaultIsTheResolvedConfigurations(Case c) {
    Object actual = c.field().apply(resolve(Map.of()));
    if (c.byDefault() != null) {
      assertThat(actual).isEqualTo(c.byDefault());
      return;
    }
    String documented = ReadmeTables.defaults().get(c.variable());
    assertThat(documented).as("README default of " + c.variable()).isNotNull();
    if (documented.equals("none")) {
      assertThat(actual).isNull();
    } else {
      assertThat(actual)
          .as(c.variable() + " = " + documented)
          .isEqualTo(c.field().apply(resolve(Map.of(c.variable(), documented))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aValidValueTakesEffect(Case c) {
    assertThat(c.field().apply(resolve(with(c.with(), c.variable(), c.valid()))))
        .isEqualTo(c.effect());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void anInvalidValueFailsNamingTheVariableTheMethodAndTheProperty(Case c) {
    if (c.invalid() == null) {
      // Any text is valid; a blank one counts as unset.
      assertThat(c.field().apply(resolve(with(c.with(), c.variable(), " "))))
          .isEqualTo(c.field().apply(resolve(c.with())));
      return;
    }
    Map<String, String> env = with(c.with(), c.variable(), c.invalid());
    assertThatThrownBy(() -> resolve(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(c.message())
        .message()
        .doesNotContain("s3cret");
    String rest = c.message().substring(c.variable().length());
    if (c.method() != null) {
      assertThatThrownBy(() -> c.inCode().accept(OtlpExporter.builder()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(c.method() + rest);
    }

    // The discovered exporter reads its variables once an endpoint is set.
    List<String> properties = new ArrayList<>(List.of("vigil.metrics.enabled=false"));
    with(Map.of(ENDPOINT, COLLECTOR), c.variable(), c.invalid()).forEach(env::putIfAbsent);
    env.forEach((name, value) -> properties.add(property(name) + "=" + value));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
        .withPropertyValues(properties.toArray(String[]::new))
        .run(
            context -> {
              List<String> messages = new ArrayList<>();
              for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                messages.add(t.getMessage());
              }
              assertThat(messages)
                  .contains(property(c.variable()) + " (" + c.variable() + ")" + rest);
            });
  }

  /**
   * The property Spring Boot users write: {@code otel.exporter.otlp.endpoint} as the OpenTelemetry
   * SDK maps it, {@code vigil.otel.genai-metrics} for Vigil's own.
   */
  private static String property(String variable) {
    String lower = variable.toLowerCase(Locale.ROOT);
    return variable.startsWith("VIGIL_OTEL_")
        ? "vigil.otel." + lower.substring("vigil_otel_".length()).replace('_', '-')
        : lower.replace('_', '.');
  }

  @Test
  void headersAlsoComeFromTheirFile_neverShownInAMessage() throws IOException {
    Path file = Files.writeString(dir.resolve("headers"), "api-key=s3cret\n");
    assertThat(resolve(Map.of("OTEL_EXPORTER_OTLP_HEADERS_FILE", file.toString())).headers())
        .isEqualTo(Map.of("api-key", "s3cret"));
    Path bad = Files.writeString(dir.resolve("bad-headers"), "api-key=s3cret,justAValue\n");
    assertThatThrownBy(
            () -> resolve(Map.of("OTEL_EXPORTER_OTLP_METRICS_HEADERS_FILE", bad.toString())))
        .hasMessage(
            "OTEL_EXPORTER_OTLP_METRICS_HEADERS must be a comma-separated list of key=value"
                + " pairs, such as api-key=...; entry 2 is not (values are not shown: they may be"
                + " secrets)");
  }

  @Test
  void everyReadmeVariableHasACase_andEveryVariableTheCodeNamesIsInTheReadme() {
    ReadmeTables.assertModuleCovered(
        cases().stream().map(Case::variable).toList(), ReadmeTables.OTEL);
  }
}
