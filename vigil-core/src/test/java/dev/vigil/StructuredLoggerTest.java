package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.vigil.internal.Internals;
import dev.vigil.internal.RedactedThrowable;
import dev.vigil.testkit.LogCapture;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.KeyValuePair;

/** The structured logger, through a real Logback context of the test's own. */
class StructuredLoggerTest {
  private LogCapture logs;
  private Monitoring monitoring;

  @BeforeEach
  void setUp() {
    logs = LogCapture.isolated();
    monitoring =
        Monitoring.builder("bot")
            .environment("production")
            .loggerFactory(logs.context())
            .metricsEnabled(false)
            .jvmMetrics(false)
            .discoverExtensions(false)
            .build();
  }

  @AfterEach
  void tearDown() {
    monitoring.close();
    logs.close();
  }

  @Test
  void lineCarriesServiceEnvironmentAndTheFieldsInOrder() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("userId", 42);
    fields.put("text", "hi");
    monitoring.logger().info("Message received", fields);
    ILoggingEvent event = only();
    assertThat(event.getLevel()).isEqualTo(Level.INFO);
    assertThat(event.getLoggerName()).isEqualTo("bot");
    assertThat(event.getFormattedMessage()).isEqualTo("Message received");
    assertThat(pairs(event))
        .containsExactly("service=bot", "environment=production", "userId=42", "text=hi");
  }

  @Test
  void sensitiveFieldIsRedactedBeforeItReachesTheBackend() {
    monitoring.logger().warn("Login", Map.of("password", "hunter2"));
    assertThat(pairs(only())).contains("password=[REDACTED]");
  }

  @Test
  void secretInTheMessageIsRedacted() {
    monitoring.logger().info("calling with Bearer abcdefgh123");
    assertThat(only().getFormattedMessage()).isEqualTo("calling with Bearer [REDACTED]");
  }

  @Test
  void bracesInTheMessageAreKeptAsTheyAre() {
    monitoring.logger().info("template {} stays");
    assertThat(only().getFormattedMessage()).isEqualTo("template {} stays");
  }

  @Test
  void callerFieldsCannotReplaceServiceOrEnvironment() {
    monitoring.logger().info("x", Map.of("service", "spoofed", "environment", "spoofed"));
    assertThat(pairs(only())).containsExactly("service=bot", "environment=production");
  }

  @Test
  void disabledLevelWritesNothingAndBuildsNothing() {
    logs.context().getLogger("bot").setLevel(Level.WARN);
    monitoring.logger().info("hidden", Map.of("k", "v"));
    assertThat(monitoring.logger().atDebug()).isSameAs(monitoring.logger().atInfo());
    monitoring.logger().atInfo().field("k", "v").log("hidden too");
    assertThat(logs.events()).isEmpty();
  }

  @Test
  void fluentFormAddsFieldsAndTheException() {
    IllegalStateException error = new IllegalStateException("boom");
    monitoring
        .logger()
        .atError()
        .field("jobId", "j-1")
        .field("token", "abc")
        .error(error)
        .log("Image generation failed");
    ILoggingEvent event = only();
    assertThat(pairs(event)).contains("jobId=j-1", "token=[REDACTED]");
    assertThat(event.getThrowableProxy().getMessage()).isEqualTo("boom");
  }

  @Test
  void namedLoggerUsesItsName() {
    monitoring.logger(StructuredLoggerTest.class).info("x");
    assertThat(only().getLoggerName()).isEqualTo(StructuredLoggerTest.class.getName());
  }

  @Test
  void exceptionWithoutSecretsReachesTheBackendUnchanged() {
    IllegalStateException error = new IllegalStateException("plain failure");
    monitoring.logger().error("failed", error, null);
    assertThat(only().getThrowableProxy().getClassName())
        .isEqualTo(IllegalStateException.class.getName());
  }

  @Test
  void exceptionWithASecretIsReplacedByARedactedCopyWithTheSameStack() {
    IllegalStateException error =
        new IllegalStateException(
            "card 4111 1111 1111 1111 declined", new RuntimeException("token=abc"));
    monitoring.logger().error("failed", error, null);
    var proxy = only().getThrowableProxy();
    assertThat(proxy.getClassName()).isEqualTo(RedactedThrowable.class.getName());
    assertThat(proxy.getMessage())
        .isEqualTo("java.lang.IllegalStateException: card [REDACTED] declined");
    assertThat(proxy.getCause().getMessage())
        .isEqualTo("java.lang.RuntimeException: token=[REDACTED]");
    assertThat(proxy.getStackTraceElementProxyArray()[0].getStackTraceElement())
        .isEqualTo(error.getStackTrace()[0]);
  }

  @Test
  void backendThatRedactsItselfGetsTheOriginalException() {
    Internals.of(monitoring).logOutput().backendRedactsThrowables(true);
    IllegalStateException error = new IllegalStateException("token=abc");
    monitoring.logger().error("failed", error, null);
    assertThat(only().getThrowableProxy().getClassName())
        .isEqualTo(IllegalStateException.class.getName());
  }

  @Test
  void failingBackendNeverReachesTheCaller() {
    ILoggerFactory broken =
        name ->
            (Logger)
                Proxy.newProxyInstance(
                    Logger.class.getClassLoader(),
                    new Class<?>[] {Logger.class},
                    (proxy, method, args) -> {
                      throw new IllegalStateException("appender on fire");
                    });
    try (Monitoring failing =
        Monitoring.builder("bot")
            .loggerFactory(broken)
            .metricsEnabled(false)
            .jvmMetrics(false)
            .discoverExtensions(false)
            .build()) {
      failing.logger().info("x", Map.of("k", "v"));
      failing.logger().atInfo().field("k", "v").log("y");
      failing.handleError(new RuntimeException("z"), Map.of());
    }
  }

  private ILoggingEvent only() {
    List<ILoggingEvent> events = logs.events();
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private static List<String> pairs(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    return pairs == null
        ? List.of()
        : pairs.stream().map(p -> p.key + "=" + p.value).collect(Collectors.toList());
  }
}
