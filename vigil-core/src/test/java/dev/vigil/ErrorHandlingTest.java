package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.vigil.internal.Internals;
import dev.vigil.spi.ErrorListener;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import dev.vigil.testkit.SecretCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** handleError and handleCriticalError: counted, logged redacted, passed on, never thrown. */
class ErrorHandlingTest {
  private LogCapture logs;
  private Monitoring monitoring;
  private final List<String> heard = new ArrayList<>();

  @BeforeEach
  void setUp() {
    logs = LogCapture.isolated();
    monitoring =
        Monitoring.builder("bot")
            .loggerFactory(logs.context())
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .discoverExtensions(false)
            .build()
            .start();
    Internals.of(monitoring)
        .errors()
        .addListener(
            (error, errorType, severity, context) ->
                heard.add(errorType + "/" + severity + "/" + context));
  }

  @AfterEach
  void tearDown() {
    monitoring.close();
    logs.close();
  }

  @Test
  void errorIsLoggedAtErrorWithTypeSeverityAndContext() {
    monitoring.handleError(new IllegalStateException("boom"), Map.of("userId", "u-1"));
    ILoggingEvent event = only();
    assertThat(event.getLevel()).isEqualTo(Level.ERROR);
    assertThat(event.getLoggerName()).isEqualTo("dev.vigil.errors");
    assertThat(event.getFormattedMessage()).isEqualTo("Error IllegalStateException: boom");
    assertThat(pairs(event))
        .containsExactly(
            "service=bot",
            "environment=development",
            "error_type=IllegalStateException",
            "severity=error",
            "context={userId=u-1}");
    assertThat(event.getThrowableProxy().getMessage()).isEqualTo("boom");
  }

  @Test
  void anExceptionWithoutAMessageIsSummedUpByItsCauseNeverAsNull() throws Exception {
    // What the JDK's HTTP client throws for a refused connection: no message, the reason inside.
    java.net.ConnectException refused = new java.net.ConnectException();
    refused.initCause(new java.net.ConnectException("Connection refused"));
    monitoring.handleError(refused);
    monitoring.handleError(new IllegalStateException());

    assertThat(logs.events())
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "Error ConnectException: caused by java.net.ConnectException: Connection refused",
            "Error IllegalStateException: no message");
  }

  @Test
  void errorIsCountedByTypeAndSeverity() {
    monitoring.handleError(new IllegalStateException("a"));
    monitoring.handleCriticalError(new IllegalStateException("b"), null);
    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    assertThat(
            scrape.value(
                "errors_total", "error_type", "IllegalStateException", "severity", "error"))
        .isEqualTo(1.0);
    assertThat(
            scrape.value(
                "errors_total", "error_type", "IllegalStateException", "severity", "critical"))
        .isEqualTo(1.0);
  }

  @Test
  void criticalErrorReachesTheListenersAsCritical() {
    monitoring.handleCriticalError(new IllegalStateException("db down"), Map.of("db", "main"));
    assertThat(heard).containsExactly("IllegalStateException/critical/{db=main}");
    assertThat(only().getFormattedMessage())
        .isEqualTo("Critical error IllegalStateException: db down");
  }

  @Test
  void listenersReceiveTheRedactedContext() {
    monitoring.handleError(new RuntimeException("x"), Map.of("password", "hunter2"));
    assertThat(heard).containsExactly("RuntimeException/error/{password=[REDACTED]}");
  }

  @Test
  void nullErrorIsCountedAsUnknownAndLogged() {
    monitoring.handleError(null, null);
    assertThat(only().getFormattedMessage()).isEqualTo("Error unknown: (no exception given)");
    assertThat(heard).containsExactly("unknown/error/{}");
  }

  @Test
  void contextWhoseToStringThrowsIsStillHandled() {
    Object broken =
        new Object() {
          @Override
          public String toString() {
            throw new IllegalStateException("toString on fire");
          }
        };
    monitoring.handleError(new RuntimeException("x"), Map.of("thing", broken));
    assertThat(pairs(only()))
        .anySatisfy(p -> assertThat(p).startsWith("context={thing=[unprintable"));
  }

  @Test
  void exceptionWhoseMessageThrowsIsStillHandled() {
    RuntimeException broken =
        new RuntimeException() {
          private static final long serialVersionUID = 1L;

          @Override
          public String getMessage() {
            throw new IllegalStateException("getMessage on fire");
          }
        };
    monitoring.handleError(broken, null);
    assertThat(only().getFormattedMessage())
        .startsWith("Error dev.vigil.ErrorHandlingTest$")
        .endsWith("[message unavailable: java.lang.IllegalStateException]");
  }

  @Test
  void throwingListenerDoesNotStopTheOthers() {
    ErrorListener failing =
        (error, errorType, severity, context) -> {
          throw new IllegalStateException("listener on fire");
        };
    Internals.of(monitoring).errors().addListener(failing);
    List<String> after = new ArrayList<>();
    Internals.of(monitoring).errors().addListener((e, t, s, c) -> after.add(t));
    monitoring.handleError(new RuntimeException("x"));
    assertThat(heard).hasSize(1);
    assertThat(after).containsExactly("RuntimeException");
  }

  @Test
  void corpusSecretsAppearNowhereInTheRenderedLine() {
    monitoring.handleError(SecretCorpus.exception(), SecretCorpus.context());
    monitoring.handleCriticalError(SecretCorpus.exception(), SecretCorpus.context());
    String rendered = String.join("\n", logs.render("%level %logger %msg %kvp %mdc%n%ex"));
    assertThat(SecretCorpus.leaks(rendered)).isEmpty();
    assertThat(SecretCorpus.leaks(String.join("\n", heard))).isEmpty();
    assertThat(rendered)
        .contains(SecretCorpus.VISIBLE)
        .contains("java.lang.IllegalStateException: charge failed for card [REDACTED]")
        .contains("Caused by: dev.vigil.internal.RedactedThrowable: java.io.IOException");
  }

  private ILoggingEvent only() {
    List<ILoggingEvent> events = logs.events();
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private static List<String> pairs(ILoggingEvent event) {
    List<String> out = new ArrayList<>();
    for (KeyValuePair p : Objects.requireNonNull(event.getKeyValuePairs())) {
      out.add(p.key + "=" + p.value);
    }
    return out;
  }
}
