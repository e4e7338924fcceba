package dev.vigil.logback.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.vigil.Redactor;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.event.KeyValuePair;

/**
 * The fields of one event as Vigil writes them, shared by the JSON encoder and the readable layout:
 * the service and environment, then the MDC entries (the log context ids), then the key-value
 * pairs, all redacted.
 *
 * <p>A key-value pair wins over an MDC entry of the same name. A field named like one of the line's
 * own fields ({@code timestamp}, {@code level}, {@code message}, ...) is written as {@code
 * fields.<name>}, so that no line has two members of one name.
 */
public final class EventFields {
  public static final String SERVICE = "service";
  public static final String ENVIRONMENT = "environment";

  static final Set<String> RESERVED =
      Set.of(
          "timestamp", "level", "logger", "thread", "message", "stack_trace", SERVICE, ENVIRONMENT);

  /** Receives the fields of an event, one at a time. */
  public interface Sink {
    void field(String name, @Nullable Object value) throws IOException;
  }

  private EventFields() {}

  /** The event's service: its {@code service} key-value pair, else the context's. */
  public static String service(ILoggingEvent event, LogIdentity identity) {
    Object value = pair(event, SERVICE);
    return value == null ? identity.service() : value.toString();
  }

  public static String environment(ILoggingEvent event, LogIdentity identity) {
    Object value = pair(event, ENVIRONMENT);
    return value == null ? identity.environment() : value.toString();
  }

  /** Passes the MDC entries and the key-value pairs, redacted, to {@code sink}. */
  public static void forEach(ILoggingEvent event, Redactor redactor, Sink sink) throws IOException {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      for (Map.Entry<String, String> entry : mdc.entrySet()) {
        String key = entry.getKey();
        if (key == null || hasPair(pairs, key)) {
          continue;
        }
        sink.field(
            name(key),
            redactor.isSensitiveKey(key) ? Redactor.MASK : redactor.redactText(entry.getValue()));
      }
    }
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        String key = pair.key;
        if (key == null || SERVICE.equals(key) || ENVIRONMENT.equals(key)) {
          continue;
        }
        sink.field(
            name(key),
            redactor.isSensitiveKey(key) ? Redactor.MASK : redactor.redactValue(pair.value));
      }
    }
  }

  private static String name(String key) {
    return RESERVED.contains(key) ? "fields." + key : key;
  }

  private static boolean hasPair(@Nullable List<KeyValuePair> pairs, String key) {
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        if (key.equals(pair.key)) {
          return true;
        }
      }
    }
    return false;
  }

  private static @Nullable Object pair(ILoggingEvent event, String key) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        if (key.equals(pair.key)) {
          return pair.value;
        }
      }
    }
    return null;
  }
}
