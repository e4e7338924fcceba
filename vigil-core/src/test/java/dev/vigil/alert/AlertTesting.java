package dev.vigil.alert;

import static org.awaitility.Awaitility.await;

import dev.vigil.Monitoring;
import dev.vigil.Ticker;
import dev.vigil.alert.internal.DeliveryProbe;
import dev.vigil.internal.Family;
import dev.vigil.internal.Internals;
import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Shared by the alert tests: a fake time source, a recording channel, counter reads. */
final class AlertTesting {
  static final Instant ORIGIN = Instant.parse("2025-03-01T12:00:00Z");

  private AlertTesting() {}

  /** Monotonic ticker and wall clock moved together by hand. */
  static final class TestTime implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
      return nanos.get();
    }

    Instant now() {
      return ORIGIN.plusNanos(nanos.get() - 1_000_000_000L);
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }

    Clock clock() {
      TestTime time = this;
      return new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return time.now();
        }
      };
    }
  }

  /** A channel that keeps what it is given: the same interface vigil-sentry implements. */
  static final class RecordingChannel implements AlertChannel {
    final List<Notification> received = new CopyOnWriteArrayList<>();
    private final String name;
    private final boolean receivesHandledErrors;

    RecordingChannel(String name) {
      this(name, false);
    }

    /** A channel that, like Sentry, also receives what handleError reports. */
    RecordingChannel(String name, boolean receivesHandledErrors) {
      this.name = name;
      this.receivesHandledErrors = receivesHandledErrors;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean receivesHandledErrors() {
      return receivesHandledErrors;
    }

    @Override
    public CompletionStage<Delivery> deliver(Notification notification) {
      received.add(notification);
      return CompletableFuture.completedFuture(Delivery.sent());
    }
  }

  /**
   * Moves time, wakes the delivery thread and waits until it has run a full loop since: what was
   * due by the new time has been started (HTTP answers may still be on their way).
   */
  static void advance(Monitoring monitoring, TestTime time, Duration d) {
    time.advance(d);
    settle(monitoring);
  }

  /** Waits until the delivery thread has run a full loop after this call. */
  static void settle(Monitoring monitoring) {
    long loops = DeliveryProbe.of(monitoring).deliveryLoops();
    DeliveryProbe.of(monitoring).wake();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(2))
        .until(
            () -> {
              DeliveryProbe.of(monitoring).wake();
              return DeliveryProbe.of(monitoring).deliveryLoops() >= loops + 2;
            });
  }

  /** The value of a counter series by its exposed name and label pairs; 0 if absent. */
  static double counter(Monitoring monitoring, String name, String... labelPairs) {
    Family<?> family = Internals.of(monitoring).core().family(name);
    if (family == null) {
      return 0;
    }
    MetricSnapshot snapshot = family.collect();
    double sum = 0;
    for (CounterSnapshot.CounterDataPointSnapshot point :
        ((CounterSnapshot) snapshot).getDataPoints()) {
      boolean all = true;
      for (int i = 0; i < labelPairs.length; i += 2) {
        if (!labelPairs[i + 1].equals(point.getLabels().get(labelPairs[i]))) {
          all = false;
          break;
        }
      }
      if (all) {
        sum += point.getValue();
      }
    }
    return sum;
  }
}
