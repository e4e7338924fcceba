package dev.vigil.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spi.SharedUserActivity;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The hand-off buffer: nothing lost or doubled under contention, and full means dropped. */
class EventBufferTest {

  /** Records what it is handed; interactions by hash, spends by id. */
  private static final class Recorder implements EventBuffer.Sink {
    final Set<String> taken = new HashSet<>();
    final StringBuilder order = new StringBuilder();
    long duplicates;

    @Override
    public void activity(long userHash) {
      take("#" + userHash);
      order.append('#').append(userHash).append(' ');
    }

    @Override
    public void spend(String userId, long tokens, long costNanos) {
      assertThat(costNanos).isEqualTo(7);
      take(userId + "=" + tokens);
      order.append(userId).append('=').append(tokens).append(' ');
    }

    private void take(String event) {
      if (!taken.add(event)) {
        duplicates++;
      }
    }
  }

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
                long[] hashes = new long[batch];
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
                    hashes[i] = tokens[i] == 0 ? SharedUserActivity.userHash(ids[i]) : 0;
                    costs[i] = 7;
                  }
                  buffer.offer(ids, hashes, tokens, costs, 0, batch);
                }
              });
      threads[t].start();
    }
    Recorder recorder = new Recorder();
    AtomicBoolean done = new AtomicBoolean();
    start.countDown();
    while (!done.get()) {
      done.set(true);
      for (Thread t : threads) {
        if (t.isAlive()) {
          done.set(false);
        }
      }
      buffer.drainTo(recorder);
    }
    buffer.drainTo(recorder);
    long total = (long) producers * batches * batch;
    assertThat(recorder.duplicates).isZero();
    assertThat(recorder.taken.size() + buffer.droppedActivity() + buffer.droppedSpend())
        .isEqualTo(total);
    assertThat(buffer.size()).isZero();
  }

  @Test
  void aFullBufferDropsTheRestOfABatchAndCountsItByKind_nullIdsAreSkipped() {
    EventBuffer buffer = new EventBuffer(8);
    String[] ids = {"a", null, "c", "d", null, "f", "g", "h", "i", "j"};
    long[] tokens = {0, 0, 5, 0, 3, 0, 0, 0, 9, 0};
    long[] hashes = {11, 0, 0, 14, 0, 16, 17, 0, 0, 20};
    long[] costs = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
    buffer.offer(ids, hashes, tokens, costs, 0, 10);
    assertThat(buffer.size()).isEqualTo(8);
    assertThat(buffer.droppedSpend()).isEqualTo(1); // i
    assertThat(buffer.droppedActivity()).isEqualTo(1); // j
    Recorder recorder = new Recorder();
    assertThat(buffer.drainTo(recorder)).isEqualTo(8);
    // h's hash is 0, the empty slot, so it is kept as 1
    assertThat(recorder.order.toString()).isEqualTo("#11 c=5 #14 #16 #17 #1 ");
    assertThat(buffer.size()).isZero();
  }
}
