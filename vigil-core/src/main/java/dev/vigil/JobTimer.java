package dev.vigil;

import dev.vigil.internal.HistogramCell;
import org.jspecify.annotations.Nullable;

/**
 * Times one queue job into {@code queue_job_duration_seconds{queue_name,job_type}}. Use it with
 * try-with-resources, or call {@link #stop()} to get the duration recorded.
 *
 * <pre>{@code
 * try (JobTimer timer = monitoring.metrics().startJobTimer("image-generation", "dalle-3")) {
 *   generateImage(job);
 * }
 * }</pre>
 *
 * <p>A timer belongs to the job that started it and is not shared between threads. Only the first
 * {@code stop()} or {@code close()} records; later calls return the same duration.
 */
public final class JobTimer implements AutoCloseable {
  private final @Nullable HistogramCell cell;
  private final Ticker ticker;
  private final long startNanos;
  private double seconds = -1;

  JobTimer(@Nullable HistogramCell cell, Ticker ticker) {
    this.cell = cell;
    this.ticker = ticker;
    this.startNanos = ticker.read();
  }

  /**
   * Records the time since the timer started, once.
   *
   * @return the recorded duration in seconds
   */
  public double stop() {
    if (seconds < 0) {
      seconds = Math.max(0L, ticker.read() - startNanos) / 1e9;
      if (cell != null) {
        cell.observe(seconds);
      }
    }
    return seconds;
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }
}
