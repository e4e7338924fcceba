package dev.vigil.alert.internal;

import dev.vigil.Redactor;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The configured secrets (bot token, webhook URLs and their paths), scrubbed from any text Vigil
 * writes about deliveries: exception messages from the HTTP client can quote a request URI, and
 * the Telegram URI carries the bot token. The shared {@link Redactor}'s text rules run as well.
 */
public final class Secrets {
  private final List<String> values;
  private final Redactor redactor;

  public Secrets(List<String> secrets, Redactor redactor) {
    List<String> kept = new ArrayList<>();
    for (String s : secrets) {
      if (s != null && s.length() >= 4) {
        kept.add(s);
      }
    }
    // Longest first, so a full URL is replaced before its path is.
    kept.sort(Comparator.comparingInt(String::length).reversed());
    this.values = List.copyOf(kept);
    this.redactor = redactor;
  }

  /** {@code text} without any configured secret, then through the redactor's text rules. */
  public String scrub(@Nullable String text) {
    if (text == null) {
      return "";
    }
    String out = text;
    for (String secret : values) {
      if (out.contains(secret)) {
        out = out.replace(secret, Redactor.MASK);
      }
    }
    return redactor.redactText(out);
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
