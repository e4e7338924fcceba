package dev.vigil.logback.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import dev.vigil.Monitoring;
import dev.vigil.testkit.ReadmeTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code LOG_*} variable of the README's tables, from the README itself: its documented
 * default is what Logback is configured with when it is unset, a valid value takes effect in a real
 * Logback context, and an invalid one is reported by Logback (which starts with the default) and
 * fails the Monitoring's build with the same message naming the variable. A README row without a
 * case here fails, and so does a {@code LOG_*} variable the module's code names but the README does
 * not list. These variables have no builder method or Spring property: Logback starts before either
 * exists.
 */
class LogTableTest {
  /** What a Logback context was configured with: root level, format, asynchronous appender. */
  record Observed(Level level, String format, boolean async) {}

  record Case(String variable, String valid, Observed effect, String invalid, String message) {
    @Override
    public String toString() {
      return variable;
    }
  }

  private static final String BOOL = " must be true or false (also accepted: 1/0, yes/no, on/off)";

  static List<Case> cases() {
    return List.of(
        new Case(
            "LOG_FORMAT",
            "Pretty",
            new Observed(Level.INFO, "pretty", false),
            "xml",
            "LOG_FORMAT must be one of json, pretty (any case), got 'xml'"),
        new Case(
            "LOG_LEVEL",
            "DEBUG",
            new Observed(Level.DEBUG, "json", false),
            "verbose",
            "LOG_LEVEL must be one of trace, debug, info, warn, error, off (any case), got"
                + " 'verbose'"),
        new Case(
            "LOG_ASYNC",
            "yes",
            new Observed(Level.INFO, "json", true),
            "sometimes",
            "LOG_ASYNC" + BOOL + ", got 'sometimes'"));
  }

  private static final Observed DEFAULTS = new Observed(Level.INFO, "json", false);

  private static Observed configure(Map<String, String> variables, List<String> errors) {
    LoggerContext context = new LoggerContext();
    context.start();
    try {
      VigilConfigurator.configure(context, variables);
      for (Status status : context.getStatusManager().getCopyOfStatusList()) {
        if (status.getLevel() == Status.ERROR) {
          errors.add(status.getMessage());
        }
      }
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      return new Observed(
          root.getLevel(),
          context.getProperty(VigilConfigurator.FORMAT_PROPERTY),
          root.getAppender(VigilConfigurator.ASYNC_APPENDER) instanceof AsyncAppender);
    } finally {
      context.stop();
    }
  }

  private static Observed configure(Map<String, String> variables) {
    List<String> errors = new ArrayList<>();
    Observed observed = configure(variables, errors);
    assertThat(errors).as("Logback errors").isEmpty();
    return observed;
  }

  @Test
  void unsetVariablesGiveTheDefaults() {
    assertThat(configure(Map.of())).isEqualTo(DEFAULTS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theDocumentedDefaultIsTheDefault(Case c) {
    String documented = ReadmeTables.defaults().get(c.variable());
    assertThat(documented).as("README default of " + c.variable()).isNotNull();
    assertThat(configure(Map.of(c.variable(), documented))).isEqualTo(DEFAULTS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aValidValueTakesEffect(Case c) {
    assertThat(configure(Map.of(c.variable(), c.valid()))).isEqualTo(c.effect());
    try (Monitoring monitoring = monitoring(Map.of(c.variable(), c.valid()))) {
      assertThat(monitoring.service()).isEqualTo("table");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void anInvalidValueIsReportedByLogbackAndFailsTheMonitoringNamingTheVariable(Case c) {
    List<String> errors = new ArrayList<>();
    assertThat(configure(Map.of(c.variable(), c.invalid()), errors)).isEqualTo(DEFAULTS);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith(c.message() + "; ");
    assertThatThrownBy(() -> monitoring(Map.of(c.variable(), c.invalid())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(c.message());
  }

  @Test
  void everyReadmeVariableHasACase_andEveryVariableTheCodeNamesIsInTheReadme() {
    ReadmeTables.assertModuleCovered(
        cases().stream().map(Case::variable).toList(), ReadmeTables.LOGBACK);
  }

  private static Monitoring monitoring(Map<String, String> variables) {
    return Monitoring.builder("table")
        .metricsEnabled(false)
        .jvmMetrics(false)
        .readEnvironment(variables)
        .build();
  }
}
