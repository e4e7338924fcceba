package dev.vigil.sentry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Monitoring;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.spi.AlertChannelContract;
import io.sentry.Sentry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The {@code sentry} channel through the contract, with the real Sentry SDK sending its envelopes
 * to the contract's receiver. What people read is the event's message. Sentry's own ingestion trims
 * a message past 8,192 characters.
 *
 * <p>The channel hands each event to the SDK, whose own thread sends it, retries it or drops it
 * under its rate limits; {@code deliver()} is done before any HTTP answer exists, so none of the
 * HTTP faults reaches Vigil's delivery and they do not apply here. The rate limit, the thrown
 * exceptions beside it, the secrets and the size limit do.
 */
class SentryChannelContractTest extends AlertChannelContract {
  private static final String WHY =
      "the channel queues each event in the Sentry SDK and is done: the SDK's own thread sends it"
          + " and owns what an HTTP answer, a timeout or a refused connection means";
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterEach
  void closeSentry() {
    if (Sentry.isEnabled()) {
      Sentry.close();
    }
  }

  @Override
  protected String channel() {
    return "sentry";
  }

  @Override
  protected void configure(Monitoring.Builder builder, Target target) {
    // The DSN's public key goes out with every envelope by design (the SDK's auth header and the
    // envelope header), so it is not one of the planted secrets here.
    builder.extension(
        SentryReporter.builder()
            .dsn("http://publickey@127.0.0.1:" + target.port() + "/1")
            .flushTimeout(Duration.ofMillis(500))
            .build());
  }

  /** The event envelopes only: the SDK also sends client reports of its own. */
  @Override
  protected List<String> received(Target target) {
    List<String> messages = new ArrayList<>();
    for (HttpReceiver.Request request : target.requests()) {
      JsonNode event = event(request.body());
      if (event != null) {
        messages.add(event.at("/message/formatted").asText());
      }
    }
    return messages;
  }

  @Override
  protected String message(HttpReceiver.Request request) {
    JsonNode event = event(request.body());
    return event == null ? "" : event.at("/message/formatted").asText();
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

  /** The event item of an envelope (a header line, then an item header and a payload per item). */
  private static JsonNode event(String envelope) {
    String[] lines = envelope.split("\n");
    for (int i = 1; i + 1 < lines.length; i++) {
      JsonNode header = parse(lines[i]);
      if ("event".equals(header.path("type").asText())) {
        return parse(lines[i + 1]);
      }
    }
    return null;
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + line, e);
    }
  }
}
