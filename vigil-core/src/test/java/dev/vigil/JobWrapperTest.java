package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.Scrape;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job wrapper and the job timer, with time played by a fake ticker. */
class JobWrapperTest {
  private static final String[] JOB = {"queue_name", "image-generation", "job_type", "dalle-3"};

  private final FakeTicker ticker = new FakeTicker();
  private Monitoring monitoring;

  @BeforeEach
  void setUp() {
    monitoring =
        Monitoring.builder("worker")
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
  void callJobReturnsTheResultAndRecordsTheDuration() {
    String url =
        monitoring
            .metrics()
            .callJob(
                "image-generation",
                "dalle-3",
                () -> {
                  ticker.advance(Duration.ofMillis(1500));
                  return "https://images.example/cat.png";
                });
    assertThat(url).isEqualTo("https://images.example/cat.png");
    Scrape scrape = scrape();
    assertThat(scrape.value("queue_job_duration_seconds_sum", JOB)).isEqualTo(1.5);
    assertThat(scrape.value("queue_job_duration_seconds_count", JOB)).isEqualTo(1.0);
    assertThat(scrape.samples("queue_failures_total")).isEmpty();
  }

  @Test
  void jobIsCountedAsActiveWhileItRuns() {
    double during =
        monitoring
            .metrics()
            .callJob(
                "image-generation",
                "dalle-3",
                () -> scrape().value("active_jobs_total", "queue_name", "image-generation"));
    assertThat(during).isEqualTo(1.0);
    assertThat(scrape().value("active_jobs_total", "queue_name", "image-generation"))
        .isEqualTo(0.0);
  }

  @Test
  void failingJobIsCountedRethrownUnchangedAndLeavesNoActiveJob() {
    IOException failure = new IOException("upstream closed the connection");
    assertThatThrownBy(
            () ->
                monitoring
                    .metrics()
                    .runJob(
                        "image-generation",
                        "dalle-3",
                        () -> {
                          ticker.advance(Duration.ofSeconds(31));
                          throw failure;
                        }))
        .isSameAs(failure);
    Scrape scrape = scrape();
    assertThat(
            scrape.value(
                "queue_failures_total",
                "queue_name",
                "image-generation",
                "error_type",
                "IOException"))
        .isEqualTo(1.0);
    assertThat(scrape.value("active_jobs_total", "queue_name", "image-generation")).isEqualTo(0.0);
    assertThat(scrape.value("queue_job_duration_seconds_sum", JOB)).isEqualTo(31.0);
  }

  @Test
  void errorsThrownByTheJobAlsoLeaveNoActiveJob() {
    assertThatThrownBy(
            () ->
                monitoring
                    .metrics()
                    .runJob(
                        "image-generation",
                        "dalle-3",
                        () -> {
                          throw new StackOverflowError("deep prompt");
                        }))
        .isInstanceOf(StackOverflowError.class);
    assertThat(scrape().value("active_jobs_total", "queue_name", "image-generation"))
        .isEqualTo(0.0);
    assertThat(scrape().value("queue_failures_total", "error_type", "StackOverflowError"))
        .isEqualTo(1.0);
  }

  @Test
  void nestedJobsCountTwoThenNone() {
    double inner =
        monitoring
            .metrics()
            .callJob(
                "image-generation",
                "dalle-3",
                () ->
                    monitoring
                        .metrics()
                        .callJob(
                            "image-generation",
                            "upscale",
                            () ->
                                scrape()
                                    .value("active_jobs_total", "queue_name", "image-generation")));
    assertThat(inner).isEqualTo(2.0);
    assertThat(scrape().value("active_jobs_total", "queue_name", "image-generation"))
        .isEqualTo(0.0);
  }

  @Test
  void jobTimerRecordsOnceAndReturnsTheDuration() {
    JobTimer timer = monitoring.metrics().startJobTimer("image-generation", "dalle-3");
    ticker.advance(Duration.ofMillis(250));
    assertThat(timer.stop()).isEqualTo(0.25);
    ticker.advance(Duration.ofSeconds(5));
    assertThat(timer.stop()).isEqualTo(0.25);
    timer.close();
    assertThat(scrape().value("queue_job_duration_seconds_count", JOB)).isEqualTo(1.0);
    assertThat(scrape().value("queue_job_duration_seconds_sum", JOB)).isEqualTo(0.25);
  }

  @Test
  @SuppressWarnings("try") // the timer is used for its close(), as users will
  void jobTimerWorksWithTryWithResources() {
    try (JobTimer timer = monitoring.metrics().startJobTimer("image-generation", "dalle-3")) {
      ticker.advance(Duration.ofSeconds(2));
    }
    assertThat(bucket("1.0")).isEqualTo(0.0);
    assertThat(bucket("2.0")).isEqualTo(1.0);
  }

  @Test
  void trackQueueFailureTakesAnExceptionOrAName() {
    monitoring.metrics().trackQueueFailure("email", new java.util.concurrent.TimeoutException());
    monitoring.metrics().trackQueueFailure("email", "smtp_rejected");
    Scrape scrape = scrape();
    assertThat(
            scrape.value(
                "queue_failures_total", "queue_name", "email", "error_type", "TimeoutException"))
        .isEqualTo(1.0);
    assertThat(
            scrape.value(
                "queue_failures_total", "queue_name", "email", "error_type", "smtp_rejected"))
        .isEqualTo(1.0);
  }

  private double bucket(String le) {
    return scrape()
        .value(
            "queue_job_duration_seconds_bucket",
            "queue_name",
            "image-generation",
            "job_type",
            "dalle-3",
            "le",
            le);
  }

  private Scrape scrape() {
    return Scrape.of(monitoring.metricsAddress());
  }
}
