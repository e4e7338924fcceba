package dev.vigil.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.KpiCounter;
import dev.vigil.KpiGauge;
import dev.vigil.KpiHistogram;
import dev.vigil.Monitoring;
import dev.vigil.otel.OtlpExporter;
import dev.vigil.otel.internal.RegistryProducer;
import dev.vigil.otel.internal.SelfMetrics;
import dev.vigil.spi.ExtensionContext;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One OTLP export of 10,000 series beside one scrape of the same series: 6,000 counter series,
 * 2,000 gauge series and 2,000 histogram series (9 buckets), plus Vigil's own. Issue 17 asks for
 * the export's time and garbage next to the scrape's.
 *
 * <ul>
 *   <li>{@code prometheusScrape}: what {@code GET /metrics} does, the registry scraped and written
 *       in the Prometheus text format to a reused buffer.
 *   <li>{@code otlpBridge}, {@code otlpBridgeDelta}: the registry scraped and turned into the SDK's
 *       {@code MetricData} by vigil-otel's producer, cumulative and delta.
 *   <li>{@code otlpBridgeAndEncode}: the bridge plus the SDK's protobuf encoding of the request,
 *       all on the benchmark thread, so {@code -prof gc} sees all its garbage.
 *   <li>{@code otlpExportToCollector}: a whole export through the SDK's reader and the JDK sender
 *       to a receiver on 127.0.0.1 that reads and discards the body (time only: the encoding and
 *       the HTTP exchange run on the SDK's threads, outside {@code -prof gc}'s view).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OtlpExportBenchmark {
  static final int COUNTERS = 6_000;
  static final int GAUGES = 2_000;
  static final int HISTOGRAMS = 2_000;

  Monitoring monitoring;
  RegistryProducer producer;
  RegistryProducer deltaProducer;
  OtlpExporter exporter;
  HttpServer collector;
  Resource resource;
  final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4 << 20);

  @Setup
  public void setUp() throws IOException {
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    exporter =
        OtlpExporter.builder()
            .endpoint("http://127.0.0.1:" + collector.getAddress().getPort())
            .interval(Duration.ofHours(1))
            .build();
    AtomicReference<ExtensionContext> context = new AtomicReference<>();
    monitoring =
        Monitoring.builder("bench")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .discoverExtensions(false)
            .maxLabelSets(COUNTERS + GAUGES + HISTOGRAMS)
            .extension(exporter)
            .extension(context::set)
            .build();
    KpiCounter requests =
        monitoring
            .metrics()
            .counter("bench_requests_total")
            .labelNames("route", "status")
            .register();
    KpiGauge depth = monitoring.metrics().gauge("bench_queue_depth").labelNames("queue").register();
    KpiHistogram latency =
        monitoring
            .metrics()
            .histogram("bench_latency_seconds")
            .labelNames("operation")
            .buckets(0.01, 0.05, 0.1, 0.3, 0.5, 1, 2, 5, 10)
            .register();
    for (int i = 0; i < COUNTERS; i++) {
      requests.add(i + 1, "/api/v1/resource/" + (i / 6), Integer.toString(200 + i % 6));
    }
    for (int i = 0; i < GAUGES; i++) {
      depth.set(i, "queue-" + i);
    }
    for (int i = 0; i < HISTOGRAMS; i++) {
      latency.observe((i % 100) / 10.0, "operation-" + i);
    }
    SelfMetrics self = new SelfMetrics(context.get());
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.create("dev.vigil");
    producer =
        new RegistryProducer(
            monitoring.registry(), Clock.systemUTC(), false, 100_000, scope, null, self);
    deltaProducer =
        new RegistryProducer(
            monitoring.registry(), Clock.systemUTC(), true, 100_000, scope, null, self);
    resource = Resource.getDefault();
    if (producer.produce(resource).stream().mapToInt(m -> m.getData().getPoints().size()).sum()
        < COUNTERS + GAUGES + HISTOGRAMS) {
      throw new IllegalStateException("the registry holds fewer series than the benchmark needs");
    }
  }

  @TearDown
  public void tearDown() {
    monitoring.close();
    collector.stop(0);
  }

  @Benchmark
  public int prometheusScrape() throws IOException {
    buffer.reset();
    PrometheusTextFormatWriter.create()
        .write(buffer, monitoring.registry().scrape(), EscapingScheme.DEFAULT);
    return buffer.size();
  }

  @Benchmark
  public Collection<MetricData> otlpBridge() {
    return producer.produce(resource);
  }

  /** Delta with nothing changed: every series compared with its baseline, none sent. */
  @Benchmark
  public Collection<MetricData> otlpBridgeDelta() {
    Collection<MetricData> data = deltaProducer.produce(resource);
    deltaProducer.commit(deltaProducer.lastProduced());
    return data;
  }

  @Benchmark
  public int otlpBridgeAndEncode() throws IOException {
    buffer.reset();
    MetricsRequestMarshaler.create(producer.produce(resource)).writeBinaryTo(buffer);
    return buffer.size();
  }

  @Benchmark
  public boolean otlpExportToCollector() {
    return exporter.flush(Duration.ofSeconds(30));
  }
}
