package dev.vigil.alert;

import static dev.vigil.alert.AlertTesting.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Monitoring;
import dev.vigil.alert.AlertTesting.TestTime;
import dev.vigil.alert.internal.DeliveryProbe;
import dev.vigil.testkit.FreePort;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A storm of 100,000 alerts from four threads against a receiver that is down: callers return at
 * once, the queue never holds more than its capacity, every alert that does not fit is counted as
 * dropped (exactly), and the heap does not grow from one storm to the next.
 *
 * <p>The ticker is fake, so the one attempt that reached the dead receiver waits for its backoff
 * forever and the webhook's backlog stays full: what fits is exactly the capacity.
 */
class AlertStormTest {
  private static final int CAPACITY = 1000;
  private static final int STORM = 100_000;
  private static final int THREADS = 4;

  private final TestTime time = new TestTime();
  private Monitoring monitoring;

  @BeforeEach
  void start() {
    monitoring =
        Monitoring.builder("storm")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .ticker(time)
            .clock(time.clock())
            .alertWebhook("http://127.0.0.1:" + FreePort.find() + "/hook")
            .alerting(
                a ->
                    a.cooldown(Duration.ZERO)
                        .queueCapacity(CAPACITY)
                        // keeps 100,000 lines out of the test log; the log channel is routed like
                        // any
                        .minSeverity(AlertSettings.LOG, Severity.CRITICAL)
                        .closeTimeout(Duration.ZERO))
            .build();
  }

  @AfterEach
  void stop() {
    monitoring.close();
  }

  private double dropped() {
    return counter(monitoring, "vigil_alerts_dropped_total", "channel", "webhook");
  }

  /** Raises {@link #STORM} alerts from {@link #THREADS} threads; returns the largest queue seen. */
  private int storm() throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger largest = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int id = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < STORM / THREADS; i++) {
                  monitoring.alerts().alertQueueFailure("queue-" + (i % 16), null, null);
                  if (i % 100 == 0) {
                    largest.accumulateAndGet(DeliveryProbe.of(monitoring).queued(), Math::max);
                  }
                }
              },
              "storm-" + id);
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join(60_000);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> DeliveryProbe.of(monitoring).queued() == 0);
    return largest.get();
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  @Test
  void theQueueStaysBoundedAndEveryDropIsCounted() throws InterruptedException {
    long started = System.nanoTime();
    int largest = storm();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(took).isLessThan(Duration.ofSeconds(20));
    assertThat(largest).isLessThanOrEqualTo(CAPACITY);
    assertThat(DeliveryProbe.of(monitoring).backlog("webhook")).isEqualTo(CAPACITY);
    assertThat(dropped()).isEqualTo(STORM - CAPACITY);
    assertThat(
            counter(
                    monitoring,
                    "vigil_alerts_dropped_total",
                    "channel",
                    "webhook",
                    "reason",
                    "queue_full")
                + counter(
                    monitoring,
                    "vigil_alerts_dropped_total",
                    "channel",
                    "webhook",
                    "reason",
                    "backlog_full"))
        .isEqualTo(STORM - CAPACITY);
    await()
        .untilAsserted(
            () ->
                assertThat(
                        counter(
                            monitoring,
                            "vigil_alerts_retried_total",
                            "channel",
                            "webhook",
                            "reason",
                            "connect_error"))
                    .isEqualTo(1.0));
    assertThat(DeliveryProbe.of(monitoring).attempts("webhook")).isEqualTo(1);
    assertThat(counter(monitoring, "vigil_alerts_sent_total")).isZero();
    assertThat(counter(monitoring, "vigil_alerts_failed_total")).isZero();
    assertThat(counter(monitoring, "vigil_alerts_dropped_total", "channel", "log")).isZero();
  }

  @Test
  void theHeapDoesNotGrowFromOneStormToTheNext() throws InterruptedException {
    storm();
    long afterFirst = usedHeapAfterGc();

    storm();
    storm();
    long afterThird = usedHeapAfterGc();

    assertThat(dropped()).isEqualTo(3L * STORM - CAPACITY);
    assertThat(DeliveryProbe.of(monitoring).backlog("webhook")).isEqualTo(CAPACITY);
    assertThat(afterThird - afterFirst)
        .as("heap growth over two more storms of %d alerts", STORM)
        .isLessThan(16L * 1024 * 1024);
  }

  @Test
  void aStormOfOneAlertIsMergedNotQueued() throws InterruptedException {
    monitoring.close();
    monitoring =
        Monitoring.builder("storm")
            .metricsEnabled(false)
            .jvmMetrics(false)
            .ticker(time)
            .clock(time.clock())
            .alertWebhook("http://127.0.0.1:" + FreePort.find() + "/hook")
            .alerting(a -> a.queueCapacity(CAPACITY).closeTimeout(Duration.ZERO))
            .build();

    for (int i = 0; i < STORM; i++) {
      monitoring.alerts().alertQueueFailure("image-generation", null, null);
    }

    await().until(() -> DeliveryProbe.of(monitoring).queued() == 0);
    assertThat(DeliveryProbe.of(monitoring).backlog("webhook")).isEqualTo(1);
    assertThat(
            counter(
                monitoring,
                "vigil_alerts_suppressed_total",
                "channel",
                "webhook",
                "reason",
                "cooldown"))
        .isEqualTo(STORM - 1);
    assertThat(dropped()).isZero();
  }
}
