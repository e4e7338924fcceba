package dev.vigil.otel.internal;

import dev.vigil.otel.OtlpExporter.Protocol;
import dev.vigil.otel.OtlpExporter.Temporality;
import dev.vigil.spi.ExtensionContext;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running export of one Monitoring: the SDK's meter provider with the registry bridge as its
 * metric producer, read by a {@link PeriodicMetricReader} (its own daemon threads, which survive
 * any exception of a collection or an export) into the counting OTLP exporter.
 */
public final class OtlpPipeline {
  public static final String LOGGER = "dev.vigil.otel";
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final double BACKOFF_MULTIPLIER = 1.5;

  private final SdkMeterProvider provider;
  private final CountingExporter exporter;
  private final Duration closeTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OtlpPipeline(
      SdkMeterProvider provider, CountingExporter exporter, Duration closeTimeout) {
    this.provider = provider;
    this.exporter = exporter;
    this.closeTimeout = closeTimeout;
  }

  public static OtlpPipeline start(OtlpConfig config, ExtensionContext context) {
    ObservedSenders senders = new ObservedSenders();
    if (config.protocol() == Protocol.GRPC && !senders.hasGrpcSender()) {
      throw new IllegalStateException(
          config.protocolSetting()
              + " asks for grpc, which needs a gRPC sender on the class path: add"
              + " io.opentelemetry:opentelemetry-exporter-sender-okhttp (the version of"
              + " opentelemetry-sdk-metrics Vigil brings), or use http/protobuf, which needs"
              + " nothing more.");
    }
    SelfMetrics self = new SelfMetrics(context);
    TokenUsage tokens = null;
    if (config.genAiMetrics()) {
      tokens = new TokenUsage(config.genAiProvider(), config.genAiOperation());
      context.addKpiObserver(tokens);
    }
    boolean delta = config.temporality() == Temporality.DELTA;
    RegistryProducer producer =
        new RegistryProducer(
            context.registry(), context.clock(), delta, config.maxSeries(), scope(), tokens, self);
    producer.onFailure(
        e ->
            context.warn(
                "otlp|collection",
                "vigil-otel skipped an OTLP export: reading the metrics registry failed ("
                    + e
                    + "); a collector registered in it throws. The next export tries again."));
    CountingExporter exporter =
        new CountingExporter(
            otlp(config, senders, delta), senders, producer, self, context, config);
    PeriodicMetricReader reader =
        PeriodicMetricReader.builder(exporter)
            .setInterval(config.interval())
            .setExporterTimeout(config.exportTimeout())
            // Vigil's vigil_otlp_* say how exports go; the SDK's own otel.sdk.* metrics would
            // add series under names the catalogue does not know.
            .setInternalTelemetryVersion(InternalTelemetryVersion.LEGACY)
            .build();
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setResource(resource(config.resource()))
            .registerMetricReader(reader)
            .registerMetricProducer(producer)
            .build();
    OtlpPipeline pipeline = new OtlpPipeline(provider, exporter, config.closeTimeout());
    context.onClose(pipeline::close);
    context
        .logger(LOGGER)
        .info(
            "Vigil: exporting metrics over OTLP ("
                + (config.protocol() == Protocol.GRPC ? "grpc" : "http/protobuf")
                + ") to "
                + config.endpointForLogs()
                + " every "
                + config.interval().toMillis()
                + " ms, "
                + config.temporality().name().toLowerCase(java.util.Locale.ROOT)
                + (config.genAiMetrics() ? ", with gen_ai.client.token.usage" : ""));
    return pipeline;
  }

  private static MetricExporter otlp(OtlpConfig config, ObservedSenders senders, boolean delta) {
    // The SDK takes 2 to 5 attempts; one attempt means no retry policy at all.
    RetryPolicy retry =
        config.maxAttempts() < 2
            ? null
            : RetryPolicy.builder()
                .setMaxAttempts(config.maxAttempts())
                .setInitialBackoff(config.initialBackoff())
                .setMaxBackoff(
                    config.initialBackoff().compareTo(MAX_BACKOFF) > 0
                        ? config.initialBackoff()
                        : MAX_BACKOFF)
                .setBackoffMultiplier(BACKOFF_MULTIPLIER)
                .build();
    AggregationTemporalitySelector temporality =
        delta
            ? AggregationTemporalitySelector.deltaPreferred()
            : AggregationTemporalitySelector.alwaysCumulative();
    String endpoint = config.endpoint().toString();
    if (config.protocol() == Protocol.GRPC) {
      OtlpGrpcMetricExporterBuilder b =
          OtlpGrpcMetricExporter.builder()
              .setComponentLoader(senders)
              .setMeterProvider(MeterProvider::noop)
              .setEndpoint(endpoint)
              .setTimeout(config.timeout())
              .setCompression(config.gzip() ? "gzip" : "none")
              .setRetryPolicy(retry)
              .setAggregationTemporalitySelector(temporality);
      config.headers().forEach(b::addHeader);
      if (config.trustedCertificates() != null) {
        b.setTrustedCertificates(config.trustedCertificates());
      }
      if (config.clientKey() != null && config.clientCertificate() != null) {
        b.setClientTls(config.clientKey(), config.clientCertificate());
      }
      return b.build();
    }
    OtlpHttpMetricExporterBuilder b =
        OtlpHttpMetricExporter.builder()
            .setComponentLoader(senders)
            .setMeterProvider(MeterProvider::noop)
            .setEndpoint(endpoint)
            .setTimeout(config.timeout())
            .setCompression(config.gzip() ? "gzip" : "none")
            .setRetryPolicy(retry)
            .setAggregationTemporalitySelector(temporality);
    config.headers().forEach(b::addHeader);
    if (config.trustedCertificates() != null) {
      b.setTrustedCertificates(config.trustedCertificates());
    }
    if (config.clientKey() != null && config.clientCertificate() != null) {
      b.setClientTls(config.clientKey(), config.clientCertificate());
    }
    return b.build();
  }

  private static Resource resource(Map<String, String> attributes) {
    AttributesBuilder b = Attributes.builder();
    attributes.forEach(b::put);
    return Resource.getDefault().merge(Resource.create(b.build()));
  }

  private static InstrumentationScopeInfo scope() {
    String version = OtlpPipeline.class.getPackage().getImplementationVersion();
    return version == null
        ? InstrumentationScopeInfo.create("dev.vigil")
        : InstrumentationScopeInfo.builder("dev.vigil").setVersion(version).build();
  }

  /** Collects and exports now; true if the collector took it within {@code timeout}. */
  public boolean flush(Duration timeout) {
    if (closed.get()) {
      return false;
    }
    return provider.forceFlush().join(timeout.toNanos(), TimeUnit.NANOSECONDS).isSuccess();
  }

  /**
   * One last export, then the SDK's threads stop. The SDK's shutdown can wait on a slow collector
   * for longer than the close timeout allows, so it runs on a daemon thread of its own and close
   * returns after the timeout whatever it is doing.
   */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Thread closer =
        new Thread(
            () -> {
              try {
                provider.shutdown().join(closeTimeout.toNanos(), TimeUnit.NANOSECONDS);
              } finally {
                exporter.closing();
              }
            },
            "vigil-otel-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(closeTimeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
