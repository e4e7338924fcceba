package dev.vigil.alert.internal;

import dev.vigil.MetricCatalog;
import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.CounterCell;
import dev.vigil.internal.CounterFamily;
import org.jspecify.annotations.Nullable;

/**
 * The {@code vigil_alerts_*} self-metrics. Lookups go through the families' lock-free label tables,
 * so counting on a caller's thread allocates nothing once a channel and reason were seen.
 */
final class AlertMetrics {
  /** A repeat inside the cool-down, merged into a later notification. */
  static final String COOLDOWN = "cooldown";

  /** Another replica claimed the notification for this channel (a shared-store agreement). */
  static final String CLUSTER_DUPLICATE = "cluster_duplicate";

  /** The delivery queue was full when the alert was raised. */
  static final String QUEUE_FULL = "queue_full";

  /** The channel's own queue was full (it is slow, failing or rate-limited). */
  static final String BACKLOG_FULL = "backlog_full";

  /** Raised after {@code close()}. */
  static final String CLOSED = "closed";

  /** The alert could not be turned into a notification (its error or context threw). */
  static final String UNPREPARABLE = "unpreparable";

  /** Still undelivered when {@code close()} ran out of time. */
  static final String CLOSE_DEADLINE = "close_deadline";

  private final CounterFamily sent;
  private final CounterFamily failed;
  private final CounterFamily retried;
  private final CounterFamily suppressed;
  private final CounterFamily dropped;

  AlertMetrics(CoreMetrics core) {
    this.sent = core.counter(MetricCatalog.ALERTS_SENT);
    this.failed = core.counter(MetricCatalog.ALERTS_FAILED);
    this.retried = core.counter(MetricCatalog.ALERTS_RETRIED);
    this.suppressed = core.counter(MetricCatalog.ALERTS_SUPPRESSED);
    this.dropped = core.counter(MetricCatalog.ALERTS_DROPPED);
  }

  void sent(String channel) {
    inc(sent.series(channel));
  }

  void failed(String channel, String reason) {
    inc(failed.series(channel, reason));
  }

  void retried(String channel, String reason) {
    inc(retried.series(channel, reason));
  }

  void suppressed(String channel, String reason) {
    inc(suppressed.series(channel, reason));
  }

  void dropped(String channel, String reason) {
    inc(dropped.series(channel, reason));
  }

  private static void inc(@Nullable CounterCell cell) {
    if (cell != null) {
      cell.inc();
    }
  }
}
