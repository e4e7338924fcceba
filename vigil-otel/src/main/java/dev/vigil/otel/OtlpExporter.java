package dev.vigil.otel;

import dev.vigil.otel.internal.OtlpConfig;
import dev.vigil.otel.internal.OtlpPipeline;
import dev.vigil.spi.Extension;
import dev.vigil.spi.ExtensionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Pushes every series of the Monitoring's registry — KPIs, analytics gauges, self-metrics, JVM — to
 * an OpenTelemetry Collector (or any OTLP endpoint) with the OpenTelemetry Java SDK, at a fixed
 * interval, on the SDK's background thread. {@code /metrics} keeps working beside it.
 *
 * <p>With {@code vigil-otel} on the class path, {@code Monitoring.fromEnv(..)} installs it,
 * configured by the standard variables:
 *
 * <pre>{@code
 * OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318      # /v1/metrics is appended for HTTP
 * OTEL_EXPORTER_OTLP_HEADERS=api-key=...                 # never logged
 * OTEL_METRIC_EXPORT_INTERVAL=15000                      # milliseconds
 * }</pre>
 *
 * <p>Or in code, where each setter overrides what {@link Builder#readEnvironment} read:
 *
 * <pre>{@code
 * OtlpExporter otlp = OtlpExporter.builder()
 *     .readEnvironment()
 *     .endpoint("https://otlp.example.com")
 *     .header("api-key", apiKey)
 *     .interval(Duration.ofSeconds(30))
 *     .genAiMetrics(true)
 *     .build();
 * Monitoring monitoring = Monitoring.builder("bot").extension(otlp).build();
 * }</pre>
 *
 * <p>Each series keeps its Prometheus name ({@code token_spend_total}, {@code
 * queue_job_duration_seconds}) and its labels as attributes, {@code service} included; the resource
 * carries {@code service.name} (the Vigil service), {@code service.instance.id} and {@code
 * deployment.environment.name}. Counters are monotonic sums, gauges gauges, histograms explicit
 * bucket histograms with their buckets, summaries summaries; cumulative, or delta with {@code
 * OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta}.
 *
 * <p>A collector that is down, slow, throttling or rejecting points never reaches the business
 * code: exports are retried a bounded number of times within the export timeout, nothing is queued
 * across exports, and {@code vigil_otlp_exported_points_total}, {@code
 * vigil_otlp_failed_points_total{reason}} and {@code vigil_otlp_dropped_points_total{reason}} count
 * what happened. {@code Monitoring.close()} exports one last time and waits at most the close
 * timeout (5 s).
 */
public final class OtlpExporter implements Extension {
  /** How the exporter talks to the collector. */
  public enum Protocol {
    /** OTLP/HTTP with protobuf bodies, over the JDK's HTTP client; port 4318. The default. */
    HTTP_PROTOBUF,
    /**
     * OTLP/gRPC; port 4317. Needs {@code io.opentelemetry:opentelemetry-exporter-sender-okhttp} on
     * the class path (the JDK's client cannot read gRPC trailers).
     */
    GRPC
  }

  /** Whether sums and histograms carry totals since start or the change since the last export. */
  public enum Temporality {
    /** Totals since the exporter started, as Prometheus counts them. The default. */
    CUMULATIVE,
    /** The change since the last export that reached the collector (Datadog, Dynatrace...). */
    DELTA
  }

  private final OtlpConfig.Builder config;
  private final AtomicReference<@Nullable OtlpPipeline> pipeline = new AtomicReference<>();

  private OtlpExporter(OtlpConfig.Builder config) {
    this.config = config;
  }

  /** A builder with the defaults; call {@link Builder#readEnvironment()} to read {@code OTEL_*}. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code "otel"}: a discovered {@code vigil-otel} is skipped when one is given in code. */
  @Override
  public String name() {
    return "otel";
  }

  /**
   * Starts exporting for the Monitoring being built; called by {@code Monitoring.Builder.build()}.
   *
   * @throws IllegalStateException if this exporter is already installed in another Monitoring, or
   *     gRPC was chosen without a gRPC sender on the class path
   */
  @Override
  public void install(ExtensionContext context) {
    OtlpConfig resolved = config.resolve(context.service(), context.environment());
    if (!resolved.enabled()) {
      context
          .logger(OtlpPipeline.LOGGER)
          .info("Vigil: OTLP export is off (" + resolved.disabledBy() + ")");
      return;
    }
    OtlpPipeline started = OtlpPipeline.start(resolved, context);
    if (!pipeline.compareAndSet(null, started)) {
      started.close();
      throw new IllegalStateException(
          "This OtlpExporter is already installed in another Monitoring; build one per"
              + " Monitoring with OtlpExporter.builder()...build()");
    }
  }

  /**
   * Exports now, outside the interval, and waits at most {@code timeout} for the collector: for a
   * short-lived job that must not lose its last minute. Never throws because of the collector.
   *
   * @return true if the export reached the collector in time; false if it failed, timed out, or
   *     this exporter is not installed (or OTLP export is off)
   */
  public boolean flush(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    OtlpPipeline running = pipeline.get();
    return running != null && running.flush(timeout);
  }

  @Override
  public String toString() {
    return "OtlpExporter" + config; // the builder's toString names no header value
  }

  /**
   * Configures an {@link OtlpExporter}. Setters check their argument at once and override what
   * {@link #readEnvironment} read; {@link #build()} resolves endpoints as the OTLP specification
   * says.
   */
  public static final class Builder {
    private final OtlpConfig.Builder config = new OtlpConfig.Builder();

    private Builder() {}

    /** Reads the {@code OTEL_*} and {@code VIGIL_OTEL_*} variables of the process environment. */
    public Builder readEnvironment() {
      return readEnvironment(System.getenv());
    }

    /**
     * Reads the standard {@code OTEL_*} variables and Vigil's {@code VIGIL_OTEL_*} ones (see the
     * README's configuration table) from {@code variables}.
     *
     * @throws IllegalArgumentException naming the variable, if one is malformed
     */
    public Builder readEnvironment(Map<String, String> variables) {
      config.readEnvironment(Objects.requireNonNull(variables, "variables must not be null"));
      return this;
    }

    /** Whether to export at all; default true ({@code VIGIL_OTEL_ENABLED}). */
    public Builder enabled(boolean enabled) {
      config.enabled(enabled);
      return this;
    }

    /** OTLP/HTTP protobuf (the default) or gRPC ({@code OTEL_EXPORTER_OTLP_PROTOCOL}). */
    public Builder protocol(Protocol protocol) {
      config.protocol(Objects.requireNonNull(protocol, "protocol must not be null"));
      return this;
    }

    /**
     * The collector's base URL, as {@code OTEL_EXPORTER_OTLP_ENDPOINT}: for HTTP, {@code
     * v1/metrics} is appended to its path ({@code http://collector:4318} posts to {@code
     * http://collector:4318/v1/metrics}); for gRPC it is used as it is.
     */
    public Builder endpoint(String url) {
      config.endpoint(OtlpConfig.url(url, "endpoint"));
      return this;
    }

    /**
     * The full URL metrics are posted to, used as it is, as {@code
     * OTEL_EXPORTER_OTLP_METRICS_ENDPOINT}; wins over {@link #endpoint}.
     */
    public Builder metricsEndpoint(String url) {
      config.metricsEndpoint(OtlpConfig.url(url, "metricsEndpoint"));
      return this;
    }

    /**
     * Adds a header sent with every export, such as an API key; values are never logged. Replaces a
     * header of the same name read from {@code OTEL_EXPORTER_OTLP_HEADERS}.
     */
    public Builder header(String name, String value) {
      config.header(name, value);
      return this;
    }

    /** How long one export may take, retries included; default 10 s. */
    public Builder timeout(Duration timeout) {
      config.timeout(OtlpConfig.positive(timeout, "timeout"));
      return this;
    }

    /** {@code gzip} the requests; default false ({@code OTEL_EXPORTER_OTLP_COMPRESSION}). */
    public Builder gzip(boolean gzip) {
      config.gzip(gzip);
      return this;
    }

    /** Trusts the CA certificates in this PEM file ({@code OTEL_EXPORTER_OTLP_CERTIFICATE}). */
    public Builder trustedCertificates(Path pem) {
      config.trustedCertificates(OtlpConfig.read(pem, "trustedCertificates"));
      return this;
    }

    /**
     * Authenticates with this PEM private key and certificate chain (mutual TLS, {@code
     * OTEL_EXPORTER_OTLP_CLIENT_KEY} and {@code OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE}).
     */
    public Builder clientTls(Path privateKeyPem, Path certificatePem) {
      config.clientTls(
          OtlpConfig.read(privateKeyPem, "clientTls privateKeyPem"),
          OtlpConfig.read(certificatePem, "clientTls certificatePem"));
      return this;
    }

    /** How often to export; default 60 s ({@code OTEL_METRIC_EXPORT_INTERVAL}). */
    public Builder interval(Duration interval) {
      config.interval(OtlpConfig.positive(interval, "interval"));
      return this;
    }

    /**
     * How long the reader waits for one export before it moves on; default 30 s ({@code
     * OTEL_METRIC_EXPORT_TIMEOUT}).
     */
    public Builder exportTimeout(Duration timeout) {
      config.exportTimeout(OtlpConfig.positive(timeout, "exportTimeout"));
      return this;
    }

    /** Cumulative (the default) or delta sums and histograms. */
    public Builder temporality(Temporality temporality) {
      config.temporality(Objects.requireNonNull(temporality, "temporality must not be null"));
      return this;
    }

    /**
     * Adds a resource attribute, such as {@code service.namespace}; wins over {@code
     * OTEL_RESOURCE_ATTRIBUTES} and {@code OTEL_SERVICE_NAME}.
     */
    public Builder resourceAttribute(String key, String value) {
      config.resourceAttribute(key, value);
      return this;
    }

    /**
     * Attempts per export, 1 (no retry) to 5, and the first backoff; the SDK grows the backoff 1.5
     * times per attempt up to 5 s, honours {@code Retry-After} on HTTP, and stops at the {@link
     * #timeout}. Default 5 attempts from 1 s.
     */
    public Builder retry(int maxAttempts, Duration initialBackoff) {
      config.retry(maxAttempts, initialBackoff);
      return this;
    }

    /**
     * The most series whose last exported value delta temporality remembers; series beyond it are
     * left out and counted in {@code vigil_otlp_dropped_points_total{reason="series_limit"}}.
     * Default 100,000 ({@code VIGIL_OTEL_MAX_SERIES}).
     */
    public Builder maxSeries(int maxSeries) {
      config.maxSeries(maxSeries);
      return this;
    }

    /**
     * The longest {@code Monitoring.close()} waits for the last export; default 5 s ({@code
     * VIGIL_OTEL_CLOSE_TIMEOUT}).
     */
    public Builder closeTimeout(Duration timeout) {
      config.closeTimeout(OtlpConfig.positive(timeout, "closeTimeout"));
      return this;
    }

    /**
     * Also emits OpenTelemetry's GenAI client metric {@code gen_ai.client.token.usage}: one
     * observation per {@code Kpi.tokenSpend}, with {@code gen_ai.request.model}, {@code
     * gen_ai.token.type}, {@code gen_ai.provider.name} and {@code gen_ai.operation.name}. Default
     * false ({@code VIGIL_OTEL_GENAI_METRICS}). The GenAI conventions are still in development and
     * may change.
     */
    public Builder genAiMetrics(boolean enabled) {
      config.genAiMetrics(enabled);
      return this;
    }

    /**
     * The {@code gen_ai.provider.name} of every model, such as {@code openai}; default: inferred
     * from the model name ({@code gpt-*} is {@code openai}, {@code claude-*} {@code anthropic}...),
     * else {@code unknown} ({@code VIGIL_OTEL_GENAI_PROVIDER}).
     */
    public Builder genAiProvider(String provider) {
      config.genAiProvider(OtlpConfig.attributeValue(provider, "genAiProvider"));
      return this;
    }

    /**
     * The {@code gen_ai.operation.name}; default {@code chat} ({@code VIGIL_OTEL_GENAI_OPERATION}).
     */
    public Builder genAiOperation(String operation) {
      config.genAiOperation(OtlpConfig.attributeValue(operation, "genAiOperation"));
      return this;
    }

    /** The exporter; endpoints, protocol and resource are resolved when it is installed. */
    public OtlpExporter build() {
      return new OtlpExporter(config.copy());
    }

    @Override
    public String toString() {
      return config.toString();
    }
  }
}
