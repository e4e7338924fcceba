package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.Scrape;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Custom KPIs: declared once, guarded like the built-in metrics. */
class CustomKpiTest {
  private final FakeTicker ticker = new FakeTicker();
  private Monitoring monitoring;

  @BeforeEach
  void setUp() {
    monitoring =
        Monitoring.builder("api")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .ticker(ticker)
            .build()
            .start();
  }

  @AfterEach
  void tearDown() {
    monitoring.close();
  }

  @Test
  void counterGaugeAndHistogramAreExposedWithServiceAndTheirLabels() {
    KpiCounter signups =
        monitoring
            .metrics()
            .counter("signups")
            .help("Completed sign-ups.")
            .labelNames("channel")
            .register();
    KpiGauge backlog =
        monitoring.metrics().gauge("moderation_backlog").labelNames("priority").register();
    KpiHistogram prompt =
        monitoring
            .metrics()
            .histogram("prompt_length_chars")
            .labelNames("type")
            .buckets(100, 1000)
            .register();
    signups.inc("telegram");
    signups.inc("telegram");
    signups.add(3, "web");
    backlog.set(42, "high");
    backlog.add(-2, "high");
    prompt.observe(50, "image");
    prompt.observe(500, "image");
    prompt.observe(5000, "image");

    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    assertThat(signups.name()).isEqualTo("signups_total");
    assertThat(scrape.value("signups_total", "channel", "telegram", "service", "api"))
        .isEqualTo(2.0);
    assertThat(scrape.value("signups_total", "channel", "web")).isEqualTo(3.0);
    assertThat(scrape.family("signups_total").help()).isEqualTo("Completed sign-ups.");
    assertThat(scrape.value("moderation_backlog", "priority", "high")).isEqualTo(40.0);
    assertThat(scrape.value("prompt_length_chars_bucket", "type", "image", "le", "100.0"))
        .isEqualTo(1.0);
    assertThat(scrape.value("prompt_length_chars_bucket", "type", "image", "le", "1000.0"))
        .isEqualTo(2.0);
    assertThat(scrape.value("prompt_length_chars_count", "type", "image")).isEqualTo(3.0);
    assertThat(scrape.value("prompt_length_chars_sum", "type", "image")).isEqualTo(5550.0);
  }

  @Test
  void histogramTimerUsesTheTicker() {
    KpiHistogram render = monitoring.metrics().histogram("render_seconds").register();
    try (JobTimer timer = render.startTimer()) {
      ticker.advance(Duration.ofMillis(300));
      assertThat(timer.stop()).isEqualTo(0.3);
    }
    assertThat(Scrape.of(monitoring.metricsAddress()).value("render_seconds_sum")).isEqualTo(0.3);
  }

  @Test
  void declaringTheSameMetricTwiceReturnsTheSameSeries() {
    KpiCounter first =
        monitoring.metrics().counter("signups_total").labelNames("channel").register();
    KpiCounter second =
        monitoring.metrics().counter("signups_total").labelNames("channel").register();
    first.inc("web");
    second.inc("web");
    assertThat(Scrape.of(monitoring.metricsAddress()).value("signups_total", "channel", "web"))
        .isEqualTo(2.0);
  }

  @Test
  void redeclaringWithOtherLabelsFailsNamingBoth() {
    monitoring.metrics().counter("signups_total").labelNames("channel").register();
    assertThatThrownBy(
            () -> monitoring.metrics().counter("signups_total").labelNames("plan").register())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Metric signups_total is already declared as counter with labels [channel]; cannot"
                + " declare it again as counter with labels [plan]. Use a different name.");
  }

  @Test
  void builtInNamesCannotBeTaken() {
    assertThatThrownBy(() -> monitoring.metrics().gauge("active_jobs_total").register())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Metric active_jobs_total is already declared as gauge with labels [queue_name]");
    assertThatThrownBy(() -> monitoring.metrics().gauge("active_users").register())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot register metric active_users:");
  }

  @Test
  void invalidNamesAndLabelsFailAtDeclaration() {
    assertThatThrownBy(() -> monitoring.metrics().counter("2fast"))
        .hasMessageStartingWith("Metric name '2fast' is not a valid Prometheus name");
    assertThatThrownBy(() -> monitoring.metrics().counter("vigil_mine"))
        .hasMessageStartingWith("Metric name 'vigil_mine' starts with 'vigil_', which is reserved");
    assertThatThrownBy(() -> monitoring.metrics().counter("x_total").labelNames("service"))
        .hasMessage(
            "Label name 'service' of x_total is reserved: Vigil adds 'service' to every series itself.");
    assertThatThrownBy(() -> monitoring.metrics().counter("x_total").labelNames("a", "a"))
        .hasMessage("Label name 'a' is given twice for x_total.");
    assertThatThrownBy(() -> monitoring.metrics().histogram("h").labelNames("le"))
        .hasMessage("Label name 'le' of h is reserved by Prometheus for this metric type.");
    assertThatThrownBy(() -> monitoring.metrics().histogram("h").buckets(1, 1))
        .hasMessage("buckets of h must be finite and strictly increasing, got [1.0, 1.0]");
  }
}
