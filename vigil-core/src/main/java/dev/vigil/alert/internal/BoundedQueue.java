package dev.vigil.alert.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A bounded multi-producer queue whose {@link #offer} never blocks or waits for a lock: a permit is
 * taken by compare-and-set before the element is linked in, so the queue never holds more than its
 * capacity, and a full queue answers {@code false} at once.
 */
final class BoundedQueue<T> {
  private final int capacity;
  private final AtomicInteger size = new AtomicInteger();
  private final ConcurrentLinkedQueue<T> elements = new ConcurrentLinkedQueue<>();

  BoundedQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Adds {@code element} unless the queue is full. */
  boolean offer(T element) {
    for (; ; ) {
      int n = size.get();
      if (n >= capacity) {
        return false;
      }
      if (size.compareAndSet(n, n + 1)) {
        elements.offer(element);
        return true;
      }
    }
  }

  @Nullable T poll() {
    T element = elements.poll();
    if (element != null) {
      size.decrementAndGet();
    }
    return element;
  }

  /** Elements queued, or about to be: never more than the capacity. */
  int size() {
    return size.get();
  }

  boolean isEmpty() {
    return size.get() == 0;
  }

  int capacity() {
    return capacity;
  }
}
