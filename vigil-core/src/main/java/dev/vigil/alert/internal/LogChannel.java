package dev.vigil.alert.internal;

import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes every notification to the {@code dev.vigil.alerts} logger: INFO for info, WARN for
 * warning, ERROR for error and critical. Always present, so an alert is on record even when no
 * other channel is configured or all of them fail.
 *
 * <p>The line holds at most {@value #MAX_LINE} characters: context values are cut to {@value
 * #MAX_VALUE} and the entries past the room left are counted, not shown. Log collectors split or
 * drop longer lines (Docker and the Kubernetes runtimes split at 16 KiB), and a split JSON line is
 * two broken ones.
 */
final class LogChannel implements AlertChannel {
  static final String LOGGER = "dev.vigil.alerts";
  static final int MAX_LINE = 8192;
  static final int MAX_VALUE = 1024;
  private static final String FORMAT = "Alert [{}] {} {}{}: {} context={}";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final CompletableFuture<Delivery> SENT =
      CompletableFuture.completedFuture(Delivery.sent());

  private final boolean tagsLines;

  LogChannel(boolean tagsLines) {
    this.tagsLines = tagsLines;
  }

  @Override
  public String name() {
    return "log";
  }

  @Override
  public CompletionStage<Delivery> deliver(Notification n) {
    boolean enabled;
    switch (n.severity()) {
      case INFO:
        enabled = LOG.isInfoEnabled();
        break;
      case WARNING:
        enabled = LOG.isWarnEnabled();
        break;
      default:
        enabled = LOG.isErrorEnabled();
    }
    if (!enabled) {
      return SENT;
    }
    String label = n.severity().label();
    String grouping = n.grouping().isEmpty() ? "" : n.grouping() + " ";
    String occurrences =
        n.occurrences() > 1 ? "x" + n.occurrences() + " since " + n.firstSeen() : "x1";
    int fixed =
        FORMAT.length()
            - 12
            + label.length()
            + n.type().length()
            + grouping.length()
            + occurrences.length()
            + n.message().length();
    Object[] args = {
      label, n.type(), grouping, occurrences, n.message(), context(n.context(), MAX_LINE - fixed)
    };
    LoggingEventBuilder event;
    switch (n.severity()) {
      case INFO:
        event = LOG.atInfo();
        break;
      case WARNING:
        event = LOG.atWarn();
        break;
      default:
        event = LOG.atError();
    }
    // The alert's own service and environment, not the last Monitoring's: a JVM may run several.
    if (tagsLines) {
      event = event.addKeyValue("service", n.service()).addKeyValue("environment", n.environment());
    }
    event.log(FORMAT, args);
    return SENT;
  }

  /** The context as {@code {key=value, ...}} in at most {@code room} characters. */
  static String context(Map<String, ?> context, int room) {
    StringBuilder out = new StringBuilder("{");
    int shown = 0;
    int total = context.size();
    for (Map.Entry<String, ?> e : context.entrySet()) {
      String entry =
          (shown == 0 ? "" : ", ")
              + Text.truncate(e.getKey(), 64)
              + "="
              + Text.truncate(Text.show(e.getValue()), MAX_VALUE);
      boolean last = shown == total - 1;
      String more = (shown == 0 ? "" : ", ") + "… " + (total - shown) + " more";
      if (out.length() + entry.length() + (last ? 0 : more.length()) + 1 > room) {
        out.append(more);
        break;
      }
      out.append(entry);
      shown++;
    }
    return out.append('}').toString();
  }
}
