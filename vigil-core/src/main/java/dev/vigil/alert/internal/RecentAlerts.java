package dev.vigil.alert.internal;

import dev.vigil.spi.Notification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The last notifications the delivery thread prepared and what became of each on each channel, plus
 * the latest outcome per channel: what the KPI page shows under "alerts". Written by the delivery
 * thread only; read by the page's HTTP thread through {@link #snapshot()}.
 *
 * <p>Bounded: {@value #CAPACITY} notifications, each keeping its type, severity, time, occurrences
 * and the first {@value #MAX_MESSAGE_LENGTH} characters of its (already redacted) message, never
 * the notification or its context; one entry per registered channel.
 */
public final class RecentAlerts {
  public static final int CAPACITY = 20;
  static final int MAX_MESSAGE_LENGTH = 300;

  /** What became of a notification on one channel. */
  public enum Outcome {
    PENDING,
    RETRYING,
    SENT,
    FAILED,
    DROPPED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Entry[] ring = new Entry[CAPACITY];
  private int next; // guarded by this
  private final Map<String, ChannelOutcome> latest = new LinkedHashMap<>(); // guarded by this

  /** Starts the record of a prepared notification. */
  synchronized Entry add(Notification n) {
    String message = n.message();
    Entry e =
        new Entry(
            n.time(),
            n.type(),
            n.severity().label(),
            message.length() > MAX_MESSAGE_LENGTH
                ? message.substring(0, MAX_MESSAGE_LENGTH - 1) + "…"
                : message,
            n.occurrences());
    ring[next] = e;
    next = (next + 1) % CAPACITY;
    return e;
  }

  /** What happened to {@code entry} on {@code channel}; also the channel's latest outcome. */
  synchronized void update(Entry entry, String channel, Outcome outcome, @Nullable String reason) {
    ChannelOutcome o = new ChannelOutcome(channel, outcome, reason);
    entry.outcomes.put(channel, o);
    if (outcome != Outcome.PENDING) {
      latest.put(channel, o);
    }
  }

  /** The recorded notifications, newest first, and each channel's latest outcome. */
  public synchronized Snapshot snapshot() {
    List<Alert> alerts = new ArrayList<>(CAPACITY);
    for (int i = 1; i <= CAPACITY; i++) {
      Entry e = ring[(next - i + CAPACITY) % CAPACITY];
      if (e == null) {
        break;
      }
      alerts.add(
          new Alert(
              e.time,
              e.type,
              e.severity,
              e.message,
              e.occurrences,
              List.copyOf(e.outcomes.values())));
    }
    return new Snapshot(alerts, List.copyOf(latest.values()));
  }

  /** A notification as the page shows it. */
  public record Alert(
      Instant time,
      String type,
      String severity,
      String message,
      long occurrences,
      List<ChannelOutcome> channels) {}

  /** An outcome on one channel; {@code reason} as in {@code vigil_alerts_failed_total}. */
  public record ChannelOutcome(String channel, Outcome outcome, @Nullable String reason) {}

  /** The recent notifications, newest first, and the latest outcome of each channel. */
  public record Snapshot(List<Alert> alerts, List<ChannelOutcome> latestByChannel) {}

  /** One notification's record, kept by its delivery attempts. */
  static final class Entry {
    final Instant time;
    final String type;
    final String severity;
    final String message;
    final long occurrences;
    final Map<String, ChannelOutcome> outcomes = new LinkedHashMap<>(); // guarded by the owner

    Entry(Instant time, String type, String severity, String message, long occurrences) {
      this.time = time;
      this.type = type;
      this.severity = severity;
      this.message = message;
      this.occurrences = occurrences;
    }
  }
}
