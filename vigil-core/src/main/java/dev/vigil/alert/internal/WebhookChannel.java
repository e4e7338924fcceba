package dev.vigil.alert.internal;

import dev.vigil.internal.JsonWriter;
import dev.vigil.spi.Notification;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs each notification as one JSON object to a URL:
 *
 * <pre>{@code
 * {"type":"queue_failure","severity":"error","message":"Job failed in queue image-generation: ...",
 *  "service":"worker","environment":"production","time":"2025-01-31T12:00:05Z",
 *  "first_seen":"2025-01-31T12:00:00Z","occurrences":3,
 *  "grouping":{"queue_name":"image-generation"},"context":{"jobId":"job-42"}}
 * }</pre>
 */
final class WebhookChannel extends HttpChannel {
  private final URI uri;

  WebhookChannel(URI uri, HttpClient client, Duration timeout, Secrets secrets, Clock clock) {
    super(client, timeout, secrets, clock);
    this.uri = uri;
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  URI uri() {
    return uri;
  }

  @Override
  String body(Notification n) {
    JsonWriter json = new JsonWriter().beginObject();
    json.name("type").value(n.type());
    json.name("severity").value(n.severity().label());
    json.name("message").value(n.message());
    json.name("service").value(n.service());
    json.name("environment").value(n.environment());
    json.name("time").value(n.time().toString());
    json.name("first_seen").value(n.firstSeen().toString());
    json.name("occurrences").value(n.occurrences());
    json.name("grouping").beginObject();
    for (Map.Entry<String, String> e : n.grouping().entrySet()) {
      json.name(e.getKey()).value(e.getValue());
    }
    json.endObject();
    json.name("context");
    Text.write(json, n.context());
    return json.endObject().toString();
  }
}
