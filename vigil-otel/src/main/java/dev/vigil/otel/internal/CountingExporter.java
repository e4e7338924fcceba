package dev.vigil.otel.internal;

import dev.vigil.Ticker;
import dev.vigil.spi.ExtensionContext;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps the SDK's OTLP exporter to count what each export delivered ({@code
 * vigil_otlp_exported_points_total}), failed or had rejected ({@code
 * vigil_otlp_failed_points_total{reason}}), to time it, to warn (rate-limited, without header
 * values) when the collector is in trouble, and to tell the producer which delta baselines the
 * collector now has.
 */
final class CountingExporter implements MetricExporter {
  private final MetricExporter delegate;
  private final ObservedSenders senders;
  private final RegistryProducer producer;
  private final SelfMetrics self;
  private final ExtensionContext context;
  private final Ticker ticker;
  private final String endpoint;
  private final String endpointSetting;
  private final AtomicBoolean closing = new AtomicBoolean();

  CountingExporter(
      MetricExporter delegate,
      ObservedSenders senders,
      RegistryProducer producer,
      SelfMetrics self,
      ExtensionContext context,
      OtlpConfig config) {
    this.delegate = delegate;
    this.senders = senders;
    this.producer = producer;
    this.self = self;
    this.context = context;
    this.ticker = context.ticker();
    this.endpoint = config.endpointForLogs();
    this.endpointSetting = config.endpointSetting();
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    long points = 0;
    for (MetricData metric : metrics) {
      points += metric.getData().getPoints().size();
    }
    Attempt attempt = new Attempt(points, producer.lastProduced(), ticker.read());
    CompletableResultCode result;
    senders.current(attempt);
    try {
      result = delegate.export(metrics);
    } catch (RuntimeException e) {
      attempt.fail("other", e.toString());
      result = CompletableResultCode.ofFailure();
    } finally {
      senders.current(null);
    }
    CompletableResultCode done = result;
    done.whenComplete(() -> finish(attempt, done));
    return done;
  }

  private void finish(Attempt attempt, CompletableResultCode result) {
    try {
      double seconds = Math.max(0, ticker.read() - attempt.startNanos) / 1e9;
      if (result.isSuccess()) {
        PartialSuccess partial = attempt.partial();
        long rejected =
            partial == null ? 0 : Math.min(partial.rejectedDataPoints(), attempt.points);
        self.exported(attempt.points - rejected);
        self.duration("success", seconds);
        producer.commit(attempt.generation);
        if (rejected > 0) {
          self.failed("partial_success", rejected);
          context.warn(
              "otlp|partial_success",
              "OTLP collector at "
                  + endpoint
                  + " rejected "
                  + rejected
                  + " of "
                  + attempt.points
                  + " data points: "
                  + partial.errorMessage()
                  + " (counted in vigil_otlp_failed_points_total{reason=\"partial_success\"})");
        }
        return;
      }
      String reason = attempt.reason();
      if (reason == null) {
        reason = closing.get() ? "shutdown" : "other";
      }
      self.failed(reason, attempt.points);
      self.duration("failure", seconds);
      if (attempt.mayHaveArrived(reason)) {
        producer.commit(attempt.generation); // never count the same increments twice
      }
      if (!closing.get()) {
        context.warn(
            "otlp|" + reason,
            "OTLP export to "
                + endpoint
                + " failed ("
                + reason
                + ": "
                + attempt.detail()
                + ") after its retries; "
                + attempt.points
                + " data points not delivered, counted in vigil_otlp_failed_points_total{reason=\""
                + reason
                + "\"}. "
                + advice(reason)
                + " The business code is not affected; the next export is due at the interval.");
      }
    } catch (RuntimeException e) {
      context.warn("otlp|bookkeeping", "vigil-otel could not count an export: " + e);
    }
  }

  private String advice(String reason) {
    switch (reason) {
      case "unreachable":
        return "Check " + endpointSetting + " and that the collector is running.";
      case "unauthorized":
        return "Check the credentials in OTEL_EXPORTER_OTLP_HEADERS.";
      case "throttled":
      case "unavailable":
        return "The collector is overloaded or restarting.";
      case "timeout":
        return "The collector is slow; OTEL_EXPORTER_OTLP_TIMEOUT sets how long to wait.";
      case "rejected":
        return "The collector refused the request; check "
            + endpointSetting
            + " (HTTP needs the /v1/metrics path) and OTEL_EXPORTER_OTLP_PROTOCOL.";
      case "tls":
        return "Check OTEL_EXPORTER_OTLP_CERTIFICATE and the collector's certificate.";
      default:
        return "";
    }
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegate.getAggregationTemporality(instrumentType);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    closing.set(true);
    return delegate.shutdown();
  }

  void closing() {
    closing.set(true);
  }
}
