package dev.vigil.alert.internal;

import dev.vigil.Redactor;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The configured secrets (bot token, webhook URLs and their paths), scrubbed from any text Vigil
 * writes about deliveries: exception messages from the HTTP client can quote a request URI, and the
 * Telegram URI carries the bot token. The shared {@link Redactor}'s text rules run as well.
 */
public final class Secrets {
  static final int MIN_LENGTH = 12;

  private final List<String> values;
  private final Redactor redactor;

  /**
   * @param secrets the values to scrub; those shorter than {@value #MIN_LENGTH} characters are
   *     ignored, as they would mask ordinary words (a webhook path such as {@code /hook} is no
   *     secret)
   */
  public Secrets(List<String> secrets, Redactor redactor) {
    List<String> kept = new ArrayList<>();
    for (String s : secrets) {
      if (s != null && s.length() >= MIN_LENGTH) {
        kept.add(s);
      }
    }
    // Longest first, so a full URL is replaced before its path is.
    kept.sort(Comparator.comparingInt(String::length).reversed());
    this.values = List.copyOf(kept);
    this.redactor = redactor;
  }

  /**
   * {@code text} through the redactor's text rules, then without any configured secret. The
   * redactor goes first: a configured value replaced inside a URL could otherwise hide the URL from
   * the redactor's own patterns.
   */
  public String scrub(@Nullable String text) {
    if (text == null) {
      return "";
    }
    String out = redactor.redactText(text);
    for (String secret : values) {
      if (out.contains(secret)) {
        out = out.replace(secret, Redactor.MASK);
      }
    }
    return out;
  }

  /**
   * A redacted value with the configured secrets also scrubbed from its text, in nested maps and
   * lists too; other values are returned as they are.
   */
  public @Nullable Object scrubValue(@Nullable Object value) {
    if (values.isEmpty()) {
      return value;
    }
    if (value instanceof CharSequence) {
      String text = value.toString();
      for (String secret : values) {
        if (text.contains(secret)) {
          text = text.replace(secret, Redactor.MASK);
        }
      }
      return text;
    }
    if (value instanceof Map) {
      Map<Object, @Nullable Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        out.put(e.getKey(), scrubValue(e.getValue()));
      }
      return out;
    }
    if (value instanceof List) {
      List<@Nullable Object> out = new ArrayList<>();
      for (Object item : (List<?>) value) {
        out.add(scrubValue(item));
      }
      return out;
    }
    return value;
  }

  /**
   * A URL reduced to what identifies the server, safe to log: {@code https://hooks.slack.com/…}.
   * Paths, queries and user info can hold credentials (a Slack webhook's path is its secret).
   */
  public static String maskUrl(@Nullable URI uri) {
    if (uri == null) {
      return "none";
    }
    StringBuilder out = new StringBuilder();
    out.append(uri.getScheme()).append("://").append(uri.getHost());
    if (uri.getPort() >= 0) {
      out.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
      out.append("/…");
    }
    return out.toString();
  }
}
