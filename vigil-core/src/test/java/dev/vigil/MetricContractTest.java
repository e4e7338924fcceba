package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.internal.Family;
import dev.vigil.internal.Internals;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.Promtool;
import dev.vigil.testkit.Scrape;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metric contract of DESIGN.md and the KPI specification, checked end to end: a scripted
 * sequence of calls, a scrape of the real endpoint over HTTP, and a real parser.
 */
class MetricContractTest {
  private final FakeTicker ticker = new FakeTicker();
  private Monitoring monitoring;

  @BeforeEach
  void start() {
    monitoring =
        Monitoring.builder("worker")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .ticker(ticker)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    monitoring.close();
  }

  @Test
  void everyCatalogueMetricIsRegisteredWithItsExactTypeLabelsAndBuckets() {
    Map<String, MetricCatalog.Definition> registered =
        Internals.of(monitoring).core().families().stream()
            .map(Family::definition)
            .collect(Collectors.toMap(MetricCatalog.Definition::name, d -> d));
    for (MetricCatalog.Definition expected : MetricCatalog.all()) {
      if (SCRAPE_TIME.contains(expected)) {
        continue; // computed at scrape time, checked by the next test
      }
      if (MetricCatalog.modules().contains(expected)) {
        continue; // registered by its module, and checked there
      }
      if (MetricCatalog.budgets().contains(expected)) {
        continue; // computed at scrape time where budgets are set, checked by AiBudgetTest
      }
      assertThat(registered.get(expected.name())).as(expected.name()).isEqualTo(expected);
    }
    assertThat(MetricCatalog.QUEUE_JOB_DURATION.buckets())
        .containsExactly(0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0);
    assertThat(MetricCatalog.HTTP_REQUEST_DURATION.buckets())
        .containsExactly(0.01, 0.05, 0.1, 0.3, 0.5, 1.0, 2.0, 5.0);
  }

  /** The catalogue entries computed at scrape time by a collector rather than held in a family. */
  private static final List<MetricCatalog.Definition> SCRAPE_TIME =
      List.of(MetricCatalog.LABEL_SETS, MetricCatalog.ACTIVE_USERS_DISTINCT);

