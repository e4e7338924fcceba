package dev.vigil.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The hand-off buffer: nothing lost or doubled under contention, and full means dropped. */
class EventBufferTest {

  @Test
  void concurrentProducersAndOneConsumer_everyEventIsTakenOnceOrCountedAsDropped()
      throws Exception {
    EventBuffer buffer = new EventBuffer(1024);
    int producers = 4;
    int batches = 2000;
    int batch = 50;
    CountDownLatch start = new CountDownLatch(1);
    Thread[] threads = new Thread[producers];
    for (int t = 0; t < producers; t++) {
      int id = t;
      threads[t] =
          new Thread(
              () -> {
                String[] ids = new String[batch];
                long[] tokens = new long[batch];
                long[] costs = new long[batch];
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int b = 0; b < batches; b++) {
                  for (int i = 0; i < batch; i++) {
                    ids[i] = id + ":" + b + ":" + i;
                    tokens[i] = i % 2; // half interactions, half spends of 1 token
                    costs[i] = 7;
                  }
                  buffer.offer(ids, tokens, costs, 0, batch);
                }
              });
      threads[t].start();
    }
    Set<String> taken = new HashSet<>();
    long[] duplicates = {0};
    AtomicBoolean done = new AtomicBoolean();
    start.countDown();
    while (!done.get()) {
      done.set(true);
      for (Thread t : threads) {
        if (t.isAlive()) {
          done.set(false);
        }
      }
      buffer.drainTo(
          (user, tokens, cost) -> {
            if (!taken.add(user)) {
              duplicates[0]++;
            }
            assertThat(cost).isEqualTo(7);
          });
    }
    buffer.drainTo((user, tokens, cost) -> taken.add(user));
    long total = (long) producers * batches * batch;
    assertThat(duplicates[0]).isZero();
    assertThat(taken.size() + buffer.droppedActivity() + buffer.droppedSpend()).isEqualTo(total);
    assertThat(buffer.size()).isZero();
  }

  @Test
  void aFullBufferDropsTheRestOfABatchAndCountsItByKind() {
    EventBuffer buffer = new EventBuffer(4);
    String[] ids = {"a", "b", "c", "d", "e", "f"};
    long[] tokens = {0, 0, 5, 0, 9, 0};
    buffer.offer(ids, tokens, new long[6], 0, 6);
    assertThat(buffer.size()).isEqualTo(4);
    assertThat(buffer.droppedSpend()).isEqualTo(1); // e
    assertThat(buffer.droppedActivity()).isEqualTo(1); // f
    StringBuilder seen = new StringBuilder();
    assertThat(buffer.drainTo((user, t, c) -> seen.append(user).append(t))).isEqualTo(4);
    assertThat(seen.toString()).isEqualTo("a0b0c5d0");
  }
}
