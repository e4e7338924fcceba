package dev.vigil.testkit.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Monitoring;
import dev.vigil.spi.RateLimit;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.SecretCorpus;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vigil's Slack channel, at a loopback stand-in for an incoming webhook: {@code {"text": ...}} in
 * mrkdwn, kept within 3,500 characters (Slack advises under 4,000), one message a second.
 */
class SlackChannelContractTest extends AlertChannelContract {
  private static final Pattern ENTITY = Pattern.compile("&(amp|lt|gt);");

  @Override
  protected String channel() {
    return "slack";
  }

  @Override
  protected void configure(Monitoring.Builder builder, Target target) {
    builder.slackWebhook(target.url("/services/" + SecretCorpus.SLACK_WEBHOOK_SECRET));
  }

  @Override
  protected String message(HttpReceiver.Request request) {
    return Json.parse(request.body()).path("text").asText();
  }

  @Override
  protected HttpReceiver.Response accepted() {
    return HttpReceiver.Response.ok("ok");
  }

  @Override
  protected HttpReceiver.Response rejected(int status) {
    return HttpReceiver.Response.status(status).body("invalid_payload");
  }

  @Override
  protected int maxMessageLength() {
    return 3500;
  }

  @Override
  protected RateLimit rateLimit() {
    return RateLimit.of(1, Duration.ofSeconds(1), 1);
  }

  /** Slack's escaping left whole, and every code span closed on its line. */
  @Override
  protected void assertWellFormed(String message) {
    super.assertWellFormed(message);
    Matcher amp = Pattern.compile("&").matcher(message);
    while (amp.find()) {
      assertThat(ENTITY.matcher(message).region(amp.start(), message.length()).lookingAt())
          .as("an entity at %d", amp.start())
          .isTrue();
    }
    assertThat(message).doesNotContain("<").doesNotContain(">");
    for (String line : message.split("\n", -1)) {
      assertThat(line.chars().filter(c -> c == '`').count() % 2)
          .as("backticks on the line %s", line)
          .isZero();
    }
  }
}
