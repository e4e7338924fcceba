package dev.vigil.internal;

import dev.vigil.Ticker;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs a warning at most once per key per interval and says how many were suppressed in between, so
 * a caller that sends bad input in a loop gets one clear line a minute, not a flood. Keys are
 * metric and reason pairs, which the catalogue bounds; the map is still capped in case a caller
 * declares custom metrics in a loop.
 */
public final class WarnLimiter {
  private static final int MAX_KEYS = 4096;

  private final Logger logger;
  private final Ticker ticker;
  private final long intervalNanos;
  private final @Nullable String service;
  private final @Nullable String environment;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  public WarnLimiter(Logger logger, Ticker ticker, long interval, TimeUnit unit) {
    this(logger, ticker, interval, unit, null, null);
  }

  /**
   * A limiter whose lines carry the {@code service} and {@code environment} of the monitoring that
   * warns, so that a JVM running several services tags each warning with its own (the log layouts
   * take them from the line before the logging context's).
   */
  public WarnLimiter(
      Logger logger,
      Ticker ticker,
      long interval,
      TimeUnit unit,
      @Nullable String service,
      @Nullable String environment) {
    this.logger = logger;
    this.ticker = ticker;
    this.intervalNanos = unit.toNanos(interval);
    this.service = service;
    this.environment = environment;
  }

  /**
   * Logs {@code message} at WARN unless the same key was logged within the interval.
   *
   * @return whether the message was logged
   */
  public boolean warn(String key, String message) {
    Window window = windows.get(key);
    if (window == null) {
      if (windows.size() >= MAX_KEYS) {
        windows.clear();
      }
      window = windows.computeIfAbsent(key, k -> new Window());
    }
    long now = ticker.read();
    long suppressed = window.tryOpen(now, intervalNanos);
    if (suppressed < 0) {
      return false;
    }
    LoggingEventBuilder event = logger.atWarn();
    if (service != null) {
      event = event.addKeyValue("service", service).addKeyValue("environment", environment);
    }
    if (suppressed == 0) {
      event.log(message);
    } else {
      event.log("{} ({} similar warnings suppressed since the last one)", message, suppressed);
    }
    return true;
  }

  private static final class Window {
    private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /** Returns -1 if suppressed, otherwise how many were suppressed before this one. */
    long tryOpen(long now, long intervalNanos) {
      long last = lastNanos.get();
      if (last != Long.MIN_VALUE && now - last < intervalNanos) {
        suppressed.incrementAndGet();
        return -1;
      }
      if (!lastNanos.compareAndSet(last, now)) {
        suppressed.incrementAndGet();
        return -1;
      }
      return suppressed.getAndSet(0);
    }
  }
}
