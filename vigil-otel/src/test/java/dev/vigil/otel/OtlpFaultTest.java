package dev.vigil.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.otel.OtlpExporter.Protocol;
import dev.vigil.otel.OtlpReceiver.Answer;
import dev.vigil.testkit.FreePort;
import dev.vigil.testkit.LogCapture;
import io.grpc.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A collector that is down, slow, throttling, unavailable, refusing the credentials or rejecting
 * part of a batch: the business calls carry on, retries stay bounded, the self-metrics say what
 * happened, the warning names no secret, and close returns in bounded time.
 */
class OtlpFaultTest {
  private static final Duration FLUSH = Duration.ofSeconds(15);

  private OtlpReceiver receiver;
  private Monitoring monitoring;
  private final LogCapture logs = LogCapture.of("dev.vigil");

  @AfterEach
  void stop() {
    if (monitoring != null) {
      monitoring.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    logs.close();
  }

  private OtlpExporter start(String endpoint, OtlpExporter.Builder builder) {
    OtlpExporter exporter =
        builder
            .endpoint(endpoint)
            .header("api-key", "key-123")
            .interval(Duration.ofHours(1))
            .closeTimeout(Duration.ofSeconds(1))
            .build();
    monitoring =
        Monitoring.builder("bot")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .discoverExtensions(false)
            .extension(exporter)
            .build();
    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
    return exporter;
  }

  /** The points the next export carries: one per series of the registry. */
  private long pointsNow() {
    return Series.fromRegistry(monitoring.registry()).size();
  }

  private Map<String, String> selfMetrics() {
    return Series.fromRegistry(monitoring.registry());
  }

  @Test
  void collectorDown_theBusinessCallsCarryOn_andThePointsCountAsUnreachable() {
    OtlpExporter exporter =
        start(
            "http://127.0.0.1:" + FreePort.find(),
            OtlpExporter.builder().retry(2, Duration.ofMillis(10)));
    long points = pointsNow();

    assertThat(exporter.flush(FLUSH)).isFalse();
    for (int i = 0; i < 1000; i++) {
      monitoring.trackKpi(Kpi.tokenSpend(1, "gpt-4", "completion"));
    }

    assertThat(selfMetrics())
        .containsEntry("token_spend_total{model=gpt-4, service=bot, type=completion}", "2500")
        .containsEntry(
            "vigil_otlp_failed_points_total{reason=unreachable, service=bot}",
            Long.toString(points))
        .doesNotContainKey("vigil_otlp_exported_points_total{service=bot}");
    assertThat(logs.warnings())
        .anySatisfy(
            w -> assertThat(w).contains("unreachable").contains("Check endpoint(..)").isNotNull())
        .noneSatisfy(w -> assertThat(w).contains("key-123"));
  }

  @Test
  void slowCollector_timesOut_andCloseReturnsWithinItsTimeout() throws IOException {
    receiver = OtlpReceiver.http();
    receiver.script(Answer.hanging(), Answer.hanging());
    OtlpExporter exporter =
        start(
            receiver.endpoint(),
            OtlpExporter.builder().timeout(Duration.ofMillis(300)).retry(1, Duration.ofMillis(10)));
    long points = pointsNow();

    assertThat(exporter.flush(FLUSH)).isFalse();
    monitoring.trackKpi(Kpi.tokenSpend(1, "gpt-4", "completion")); // while the collector hangs

    assertThat(selfMetrics())
        .containsEntry(
            "vigil_otlp_failed_points_total{reason=timeout, service=bot}", Long.toString(points))
        .containsEntry("token_spend_total{model=gpt-4, service=bot, type=completion}", "1501");
    long started = System.nanoTime();
    monitoring.close(); // the last export hangs too: close gives up after closeTimeout (1 s)
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000);
    monitoring = null;
  }

  @Test
  void throttled429_waitsTheRetryAfterItWasGiven_thenDelivers() throws IOException {
    receiver = OtlpReceiver.http();
    receiver.script(Answer.http(429, "1"));
    OtlpExporter exporter =
        start(receiver.endpoint(), OtlpExporter.builder().retry(3, Duration.ofMillis(10)));
    long points = pointsNow();

    assertThat(exporter.flush(FLUSH)).isTrue();

    assertThat(receiver.received()).hasSize(2);
    long gap = receiver.received().get(1).nanos() - receiver.received().get(0).nanos();
    assertThat(TimeUnit.NANOSECONDS.toMillis(gap)).isGreaterThanOrEqualTo(900); // not 10 ms
    assertThat(selfMetrics())
        .containsEntry("vigil_otlp_exported_points_total{service=bot}", Long.toString(points))
        .doesNotContainKey("vigil_otlp_failed_points_total{reason=throttled, service=bot}");
  }

