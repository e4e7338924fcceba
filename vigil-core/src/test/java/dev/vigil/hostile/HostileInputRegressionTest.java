package dev.vigil.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.Kpi;
import dev.vigil.KpiCounter;
import dev.vigil.KpiHistogram;
import dev.vigil.LogContext;
import dev.vigil.Monitoring;
import dev.vigil.Pricing;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.Promtool;
import dev.vigil.testkit.Scrape;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One named test per way a single call used to break monitoring for good, or per case the fuzz
 * suite shrank to. Public API only: each checks what an operator sees (the scrape, /kpi, the
 * webhook) and the count under {@code vigil_invalid_inputs_total}.
 */
@SuppressWarnings("try") // log contexts are used for their scope
class HostileInputRegressionTest {
  private final HttpReceiver webhook = HttpReceiver.start(HttpReceiver.Response.ok("{}"));
  private Monitoring monitoring;

  @AfterEach
  void tearDown() {
    if (monitoring != null) {
      monitoring.close();
    }
    webhook.close();
  }

  private Monitoring start(boolean strict, int maxLabelSets) {
    monitoring =
        Monitoring.builder("bot")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .discoverExtensions(false)
            .strict(strict)
            .maxLabelSets(maxLabelSets)
            .alertWebhook(webhook.url("/hook"))
            .build()
            .start();
    return monitoring;
  }

  private Monitoring start() {
    return start(false, 1000);
  }

  private Scrape scrape() {
    return Scrape.of(monitoring.metricsAddress());
  }

  private String base() {
    return "http://127.0.0.1:" + monitoring.metricsAddress().getPort();
  }

  private double invalid(String metric, String reason) {
    List<Scrape.Sample> found =
        scrape().matching("vigil_invalid_inputs_total", "metric", metric, "reason", reason);
    return found.isEmpty() ? 0 : found.get(0).value();
  }

