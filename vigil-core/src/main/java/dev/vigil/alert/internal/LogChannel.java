package dev.vigil.alert.internal;

import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Writes every notification to the {@code dev.vigil.alerts} logger: INFO for info, WARN for
 * warning, ERROR for error and critical. Always present, so an alert is on record even when no
 * other channel is configured or all of them fail.
 */
final class LogChannel implements AlertChannel {
  static final String LOGGER = "dev.vigil.alerts";
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
    String format = "Alert [{}] {} {}{}: {} context={}";
    Object[] args = {
      n.severity().label(),
      n.type(),
      n.grouping().isEmpty() ? "" : n.grouping() + " ",
      n.occurrences() > 1 ? "x" + n.occurrences() + " since " + n.firstSeen() : "x1",
      n.message(),
      n.context()
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
    event.log(format, args);
    return SENT;
  }
}
