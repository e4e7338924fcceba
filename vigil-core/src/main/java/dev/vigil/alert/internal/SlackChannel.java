package dev.vigil.alert.internal;

import dev.vigil.alert.Severity;
import dev.vigil.internal.JsonWriter;
import dev.vigil.spi.Notification;
import dev.vigil.spi.RateLimit;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Posts each notification to a Slack incoming webhook as {@code {"text": ...}} in Slack's mrkdwn,
 * with {@code &}, {@code <} and {@code >} escaped as Slack requires, and the text kept under
 * {@value #MAX_LENGTH} characters. Rate-limited to one message a second, Slack's limit for a
 * webhook; a 429's {@code Retry-After} is honoured.
 */
final class SlackChannel extends HttpChannel {
  static final int MAX_LENGTH = 3500;
  private static final int MAX_CONTEXT_LINES = 12;
  private static final RateLimit LIMIT = RateLimit.of(1, Duration.ofSeconds(1), 1);

  private final URI uri;

  SlackChannel(URI uri, HttpClient client, Duration timeout, Secrets secrets, Clock clock) {
    super(client, timeout, secrets, clock);
    this.uri = uri;
  }

  @Override
  public String name() {
    return "slack";
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
    return new JsonWriter().beginObject().name("text").value(text(n)).endObject().toString();
  }

  static String text(Notification n) {
    String head =
        emoji(n.severity())
            + " *"
            + n.severity().name()
            + "* `"
            + code(n.type(), 64)
            + "` on *"
            + escape(n.service())
            + "* ("
            + escape(n.environment())
            + ")\n";
    String occurrences =
        n.occurrences() > 1
            ? "_Occurred "
                + n.occurrences()
                + " times since "
                + Text.readable(n.firstSeen())
                + "_\n"
            : "";
    StringBuilder grouping = new StringBuilder();
    for (Map.Entry<String, String> e : n.grouping().entrySet()) {
      grouping
          .append("• *")
          .append(escape(e.getKey()))
          .append("*: `")
          .append(code(e.getValue(), 200))
          .append("`\n");
    }
    String foot = Text.readable(n.time());
    int messageRoom =
        Math.min(
            2000,
            MAX_LENGTH
                - head.length()
                - occurrences.length()
                - grouping.length()
                - foot.length()
                - 1);
    StringBuilder out = new StringBuilder(1024);
    out.append(head)
        .append(TelegramChannel.truncateEscaped(escape(n.message()), messageRoom))
        .append('\n')
        .append(occurrences)
        .append(grouping);
    int shown = 0;
    int total = n.context().size();
    for (Map.Entry<String, ?> e : n.context().entrySet()) {
      String more = "… and " + (total - shown) + " more\n";
      String line =
          "• "
              + escape(Text.truncate(Text.oneLine(e.getKey()), 64))
              + ": `"
              + code(Text.show(e.getValue()), 300)
              + "`\n";
      if (shown == MAX_CONTEXT_LINES
          || out.length() + line.length() + more.length() + foot.length() > MAX_LENGTH) {
        if (out.length() + more.length() + foot.length() <= MAX_LENGTH) {
          out.append(more);
        }
        break;
      }
      out.append(line);
      shown++;
    }
    out.append(foot);
    return out.length() <= MAX_LENGTH
        ? out.toString()
        : TelegramChannel.truncateEscaped(out.toString(), MAX_LENGTH);
  }

  /** Slack's mrkdwn escaping. */
  static String escape(String text) {
    return TelegramChannel.escape(text);
  }

  /**
   * Text inside a code span: on one line, without backticks that would end it, escaped, and cut to
   * {@code max} characters after escaping.
   */
  private static String code(String text, int max) {
    return TelegramChannel.truncateEscaped(escape(Text.oneLine(text).replace('`', '\'')), max);
  }

  private static String emoji(Severity severity) {
    switch (severity) {
      case CRITICAL:
        return ":rotating_light:";
      case ERROR:
        return ":x:";
      case WARNING:
        return ":warning:";
      default:
        return ":information_source:";
    }
  }
}
