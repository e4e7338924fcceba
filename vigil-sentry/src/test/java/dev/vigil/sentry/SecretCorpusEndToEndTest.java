package dev.vigil.sentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.vigil.LogContext;
import dev.vigil.Monitoring;
import dev.vigil.alert.Alert;
import dev.vigil.alert.Severity;
import dev.vigil.logback.VigilJsonEncoder;
import dev.vigil.testkit.SecretCorpus;
import dev.vigil.testkit.SentryReceiver;
import io.sentry.Sentry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The planted secrets of {@link SecretCorpus} sent down every path that leaves the process at once:
 * Vigil's logger, plain SLF4J, the log context, handleError and handleCriticalError (log line,
 * Sentry event, and the error listeners that alerting plugs into), and the application's own Sentry
 * captures. None may appear in the JSON log output, on the wire to Sentry, or in what a listener
 * receives.
 */
@SuppressWarnings("try") // the log context is used for its scope
class SecretCorpusEndToEndTest {

  @Test
  void noPlantedSecretLeavesByAnyPath() {
    LoggerContext logging = new LoggerContext();
    logging.setMDCAdapter(MDC.getMDCAdapter());
    logging.start();
    ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    VigilJsonEncoder encoder = new VigilJsonEncoder();
    encoder.setContext(logging);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(logging);
    appender.setEncoder(encoder);
    appender.setOutputStream(logBytes);
    appender.start();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    logging.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);

    List<String> heardByListeners = new ArrayList<>();
    try (SentryReceiver sentry = SentryReceiver.start();
        Monitoring monitoring =
            Monitoring.builder("payments")
                .metricsEnabled(false)
                .jvmMetrics(false)
                .loggerFactory(logging)
                .extension(SentryReporter.builder().dsn(sentry.dsn()).build())
                .extension(
                    context ->
                        context.addErrorListener(
                            (error, type, severity, redacted) ->
                                heardByListeners.add(severity + " " + redacted)))
                .build()) {
      Logger plain = logging.getLogger("com.example.Payments");
      try (LogContext ctx = LogContext.user(SecretCorpus.VISIBLE)) {
        monitoring.logger().info("Processing payment", SecretCorpus.context());
        monitoring
            .logger()
            .error(
                "Payment failed",
                SecretCorpus.exception(),
                Map.of("headers", SecretCorpus.headers()));
        for (String text : SecretCorpus.texts()) {
          monitoring.logger().warn(text);
          plain.warn("upstream: {}", text);
        }
        plain.error("plain SLF4J failure", SecretCorpus.exception());
        monitoring.handleError(SecretCorpus.exception(), SecretCorpus.context());
        monitoring.handleCriticalError(SecretCorpus.exception(), SecretCorpus.context());
        Sentry.captureException(SecretCorpus.exception());
        Sentry.captureMessage(SecretCorpus.texts().get(2));
        // Alerts, through every channel but especially Sentry's: the texts as messages, and a
        // grouping value shaped like a credential, which becomes the Sentry fingerprint.
        List<String> texts = SecretCorpus.texts();
        for (int i = 0; i < texts.size(); i++) {
          monitoring
              .alerts()
              .send(
                  Alert.builder("upstream_failure", Severity.ERROR, texts.get(i))
                      .groupBy("upstream", "api_key=" + SecretCorpus.GROUPING_API_KEY)
                      .groupBy("attempt", String.valueOf(i))
                      .context(SecretCorpus.context())
                      .error(SecretCorpus.exception())
                      .build());
        }
      }
      int alerts = SecretCorpus.texts().size();
      await().atMost(Duration.ofSeconds(10)).until(() -> sentry.events().size() == 4 + alerts);

      String logs = logBytes.toString(StandardCharsets.UTF_8);
      String wire = sentry.allText();
      assertThat(SecretCorpus.leaks(logs)).as("log output").isEmpty();
      assertThat(SecretCorpus.leaks(wire)).as("Sentry payloads").isEmpty();
      assertThat(SecretCorpus.leaks(String.join("\n", heardByListeners)))
          .as("error listeners (alerts)")
          .isEmpty();
      assertThat(logs).contains(SecretCorpus.VISIBLE).contains("\"service\":\"payments\"");
      assertThat(wire).contains(SecretCorpus.VISIBLE);
      assertThat(heardByListeners).hasSize(2);
    } finally {
      logging.stop();
      if (Sentry.isEnabled()) {
        Sentry.close();
      }
    }
  }
}
