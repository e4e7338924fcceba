package dev.vigil.alert.internal;

import dev.vigil.alert.Severity;
import dev.vigil.internal.JsonWriter;
import dev.vigil.spi.Notification;
import dev.vigil.spi.RateLimit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Sends each notification with the Bot API's {@code sendMessage} in HTML parse mode, into a chat
 * and optionally a forum topic ({@code message_thread_id}). Text is escaped ({@code &}, {@code <},
 * {@code >}) and the message kept within Telegram's 4,096 characters, cut after escaping so that no
 * entity or tag is broken. Rate-limited to 20 messages a minute, Telegram's limit for a group; a
 * 429 answer's {@code parameters.retry_after} is honoured.
 */
final class TelegramChannel extends HttpChannel {
  /** Telegram's limit on a message's text. */
  static final int MAX_LENGTH = 4096;

  static final int MAX_CONTEXT_LINES = 12;
  private static final int MAX_VALUE_LENGTH = 300;
  private static final Pattern RETRY_AFTER =
      Pattern.compile("\"retry_after\"\\s*:\\s*([0-9]{1,9})");
  private static final RateLimit LIMIT = RateLimit.of(20, Duration.ofMinutes(1), 1);

  private final URI uri;
  private final String chatId;
  private final @Nullable Long topicId;

  TelegramChannel(
      URI apiUrl,
      String botToken,
      String chatId,
      @Nullable Long topicId,
      HttpClient client,
      Duration timeout,
      Secrets secrets,
      Clock clock) {
    super(client, timeout, secrets, clock);
    String base = apiUrl.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.uri = URI.create(base + "/bot" + botToken + "/sendMessage");
    this.chatId = chatId;
    this.topicId = topicId;
  }

  @Override
  public String name() {
    return "telegram";
  }

  @Override
  public RateLimit rateLimit() {
    return LIMIT;
  }

  @Override
  URI uri() {
    return uri;
  }

  @Override
  String body(Notification n) {
    JsonWriter json = new JsonWriter().beginObject();
    json.name("chat_id").value(chatId);
    if (topicId != null) {
      json.name("message_thread_id").value(topicId.longValue());
    }
    json.name("text").value(html(n));
    json.name("parse_mode").value("HTML");
    json.name("disable_web_page_preview").value(true);
    return json.endObject().toString();
  }

  @Override
  long retryAfterNanos(HttpHeaders headers, String body) {
    long fromHeader = super.retryAfterNanos(headers, body);
    if (fromHeader >= 0) {
      return fromHeader;
    }
    Matcher m = RETRY_AFTER.matcher(body);
    return m.find() ? TimeUnit.SECONDS.toNanos(Long.parseLong(m.group(1))) : -1;
  }

  /** The message text: at most {@link #MAX_LENGTH} characters of HTML. */
  static String html(Notification n) {
    String head =
        emoji(n.severity())
            + " <b>"
            + n.severity().name()
            + "</b> "
            + escape(n.type())
            + " · "
            + escape(n.service())
            + " ("
            + escape(n.environment())
            + ")\n";
    String occurrences =
        n.occurrences() > 1
            ? "Occurred <b>"
                + n.occurrences()
                + "</b> times since "
                + Text.readable(n.firstSeen())
                + "\n"
            : "";
    StringBuilder grouping = new StringBuilder();
    for (Map.Entry<String, String> e : n.grouping().entrySet()) {
      grouping.append(line(e.getKey(), e.getValue()));
    }
    String foot = "<i>" + Text.readable(n.time()) + "</i>";
    int fixed = head.length() + occurrences.length() + grouping.length() + foot.length();
    int messageRoom = MAX_LENGTH - fixed - "<b></b>\n".length();
    StringBuilder out = new StringBuilder(Math.min(MAX_LENGTH, 1024));
    out.append(head)
        .append("<b>")
        .append(truncateEscaped(escape(n.message()), messageRoom))
        .append("</b>\n")
        .append(occurrences)
        .append(grouping);
    int shown = 0;
    int total = n.context().size();
    for (Map.Entry<String, ?> e : n.context().entrySet()) {
      String more = "… and " + (total - shown) + " more\n";
      if (shown == MAX_CONTEXT_LINES) {
        out.append(more);
        break;
      }
      String line = line(e.getKey(), Text.show(e.getValue()));
      int room = MAX_LENGTH - out.length() - foot.length();
      boolean last = shown == total - 1;
      if (line.length() + (last ? 0 : more.length()) > room) {
        if (more.length() <= room) {
          out.append(more);
        }
        break;
      }
      out.append(line);
      shown++;
    }
    return out.append(foot).toString();
  }

  private static String line(String key, String value) {
    return escape(Text.truncate(Text.oneLine(key), 64))
        + ": <code>"
        + truncateEscaped(escape(value), MAX_VALUE_LENGTH)
        + "</code>\n";
  }

  /** Telegram's HTML escaping: the three characters its parser treats as markup. */
  static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String entity = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : null;
      if (entity != null) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        out.append(entity);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Cuts already-escaped text to {@code max} characters with an ellipsis, backing off to the start
   * of an entity ({@code &amp;}) or a surrogate pair the cut would split.
   */
  static String truncateEscaped(String escaped, int max) {
    if (escaped.length() <= max) {
      return escaped;
    }
    if (max < 1) {
      return "";
    }
    int cut = max - Text.ELLIPSIS.length();
    int amp = escaped.lastIndexOf('&', cut - 1);
    if (amp >= 0 && amp > cut - 5) {
      int semicolon = escaped.indexOf(';', amp);
      if (semicolon < 0 || semicolon >= cut) {
        cut = amp;
      }
    }
    if (cut > 0 && Character.isHighSurrogate(escaped.charAt(cut - 1))) {
      cut--;
    }
    return escaped.substring(0, cut) + Text.ELLIPSIS;
  }

  static String emoji(Severity severity) {
    switch (severity) {
      case CRITICAL:
        return "\uD83D\uDEA8"; // rotating light
      case ERROR:
        return "\u2757"; // exclamation mark
      case WARNING:
        return "\u26A0\uFE0F"; // warning sign
      default:
        return "\u2139\uFE0F"; // information
    }
  }
}