  @Test
  void scrapeTimeMetricsAreExposedWithTheirCatalogueTypeAndLabels() {
    monitoring.trackKpi(Kpi.activeUser("user-1"));
    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    for (MetricCatalog.Definition expected : SCRAPE_TIME) {
      assertThat(scrape.family(expected.name())).as(expected.name()).isNotNull();
      assertThat(scrape.family(expected.name()).type()).isEqualTo(expected.type().name());
      assertThat(scrape.family(expected.name()).help()).isEqualTo(expected.help());
      java.util.Set<String> labels = new java.util.TreeSet<>(expected.labelNames());
      labels.add(MetricCatalog.SERVICE_LABEL);
      assertThat(scrape.samples(expected.name()))
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.labels().keySet()).isEqualTo(labels));
    }
  }

  @Test
  void scriptedSequenceProducesEverySeriesWithExactValues() throws Exception {
    monitoring.trackKpi(Kpi.activeUser("user-1"));
    monitoring.trackKpi(Kpi.activeUser("user-2"));
    monitoring.trackKpi(Kpi.activeUser("user-1"));
    monitoring.trackKpi(Kpi.generationSuccess("text"));
    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
    monitoring.trackKpi(Kpi.tokenSpend(500, "gpt-4", "completion"));
    monitoring.trackKpi(Kpi.tokenSpend(120, "gpt-4", "input"));
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium"));
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium"));
    monitoring.trackKpi(Kpi.paymentConversion("paypal", "basic"));
    monitoring.trackKpi(Kpi.paymentFailure("payment-123", "card", "insufficient_funds"));
    monitoring.trackKpi("generation_failure", Map.of("type", "text", "errorType", "api_error"));
    monitoring.metrics().recordHttpRequest("POST", "/api/generate", 200, 250_000_000L);
    monitoring.metrics().recordHttpRequest("POST", "/api/generate", 200, 20_000_000L);
    monitoring.metrics().recordHttpRequest("GET", "/api/users/{id}", 404, 3_000_000L);
    monitoring.handleError(new TypeError("boom"), Map.of("userId", "user-1"));

    ImageWorker worker = new ImageWorker(monitoring, ticker);
    worker.process(new Job("job-1", "user-1", "a cat", Duration.ofMillis(1500), false));
    worker.process(new Job("job-2", "user-2", "a dog", Duration.ofSeconds(31), true));

    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    assertThat(scrape.value("active_users_total")).isEqualTo(3.0);
    assertThat(scrape.value("generation_success_total", "type", "text")).isEqualTo(1.0);
    assertThat(scrape.value("generation_success_total", "type", "image")).isEqualTo(1.0);
    assertThat(
            scrape.value(
                "generation_failure_total", "type", "image", "error_type", "TimeoutException"))
        .isEqualTo(1.0);
    assertThat(scrape.value("generation_failure_total", "type", "text", "error_type", "api_error"))
        .isEqualTo(1.0);
    assertThat(scrape.value("token_spend_total", "model", "gpt-4", "type", "completion"))
        .isEqualTo(2000.0);
    assertThat(scrape.value("token_spend_total", "model", "gpt-4", "type", "input"))
        .isEqualTo(120.0);
    assertThat(scrape.value("token_spend_total", "model", "dall-e-3", "type", "image"))
        .isEqualTo(1.0);
    assertThat(
            scrape.value("payment_conversions_total", "payment_method", "card", "plan", "premium"))
        .isEqualTo(2.0);
    assertThat(
            scrape.value("payment_conversions_total", "payment_method", "paypal", "plan", "basic"))
        .isEqualTo(1.0);
    assertThat(
            scrape.value(
                "payment_failures_total",
                "payment_method",
                "card",
                "error_type",
                "insufficient_funds"))
        .isEqualTo(1.0);
    assertThat(
            scrape.value(
                "queue_failures_total",
                "queue_name",
                "image-generation",
                "error_type",
                "TimeoutException"))
        .isEqualTo(1.0);
    assertThat(scrape.value("active_jobs_total", "queue_name", "image-generation")).isEqualTo(0.0);
    assertThat(scrape.value("errors_total", "error_type", "TypeError", "severity", "error"))
        .isEqualTo(1.0);

    // two distinct users among three interactions, in every window
    assertThat(scrape.value("active_users_distinct", "window", "5m")).isEqualTo(2.0);
    assertThat(scrape.value("active_users_distinct", "window", "1h")).isEqualTo(2.0);
    assertThat(scrape.value("active_users_distinct", "window", "24h")).isEqualTo(2.0);
    // default prices: gpt-4 $0.03/1K input, $0.06/1K output, completion priced as output
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4", "type", "completion"))
        .isEqualTo(0.12);
    assertThat(scrape.value("ai_cost_usd_total", "model", "gpt-4", "type", "input"))
        .isEqualTo(0.0036);
    // dall-e-3 images have no price by default: counted as unpriced, never as $0
    assertThat(scrape.matching("ai_cost_usd_total", "model", "dall-e-3")).isEmpty();
    assertThat(scrape.value("vigil_unpriced_tokens_total", "model", "dall-e-3", "type", "image"))
        .isEqualTo(1.0);

    // queue_job_duration_seconds: one job of 1.5 s, one of 31 s
    String[] job = {"queue_name", "image-generation", "job_type", "dalle-3"};
    assertThat(bucket(scrape, "queue_job_duration_seconds", job, "1.0")).isEqualTo(0.0);
    assertThat(bucket(scrape, "queue_job_duration_seconds", job, "2.0")).isEqualTo(1.0);
    assertThat(bucket(scrape, "queue_job_duration_seconds", job, "30.0")).isEqualTo(1.0);
    assertThat(bucket(scrape, "queue_job_duration_seconds", job, "60.0")).isEqualTo(2.0);
    assertThat(bucket(scrape, "queue_job_duration_seconds", job, "+Inf")).isEqualTo(2.0);
    assertThat(scrape.value("queue_job_duration_seconds_count", job)).isEqualTo(2.0);
    assertThat(scrape.value("queue_job_duration_seconds_sum", job)).isEqualTo(32.5);
    assertThat(scrape.matching("queue_job_duration_seconds_bucket", job)).hasSize(10);

    String[] post = {"method", "POST", "route", "/api/generate", "status_code", "200"};
    assertThat(scrape.value("http_requests_total", post)).isEqualTo(2.0);
    assertThat(bucket(scrape, "http_request_duration_seconds", post, "0.01")).isEqualTo(0.0);
    assertThat(bucket(scrape, "http_request_duration_seconds", post, "0.05")).isEqualTo(1.0);
    assertThat(bucket(scrape, "http_request_duration_seconds", post, "0.3")).isEqualTo(2.0);
    assertThat(scrape.value("http_request_duration_seconds_sum", post)).isEqualTo(0.27);
    assertThat(scrape.matching("http_request_duration_seconds_bucket", post)).hasSize(9);
    assertThat(
            scrape.value(
                "http_requests_total",
                "method",
                "GET",
                "route",
                "/api/users/{id}",
                "status_code",
                "404"))
        .isEqualTo(1.0);

    // every series, business, self and JVM alike, carries service="worker"
    assertThat(scrape.samples()).isNotEmpty();
    assertThat(scrape.samples())
        .allSatisfy(s -> assertThat(s.labels()).as(s.name()).containsEntry("service", "worker"));
    assertThat(scrape.samples("jvm_threads_current")).hasSize(1);
    assertThat(scrape.family("queue_job_duration_seconds").type()).isEqualTo("HISTOGRAM");
    assertThat(scrape.family("active_jobs_total").type()).isEqualTo("GAUGE");
    assertThat(scrape.family("active_users_total").type()).isEqualTo("COUNTER");
  }

  @Test
  void textExpositionIsAcceptedByPrometheusOwnParser() {
    monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
    monitoring.metrics().startJobTimer("image-generation", "dalle-3").close();
    var response = Http.get("http://127.0.0.1:" + port() + "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    assertThat(response.body())
        .contains(
            "token_spend_total{model=\"gpt-4\",service=\"worker\",type=\"completion\"} 1500.0");
    Promtool.Result check = Promtool.checkMetrics(response.body());
    assertThat(check.exitCode()).as(check.output()).isZero();
  }

  @Test
  void openMetricsIsServedWhenTheScraperAsksForIt() {
    monitoring.trackKpi(Kpi.activeUser("u"));
    monitoring.metrics().startJobTimer("image-generation", "dalle-3").close();
    var response =
        Http.get(
            "http://127.0.0.1:" + port() + "/metrics",
            Map.of("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8"));
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
    assertThat(response.body()).contains("active_users_total{service=\"worker\"} 1.0");
    assertThat(response.body())
        .contains("# UNIT queue_job_duration_seconds seconds")
        .endsWith("# EOF\n");
  }

  @Test
  void jvmMetricsCanBeSwitchedOff() {
    try (Monitoring bare =
        Monitoring.builder("api")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .build()
            .start()) {
      bare.trackKpi(Kpi.activeUser("u"));
      Scrape scrape = Scrape.of(bare.metricsAddress());
      assertThat(scrape.samples()).noneMatch(s -> s.name().startsWith("jvm_"));
      assertThat(scrape.samples()).noneMatch(s -> s.name().startsWith("process_"));
      assertThat(scrape.value("active_users_total", "service", "api")).isEqualTo(1.0);
    }
  }

  private int port() {
    return monitoring.metricsAddress().getPort();
  }

  private static double bucket(Scrape scrape, String histogram, String[] labels, String le) {
    String[] withLe = java.util.Arrays.copyOf(labels, labels.length + 2);
    withLe[labels.length] = "le";
    withLe[labels.length + 1] = le;
    return scrape.value(histogram + "_bucket", withLe);
  }

  /** An application exception named like the seed's JavaScript TypeError. */
  static final class TypeError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TypeError(String message) {
      super(message);
    }
  }

  record Job(String id, String userId, String prompt, Duration takes, boolean timesOut) {}

  /**
   * The specification's third example, "Worker Job Processing", call for call, over a simulated
   * image model whose duration the fake ticker plays out.
   */
  static final class ImageWorker {
    private final Monitoring monitoring;
    private final FakeTicker ticker;
    private int activeJobsCount;

    ImageWorker(Monitoring monitoring, FakeTicker ticker) {
      this.monitoring = monitoring;
      this.ticker = ticker;
    }

    void process(Job job) {
      String queueName = "image-generation";
      String jobType = "dalle-3";
      JobTimer timer = monitoring.metrics().startJobTimer(queueName, jobType);
      monitoring.metrics().setActiveJobs(queueName, activeJobsCount + 1);
      try {
        generate(job);
        monitoring.trackKpi(Kpi.tokenSpend(1, "dall-e-3", "image"));
        monitoring.trackKpi(Kpi.generationSuccess("image"));
      } catch (TimeoutException error) {
        monitoring.metrics().trackQueueFailure(queueName, error);
        monitoring.trackKpi(Kpi.generationFailure("image", error));
      } finally {
        timer.stop();
        monitoring.metrics().setActiveJobs(queueName, activeJobsCount);
      }
    }

    private void generate(Job job) throws TimeoutException {
      ticker.advance(job.takes());
      if (job.timesOut()) {
        throw new TimeoutException("image model did not answer in time");
      }
    }
  }

  @Test
  void seriesListIsStableAcrossScrapes() {
    monitoring.trackKpi(Kpi.generationSuccess("image"));
    List<Scrape.Sample> first =
        Scrape.of(monitoring.metricsAddress()).samples("generation_success_total");
    List<Scrape.Sample> second =
        Scrape.of(monitoring.metricsAddress()).samples("generation_success_total");
    assertThat(second).isEqualTo(first);
  }
}
