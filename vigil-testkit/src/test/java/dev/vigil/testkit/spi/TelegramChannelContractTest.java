package dev.vigil.testkit.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Monitoring;
import dev.vigil.spi.RateLimit;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.SecretCorpus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vigil's Telegram channel, at a loopback stand-in for the Bot API: {@code sendMessage} in HTML
 * parse mode, within Telegram's 4,096 characters without a broken entity or tag, 20 messages a
 * minute; Telegram asks to wait with {@code parameters.retry_after} in a 429's body.
 */
class TelegramChannelContractTest extends AlertChannelContract {
  private static final Pattern MARKUP = Pattern.compile("<(/?)(b|i|code)>|&(amp|lt|gt|quot);");

  @Override
  protected String channel() {
    return "telegram";
  }

  @Override
  protected void configure(Monitoring.Builder builder, Target target) {
    builder
        .telegram(SecretCorpus.TELEGRAM_TOKEN, "-1001234567890")
        .alerting(a -> a.telegramApiUrl(target.url("")));
  }

  @Override
  protected String message(HttpReceiver.Request request) {
    return Json.parse(request.body()).path("text").asText();
  }

  @Override
  protected HttpReceiver.Response accepted() {
    return HttpReceiver.Response.ok("{\"ok\":true,\"result\":{\"message_id\":1}}");
  }

  @Override
  protected HttpReceiver.Response rateLimited(int seconds) {
    return HttpReceiver.Response.status(429)
        .body(
            "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after "
                + seconds
                + "\",\"parameters\":{\"retry_after\":"
                + seconds
                + "}}");
  }

  @Override
  protected HttpReceiver.Response rejected(int status) {
    return HttpReceiver.Response.status(status)
        .body(
            "{\"ok\":false,\"error_code\":"
                + status
                + ",\"description\":\"Bad Request: chat not found\"}");
  }

  @Override
  protected int maxMessageLength() {
    return 4096;
  }

  @Override
  protected RateLimit rateLimit() {
    return RateLimit.of(20, Duration.ofMinutes(1), 1);
  }

  /** Only the tags and entities Vigil writes, each whole, and every tag closed in order. */
  @Override
  protected void assertWellFormed(String message) {
    super.assertWellFormed(message);
    Deque<String> open = new ArrayDeque<>();
    Matcher markup = MARKUP.matcher(message);
    int at = 0;
    while (markup.find()) {
      assertThat(message.substring(at, markup.start()))
          .as("text between markup")
          .doesNotContain("<")
          .doesNotContain(">")
          .doesNotContain("&");
      if (markup.group(2) != null) {
        if (markup.group(1).isEmpty()) {
          open.push(markup.group(2));
        } else {
          assertThat(open.poll())
              .as("the tag closed at %d", markup.start())
              .isEqualTo(markup.group(2));
        }
      }
      at = markup.end();
    }
    assertThat(message.substring(at)).doesNotContain("<").doesNotContain(">").doesNotContain("&");
    assertThat(open).as("tags left open").isEmpty();
  }
}