  /** What every test ends with: the endpoints answer and promtool accepts the exposition. */
  private void endpointsStillWork() {
    var metrics = Http.get(base() + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    Promtool.Result check = Promtool.checkMetrics(metrics.body());
    assertThat(check.output().strip()).isIn("", Invariants.ALLOWED_LINT);
    assertThat(Http.get(base() + "/kpi").statusCode()).isEqualTo(200);
  }

  @Test
  void aCounterPushedPastItsRangeSaturatesAndTheScrapeKeepsAnswering() {
    start();
    KpiCounter bytes = monitoring.metrics().counter("uploaded_bytes_total").register();
    for (int i = 0; i < 512; i++) {
      bytes.add(0x1p53); // 512 times 2^53 is 2^62, the most a series holds
    }
    bytes.add(0x1p53);

    assertThat(scrape().value("uploaded_bytes_total")).isEqualTo(0x1p62);
    assertThat(invalid("uploaded_bytes_total", "saturated")).isEqualTo(1.0);
    endpointsStillWork();
  }

  @Test
  void tokensBeyondATrillionInOneEventAreOutOfRange() {
    start();
    monitoring.trackKpi(Kpi.tokenSpend(Long.MAX_VALUE, "gpt-4", "input").forUser("u-1"));
    monitoring.trackKpi(Kpi.tokenSpend(1_000_000_000_000L, "gpt-4", "input"));

    assertThat(scrape().value("token_spend_total", "model", "gpt-4")).isEqualTo(1e12);
    assertThat(invalid("token_spend", "out_of_range")).isEqualTo(1.0);
    endpointsStillWork();
  }

  @Test
  void revenueThatWouldWrapItsCounterSaturates() {
    start();
    BigDecimal most = new BigDecimal("999999999999.9999"); // just under the per-event limit
    for (int i = 0; i < 470; i++) {
      monitoring.trackKpi(Kpi.paymentConversion("card", "premium", most, "USD"));
    }
    double revenue = scrape().value("payment_revenue_total", "currency", "USD");
    assertThat(revenue).isPositive().isLessThanOrEqualTo(0x1p62 / 1e4);
    assertThat(invalid("payment_revenue_total", "saturated")).isPositive();
    endpointsStillWork();
  }

  @Test
  void theTopSpendersSketchNeverWrapsSoKpiKeepsAnswering() {
    start();
    // A trillion gpt-4 input tokens cost 3e16 nano-dollars: 308 of them used to wrap the sketch's
    // long counts, after which /kpi answered 500 for good.
    for (int i = 0; i < 400; i++) {
      monitoring.trackKpi(Kpi.tokenSpend(1_000_000_000_000L, "gpt-4", "input").forUser("whale"));
    }
    var kpi = Http.get(base() + "/kpi");
    assertThat(kpi.statusCode()).isEqualTo(200);
    assertThat(kpi.body()).contains("\"userId\":\"whale\"");
    endpointsStillWork();
  }

  @Test
  void anAmountWithAScaleInTheBillionsIsRejectedWithoutBeingExpanded() {
    start();
    monitoring.trackKpi(
        Kpi.paymentConversion("card", "premium", new BigDecimal("1E-999999999"), "USD"));
    monitoring.trackKpi(
        Kpi.paymentConversion("card", "premium", new BigDecimal("1E+999999999"), "USD"));
    monitoring.trackKpi(
        "payment_conversion",
        Map.of(
            "paymentMethod",
            "card",
            "plan",
            "premium",
            "amount",
            "1e-999999999",
            "currency",
            "USD"));
    monitoring.trackKpi(
        "token_spend",
        Map.of("tokens", new BigDecimal("1E+999999999"), "model", "gpt-4", "type", "input"));

    assertThat(scrape().value("payment_conversions_total", "plan", "premium")).isEqualTo(3.0);
    assertThat(invalid("payment_revenue_total", "out_of_range")).isEqualTo(3.0);
    assertThat(invalid("token_spend", "out_of_range")).isEqualTo(1.0);
    endpointsStillWork();
  }

  @Test
  void aCallersOwnOverflowValueNeverCollidesWithTheOverflowSeries() {
    start(false, 2);
    monitoring.trackKpi(Kpi.generationSuccess("__overflow__"));
    monitoring.trackKpi(Kpi.generationSuccess("image"));
    monitoring.trackKpi(Kpi.generationSuccess("text")); // past the cap: the real overflow series
    monitoring.trackKpi(Kpi.generationSuccess("audio"));

    Scrape scrape = scrape();
    assertThat(scrape.value("generation_success_total", "type", "_overflow_")).isEqualTo(1.0);
    assertThat(scrape.value("generation_success_total", "type", "__overflow__")).isEqualTo(2.0);
    assertThat(invalid("generation_success_total", "reserved_value")).isEqualTo(1.0);
    endpointsStillWork();
  }

  @Test
  void loneSurrogatesBecomeOneSeriesInsteadOfTwoThatLookTheSame() {
    start();
    monitoring.trackKpi(Kpi.generationSuccess("\uD800"));
    monitoring.trackKpi(Kpi.generationSuccess("\uDC00"));

    assertThat(scrape().value("generation_success_total", "type", "\uFFFD")).isEqualTo(2.0);
    assertThat(invalid("generation_success_total", "invalid_unicode")).isEqualTo(2.0);
    endpointsStillWork();
  }

  @Test
  void untypedFieldsThatRecurseThrowOrContainThemselvesDropTheEvent() {
    start();
    Map<String, Object> self = new HashMap<>();
    self.put("self", self);
    monitoring.trackKpi("generation_success", Map.of("type", self));
    monitoring.trackKpi("generation_success", Map.of("type", new Hostile.RecursiveToString()));
    monitoring.trackKpi(
        "generation_success", Map.of("type", new Hostile.ThrowingToString(new AssertionError())));
    monitoring.trackKpi("generation_success", new Hostile.ThrowingMap());

    assertThat(scrape().samples("generation_success_total")).isEmpty();
    assertThat(invalid("generation_success", "wrong_type")).isEqualTo(1.0);
    assertThat(invalid("generation_success", "unreadable_value")).isEqualTo(3.0);
    endpointsStillWork();
  }

  @Test
  void inStrictModeAnUnreadableFieldThrowsIllegalArgumentExceptionWithTheCause() {
    start(true, 1000);
    assertThatThrownBy(
            () ->
                monitoring.trackKpi(
                    "generation_success", Map.of("type", new Hostile.RecursiveToString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "generation_success: the 'type' field could not be read (java.lang.StackOverflowError)")
        .hasCauseInstanceOf(StackOverflowError.class);
  }

  @Test
  void mapsThatNeverEndAreNeitherPrintedNorWalked() {
    // Shrunk by the fuzz suite: AbstractMap.toString() of an endless map ran out of memory.
    start();
    try (LogContext ctx = LogContext.user(new Hostile.EndlessMap())) {
      monitoring.logger().info("inside", Map.of("endless", new Hostile.EndlessMap()));
    }
    monitoring.trackKpi("token_spend", Map.of("tokens", new Hostile.EndlessMap(), "model", "m"));
    monitoring.trackKpi(
        "payment_conversion", Map.of("amount", new Hostile.EndlessMap(), "currency", "USD"));
    assertThat(invalid("token_spend", "wrong_type")).isEqualTo(1.0);
    endpointsStillWork();
  }

  @Test
  void aPriceWithAHugeExponentIsRejectedWithAShortMessage() {
    // Shrunk by the fuzz suite: the message printed the price in plain notation, a billion digits.
    assertThatThrownBy(
            () -> Pricing.builder().price("gpt-4", "input", new BigDecimal("1E+999999999")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("got 1E+999999999");
  }

  @Test
  void nullLabelArraysCountAsNullValues() {
    start();
    KpiCounter signups =
        monitoring.metrics().counter("signups_total").labelNames("channel").register();
    KpiHistogram sizes =
        monitoring
            .metrics()
            .histogram("prompt_chars")
            .labelNames("type")
            .buckets(10, 100)
            .register();
    signups.inc((String[]) null);
    signups.add(2, (String[]) null);
    monitoring.metrics().gauge("backlog").labelNames("queue").register().set(3, (String[]) null);
    sizes.observe(5, (String[]) null);
    sizes.startTimer((String[]) null).close();

    Scrape scrape = scrape();
    assertThat(scrape.value("signups_total", "channel", "unknown")).isEqualTo(3.0);
    assertThat(scrape.value("backlog", "queue", "unknown")).isEqualTo(3.0);
    assertThat(scrape.value("prompt_chars_count", "type", "unknown")).isEqualTo(2.0);
    assertThat(invalid("signups_total", "null_value")).isEqualTo(2.0);
    endpointsStillWork();
  }

  @Test
  void anAlertWhoseExceptionMisbehavesIsDeliveredAndSoAreTheNextOnes() {
    start();
    monitoring.alerts().alertQueueFailure("images", new Hostile.MessageRecurses(), null);
    monitoring
        .alerts()
        .alertQueueFailure(
            "emails", new Hostile.CauseThrows(), Map.of("k", new Hostile.RecursiveToString()));
    monitoring.alerts().alertQueueFailure("videos", new IllegalStateException("plain"), null);

    await().atMost(Duration.ofSeconds(10)).until(() -> webhook.requests().size() == 3);
    assertThat(webhook.requests().get(0).body())
        .contains("[message unavailable: java.lang.StackOverflowError]");
    assertThat(webhook.requests().get(2).body()).contains("Job failed in queue videos");
  }

  @Test
  void theAlertThreadIsRestartedAfterAVirtualMachineErrorAndDeliversWhatCameAfter() {
    start();
    // getMessage() throwing OutOfMemoryError: Vigil rethrows it (it never swallows a
    // VirtualMachineError), which ends the delivery thread. Every scrape runs the watchdog.
    monitoring.alerts().alertQueueFailure("images", new MessageThrowsVmError(), null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> !scrape().matching("vigil_thread_restarts_total", "thread", "alerts").isEmpty());

    monitoring.alerts().alertQueueFailure("emails", new IllegalStateException("after"), null);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> webhook.requests().stream().anyMatch(r -> r.body().contains("emails")));
    assertThat(scrape().value("vigil_thread_restarts_total", "thread", "alerts")).isEqualTo(1.0);
  }

  @Test
  void aForeignCollectorThatThrowsLeavesVigilsMetricsServed() {
    start();
    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
    monitoring
        .registry()
        .register(
            (io.prometheus.metrics.model.registry.Collector)
                () -> {
                  throw new IllegalStateException("broken collector");
                });

    Scrape scrape = scrape();
    assertThat(scrape.value("token_spend_total", "model", "gpt-4")).isEqualTo(1500.0);
    assertThat(scrape.value("vigil_scrape_failures_total", "metric", "registry")).isPositive();
    assertThat(Http.get(base() + "/metrics").statusCode()).isEqualTo(200);
  }

  @SuppressWarnings("serial")
  private static final class MessageThrowsVmError extends RuntimeException {
    @Override
    public String getMessage() {
      throw new OutOfMemoryError("simulated, from getMessage()");
    }
  }

  @Test
  void aShortLabelLengthLimitAlsoCutsVigilsOwnSelfMetricLabelsWithoutRecursing() {
    monitoring =
        Monitoring.builder("bot")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .discoverExtensions(false)
            .maxLabelValueLength(16)
            .build()
            .start();
    monitoring.trackKpi(Kpi.tokenSpend(100, "a-model-name-longer-than-sixteen", "input"));

    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    assertThat(scrape.value("token_spend_total", "model", "a-model-name-lon", "type", "input"))
        .isEqualTo(100.0);
    assertThat(
            scrape.value(
                "vigil_invalid_inputs_total", "metric", "token_spend_total", "reason", "too_long"))
        .isEqualTo(1.0);
  }
}
