package dev.vigil.testkit.spi;

import dev.vigil.Monitoring;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.SecretCorpus;

/**
 * Vigil's generic webhook. Its URL is the secret (a token in the path), as a receiver's often is;
 * the JSON's {@code message} holds at most 4,000 characters, the limit of every notification.
 */
class WebhookChannelContractTest extends AlertChannelContract {
  @Override
  protected String channel() {
    return "webhook";
  }

  @Override
  protected void configure(Monitoring.Builder builder, Target target) {
    builder.alertWebhook(target.url("/hooks/" + SecretCorpus.WEBHOOK_PATH_TOKEN));
  }

  @Override
  protected String message(HttpReceiver.Request request) {
    return Json.parse(request.body()).path("message").asText();
  }

  @Override
  protected int maxMessageLength() {
    return 4000;
  }
}
