package dev.vigil.alert.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedQueueTest {

  @Test
  void aFullQueueRefusesAtOnce() {
    BoundedQueue<String> queue = new BoundedQueue<>(2);
    assertThat(queue.offer("a")).isTrue();
    assertThat(queue.offer("b")).isTrue();
    assertThat(queue.offer("c")).isFalse();
    assertThat(queue.poll()).isEqualTo("a");
    assertThat(queue.offer("c")).isTrue();
    assertThat(queue.size()).isEqualTo(2);
  }

  @Test
  void concurrentProducersNeverOverfillItAndEveryElementIsAccountedFor() throws Exception {
    BoundedQueue<Integer> queue = new BoundedQueue<>(100);
    int producers = 4;
    int perProducer = 100_000;
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong consumed = new AtomicLong();
    AtomicInteger largest = new AtomicInteger();
    AtomicBoolean producing = new AtomicBoolean(true);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perProducer; i++) {
                  if (queue.offer(i)) {
                    accepted.incrementAndGet();
                  } else {
                    refused.incrementAndGet();
                  }
                }
              });
      t.start();
      threads.add(t);
    }
    Thread consumer =
        new Thread(
            () -> {
              while (producing.get() || !queue.isEmpty()) {
                largest.accumulateAndGet(queue.size(), Math::max);
                if (queue.poll() != null) {
                  consumed.incrementAndGet();
                }
              }
            });
    consumer.start();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    producing.set(false);
    consumer.join();

    assertThat(accepted.get() + refused.get()).isEqualTo((long) producers * perProducer);
    assertThat(consumed.get()).isEqualTo(accepted.get());
    assertThat(largest.get()).isLessThanOrEqualTo(100);
    assertThat(queue.size()).isZero();
  }
}
