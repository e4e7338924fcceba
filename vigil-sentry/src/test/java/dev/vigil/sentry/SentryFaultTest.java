package dev.vigil.sentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Monitoring;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import dev.vigil.testkit.SentryReceiver;
import io.sentry.Sentry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sentry down or slow: the caller of handleError is never held up, the application carries on, and
 * close() returns within its bound.
 *
 * <p>What is asserted does not depend on how busy the machine is: a handleError that waited for
 * Sentry even once would take the receiver's whole hold (10 s) or the SDK's connect timeout, so the
 * {@value #CALLS} calls together must finish well inside that ({@value #ALL_CALLS_BOUND_MS} ms).
 * close() returns within the flush timeout plus {@value #CLOSE_SLACK_MS} ms. The per-call figures
 * (median, p99, max) are logged for the README, not asserted: a timing maximum on a shared machine
 * measures the machine. The log lines of these monitorings go to an in-memory appender, so that the
 * figures measure handleError and Sentry, not the test runner's console.
 */
class SentryFaultTest {
  static final long ALL_CALLS_BOUND_MS = 5_000;
  static final long CLOSE_SLACK_MS = 500;
  private static final Duration FLUSH = Duration.ofMillis(1000);
  private static final int CALLS = 100;
  private static final Logger LOG = LoggerFactory.getLogger(SentryFaultTest.class);

  private final LogCapture logs = LogCapture.isolated();
  private Monitoring monitoring;

  @AfterEach
  void tearDown() {
    if (monitoring != null) {
      monitoring.close();
    }
    logs.close();
    if (Sentry.isEnabled()) {
      Sentry.close();
    }
  }

  private Monitoring monitoring(String dsn) {
    monitoring =
        Monitoring.builder("bot")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .loggerFactory(logs.context())
            .extension(SentryReporter.builder().dsn(dsn).flushTimeout(FLUSH).build())
            .build()
            .start();
    return monitoring;
  }

  @Test
  void unreachableSentryNeverHoldsUpTheCaller() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Monitoring monitoring = monitoring("http://publickey@127.0.0.1:" + closedPort + "/1");
    long[] nanos = callHandleError(monitoring);
    report("Sentry down", nanos);
    assertThat(total(nanos)).as("all handleError calls, ns").isLessThan(ms(ALL_CALLS_BOUND_MS));
    assertApplicationCarriesOn(monitoring);
    assertClosesInTime(monitoring);
  }

  @Test
  void sentryAnsweringAfterTenSecondsNeverHoldsUpTheCaller() {
    try (SentryReceiver slow = SentryReceiver.holding(Duration.ofSeconds(10))) {
      Monitoring monitoring = monitoring(slow.dsn());
      long[] nanos = callHandleError(monitoring);
      report("Sentry answering after 10 s", nanos);
      assertThat(total(nanos)).as("all handleError calls, ns").isLessThan(ms(ALL_CALLS_BOUND_MS));
      await().atMost(Duration.ofSeconds(10)).until(() -> slow.requests() >= 1);
      assertApplicationCarriesOn(monitoring);
      assertClosesInTime(monitoring);
    }
  }

  @Test
  void withoutSentryForComparison() {
    monitoring =
        Monitoring.builder("bot")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .loggerFactory(logs.context())
            .build()
            .start();
    long[] nanos = callHandleError(monitoring);
    report("no Sentry at all", nanos);
    assertThat(total(nanos)).as("all handleError calls, ns").isLessThan(ms(ALL_CALLS_BOUND_MS));
    assertApplicationCarriesOn(monitoring);
  }

  private long[] callHandleError(Monitoring monitoring) {
    long start0 = System.nanoTime();
    monitoring.handleError(new IllegalStateException("warm-up"), Map.of());
    LOG.info(
        "first handleError call (class loading included) took {} µs",
        (System.nanoTime() - start0) / 1000);
    long[] nanos = new long[CALLS];
    for (int i = 0; i < CALLS; i++) {
      RuntimeException error = new IllegalStateException("upstream failure " + i);
      long start = System.nanoTime();
      monitoring.handleError(error, Map.of("attempt", i));
      nanos[i] = System.nanoTime() - start;
    }
    logs.clear();
    return nanos;
  }

  private static void assertApplicationCarriesOn(Monitoring monitoring) {
    assertThat(
            Scrape.of(monitoring.metricsAddress())
                .value("errors_total", "error_type", "IllegalStateException", "severity", "error"))
        .isEqualTo((double) CALLS + 1);
  }

  private static void assertClosesInTime(Monitoring monitoring) {
    long start = System.nanoTime();
    monitoring.close();
    long took = System.nanoTime() - start;
    LOG.info("close() took {} ms", TimeUnit.NANOSECONDS.toMillis(took));
    assertThat(took).as("close(), ns").isLessThan(ms(FLUSH.toMillis() + CLOSE_SLACK_MS));
  }

  private static void report(String situation, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    LOG.info(
        "handleError with {}: first {} µs, median {} µs, p99 {} µs, max {} µs over {} calls",
        situation,
        nanos[0] / 1000,
        sorted[sorted.length / 2] / 1000,
        sorted[(int) (sorted.length * 0.99) - 1] / 1000,
        sorted[sorted.length - 1] / 1000,
        CALLS);
  }

  private static long total(long[] nanos) {
    return Arrays.stream(nanos).sum();
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
