package dev.vigil.testkit.spi;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.vigil.Monitoring;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.LogCapture;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Vigil's log channel, always present: each notification is one line on the {@code
 * dev.vigil.alerts} logger, which is what it "received".
 */
class LogChannelContractTest extends AlertChannelContract {
  private static final String WHY =
      "the log channel writes to SLF4J on the delivery thread: there is no HTTP answer, no"
          + " connection to refuse and nothing to wait for";

  private LogCapture lines;

  @BeforeEach
  void captureAlertLines() {
    lines = LogCapture.of("dev.vigil.alerts");
  }

  @AfterEach
  void stopCapturing() {
    lines.close();
  }

  @Override
  protected String channel() {
    return "log";
  }

  @Override
  protected void configure(Monitoring.Builder builder, Target target) {
    // always there
  }

  @Override
  protected List<String> received(Target target) {
    return lines.events().stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("Alert ["))
        .collect(Collectors.toList());
  }

  @Override
  protected String message(HttpReceiver.Request request) {
    throw new UnsupportedOperationException("the log channel sends no requests");
  }

  @Override
  protected int maxMessageLength() {
    return 8192;
  }

  @Override
  protected Map<Fault, String> notApplicable() {
    return Map.of(
        Fault.SUCCESS_STATUSES, WHY,
        Fault.RETRYABLE_STATUSES, WHY,
        Fault.RETRY_AFTER, WHY,
        Fault.CLIENT_ERRORS, WHY,
        Fault.TIMEOUT, WHY,
        Fault.CONNECTION_REFUSED, WHY);
  }
}
