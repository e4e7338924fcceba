package dev.vigil.testkit.spi;

import dev.vigil.Monitoring;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.SecretCorpus;

/**
 * Vigil's Alertmanager channel, at a loopback stand-in for {@code POST /api/v2/alerts} (behind a
 * proxy path with a token): the message people read is the {@code summary} annotation, which Vigil
 * keeps within 1,024 characters. {@code AlertmanagerTest} in vigil-core runs it against a real
 * Alertmanager; a stand-in is what can answer 503, 429 or too late on cue.
 */
class AlertmanagerChannelContractTest extends AlertChannelContract {
  @Override
  protected String channel() {
    return "alertmanager";
  }

  @Override
  protected void configure(Monitoring.Builder builder, Target target) {
    builder.alertmanager(target.url("/alertmanager/" + SecretCorpus.WEBHOOK_PATH_TOKEN));
  }

  @Override
  protected String message(HttpReceiver.Request request) {
    return Json.parse(request.body()).path(0).path("annotations").path("summary").asText();
  }

  @Override
  protected HttpReceiver.Response rejected(int status) {
    return HttpReceiver.Response.status(status)
        .body("{\"code\":" + status + ",\"message\":\"invalid alert\"}");
  }

  @Override
  protected int maxMessageLength() {
    return 1024;
  }
}
