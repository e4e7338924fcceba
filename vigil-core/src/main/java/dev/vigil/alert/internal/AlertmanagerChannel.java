package dev.vigil.alert.internal;

import dev.vigil.internal.JsonWriter;
import dev.vigil.spi.Notification;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Posts each notification to Alertmanager's API v2 ({@code POST /api/v2/alerts}) as one alert.
 *
 * <p>Labels identify the alert and stay the same while it repeats, so Alertmanager keeps one alert
 * per key: {@code alertname} ({@code Vigil} and the type in CamelCase), {@code service}, {@code
 * severity}, {@code type} and the grouping fields. Everything else, payment ids included, goes to
 * annotations, which Alertmanager replaces on each post: {@code summary}, {@code description},
 * {@code occurrences}, {@code first_seen}, {@code environment} and the context.
 *
 * <p>{@code startsAt} is the first occurrence of the run of repeats and {@code endsAt} the latest
 * occurrence plus the resolve timeout: each notification extends the alert, and when the repeats
 * stop Alertmanager resolves it by itself.
 */
final class AlertmanagerChannel extends HttpChannel {
  static final int MAX_ANNOTATION_LENGTH = 1024;
  private static final Set<String> OWN_ANNOTATIONS =
      Set.of("summary", "description", "occurrences", "first_seen", "environment");

  private final URI uri;
  private final Duration resolveTimeout;

  AlertmanagerChannel(
      URI baseUrl,
      Duration resolveTimeout,
      HttpClient client,
      Duration timeout,
      Secrets secrets,
      Clock clock) {
    super(client, timeout, secrets, clock);
    String base = baseUrl.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.uri = URI.create(base.endsWith("/api/v2/alerts") ? base : base + "/api/v2/alerts");
    this.resolveTimeout = resolveTimeout;
  }

  @Override
  public String name() {
    return "alertmanager";
  }

  @Override
  URI uri() {
    return uri;
  }

  @Override
  String body(Notification n) {
    Instant startsAt = n.episodeStart().isAfter(n.time()) ? n.time() : n.episodeStart();
    JsonWriter json = new JsonWriter().beginArray().beginObject();
    json.name("labels").beginObject();
    for (Map.Entry<String, String> label : labels(n).entrySet()) {
      json.name(label.getKey()).value(label.getValue());
    }
    json.endObject();
    json.name("annotations").beginObject();
    for (Map.Entry<String, String> annotation : annotations(n).entrySet()) {
      json.name(annotation.getKey()).value(annotation.getValue());
    }
    json.endObject();
    json.name("startsAt").value(startsAt.toString());
    json.name("endsAt").value(n.time().plus(resolveTimeout).toString());
    return json.endObject().endArray().toString();
  }

  static Map<String, String> labels(Notification n) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", n.alertname());
    labels.put("service", n.service());
    labels.put("severity", n.severity().label());
    labels.put("type", n.type());
    labels.putAll(n.grouping());
    return labels;
  }

  static Map<String, String> annotations(Notification n) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", Text.truncate(Text.oneLine(n.message()), MAX_ANNOTATION_LENGTH));
    StringBuilder description = new StringBuilder(n.message());
    String repeats = n.repeatSummary();
    if (repeats != null) {
      description.append('\n').append(repeats);
    }
    for (Map.Entry<String, ?> e : n.context().entrySet()) {
      description.append('\n').append(e.getKey()).append(": ").append(Text.show(e.getValue()));
    }
    annotations.put(
        "description", Text.truncate(description.toString(), 4 * MAX_ANNOTATION_LENGTH));
    annotations.put("occurrences", Long.toString(n.occurrences()));
    annotations.put("first_seen", n.firstSeen().toString());
    annotations.put("environment", n.environment());
    for (Map.Entry<String, ?> e : n.context().entrySet()) {
      String name = annotationName(e.getKey());
      if (OWN_ANNOTATIONS.contains(name) || annotations.containsKey(name)) {
        name = "context_" + name;
      }
      annotations.putIfAbsent(name, Text.truncate(Text.show(e.getValue()), MAX_ANNOTATION_LENGTH));
    }
    return annotations;
  }

  /** A valid Alertmanager label name: other characters become {@code _}. */
  static String annotationName(String key) {
    StringBuilder out = new StringBuilder(Math.min(key.length(), 64) + 1);
    for (int i = 0; i < key.length() && out.length() < 64; i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (c >= '0' && c <= '9' && out.length() > 0);
      if (!ok && c >= '0' && c <= '9') {
        out.append('_').append(c);
      } else {
        out.append(ok ? c : '_');
      }
    }
    return out.length() == 0 ? "_" : out.toString();
  }
}