  @Test
  void unavailable503_isRetriedABoundedNumberOfTimes_thenCountedAsFailed() throws IOException {
    receiver = OtlpReceiver.http();
    receiver.script(
        Answer.http(503, "0"), Answer.http(503, "0"), Answer.http(503, "0"), Answer.http(503, "0"));
    OtlpExporter exporter =
        start(receiver.endpoint(), OtlpExporter.builder().retry(3, Duration.ofMillis(10)));
    long points = pointsNow();

    assertThat(exporter.flush(FLUSH)).isFalse();

    assertThat(receiver.received()).hasSize(3);
    assertThat(selfMetrics())
        .containsEntry(
            "vigil_otlp_failed_points_total{reason=unavailable, service=bot}",
            Long.toString(points));
  }

  @Test
  void unauthorized401_isNotRetried_andTheWarningNamesTheHeadersVariableButNoValue()
      throws IOException {
    receiver = OtlpReceiver.http();
    receiver.script(Answer.http(401, ""));
    OtlpExporter exporter =
        start(receiver.endpoint(), OtlpExporter.builder().retry(3, Duration.ofMillis(10)));
    long points = pointsNow();

    assertThat(exporter.flush(FLUSH)).isFalse();

    assertThat(receiver.received()).hasSize(1);
    assertThat(selfMetrics())
        .containsEntry(
            "vigil_otlp_failed_points_total{reason=unauthorized, service=bot}",
            Long.toString(points));
    assertThat(logs.warnings())
        .anySatisfy(w -> assertThat(w).contains("HTTP 401").contains("OTEL_EXPORTER_OTLP_HEADERS"))
        .noneSatisfy(w -> assertThat(w).contains("key-123"));
  }

  @Test
  void partialSuccess_countsTheRejectedPointsAsFailed_andTheRestAsExported() throws IOException {
    receiver = OtlpReceiver.http();
    receiver.script(Answer.partial(2, "2 data points had no value"));
    OtlpExporter exporter = start(receiver.endpoint(), OtlpExporter.builder());
    long points = pointsNow();

    assertThat(exporter.flush(FLUSH)).isTrue();

    assertThat(selfMetrics())
        .containsEntry("vigil_otlp_exported_points_total{service=bot}", Long.toString(points - 2))
        .containsEntry("vigil_otlp_failed_points_total{reason=partial_success, service=bot}", "2");
    assertThat(logs.warnings())
        .anySatisfy(
            w -> assertThat(w).contains("rejected 2 of " + points).contains("had no value"));
  }

  @Test
  void grpcResourceExhausted_isRetried_thenDelivers() throws IOException {
    receiver = OtlpReceiver.grpc();
    receiver.script(Answer.grpc(Status.Code.RESOURCE_EXHAUSTED, 1));
    OtlpExporter exporter =
        start(
            receiver.endpoint(),
            OtlpExporter.builder().protocol(Protocol.GRPC).retry(3, Duration.ofMillis(10)));
    long points = pointsNow();

    assertThat(exporter.flush(FLUSH)).isTrue();

    assertThat(receiver.received()).hasSize(2);
    assertThat(receiver.received().get(0).headers()).containsEntry("api-key", "key-123");
    assertThat(selfMetrics())
        .containsEntry("vigil_otlp_exported_points_total{service=bot}", Long.toString(points));
  }

  @Test
  void grpcUnavailableEveryTime_isCountedAsFailed_andGrpcPartialSuccessAsRejected()
      throws IOException {
    receiver = OtlpReceiver.grpc();
    receiver.script(
        Answer.grpc(Status.Code.UNAVAILABLE, 0),
        Answer.grpc(Status.Code.UNAVAILABLE, 0),
        Answer.partial(3, "3 points out of range"));
    OtlpExporter exporter =
        start(
            receiver.endpoint(),
            OtlpExporter.builder().protocol(Protocol.GRPC).retry(2, Duration.ofMillis(10)));
    long first = pointsNow();
    assertThat(exporter.flush(FLUSH)).isFalse();
    long second = pointsNow();

    assertThat(exporter.flush(FLUSH)).isTrue();

    assertThat(selfMetrics())
        .containsEntry(
            "vigil_otlp_failed_points_total{reason=unavailable, service=bot}", Long.toString(first))
        .containsEntry("vigil_otlp_failed_points_total{reason=partial_success, service=bot}", "3")
        .containsEntry("vigil_otlp_exported_points_total{service=bot}", Long.toString(second - 3));
  }

  @Test
  void exportsRunAtTheInterval_onTheReadersThread() throws IOException {
    receiver = OtlpReceiver.http();
    monitoring =
        Monitoring.builder("bot")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .discoverExtensions(false)
            .extension(
                OtlpExporter.builder()
                    .endpoint(receiver.endpoint())
                    .interval(Duration.ofMillis(200))
                    .build())
            .build();
    monitoring.trackKpi(Kpi.tokenSpend(7, "gpt-4", "completion"));

    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 3);
    assertThat(Series.fromOtlp(receiver.requests().get(2)))
        .containsEntry("token_spend_total{model=gpt-4, service=bot, type=completion}", "7");
  }
}
