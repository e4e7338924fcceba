package dev.vigil.sentry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.Monitoring;
import dev.vigil.sentry.SentryReporter;
import dev.vigil.spi.Settings;
import dev.vigil.testkit.ReadmeTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every variable of the README's Sentry table, from the README itself: its documented default is
 * what {@code SentryReporter.Builder.readEnvironment} leaves, a valid value takes effect, and an
 * invalid one fails with a message naming the variable, both when read alone and when a Monitoring
 * discovers vigil-sentry, and through the same check naming the builder method. Sentry itself is
 * not started. A README row without a case here fails, and so does a variable the module's code
 * names but the README does not list. vigil-sentry has no Spring Boot properties: the starter hands
 * it the variables.
 */
class SentryTableTest {
  private static final String DSN = "https://publickey@sentry.example.com/42";

  /**
   * One row: what the value gives, a valid and an invalid value with its message from the
   * environment, and the builder call that passes the same check, or null where it takes no text.
   */
  record Case(
      String variable,
      Function<SentrySettings, @Nullable Object> field,
      String valid,
      Object effect,
      @Nullable String invalid,
      @Nullable String message,
      @Nullable String method,
      @Nullable Consumer<SentryReporter.Builder> inCode) {
    @Override
    public String toString() {
      return variable;
    }
  }

  /** A text setting: any text that is not blank is valid, and a blank one counts as unset. */
  private static Case text(
      String variable, Function<SentrySettings, @Nullable Object> field, String valid) {
    return new Case(variable, field, valid, valid, null, null, null, null);
  }

  private static final String BOOL = " must be true or false (also accepted: 1/0, yes/no, on/off)";

  static List<Case> cases() {
    return List.of(
        new Case(
            "SENTRY_DSN",
            SentrySettings::dsn,
            DSN,
            DSN,
            "https://s3cret@sentry.example.com/",
            "SENTRY_DSN is not a valid Sentry DSN: it has no project id at the end of the path."
                + " Expected https://<public key>@<host>/<project id>, as shown in Sentry's"
                + " project settings under Client Keys; unset it to send no errors to Sentry.",
            "dsn",
            b -> b.dsn("https://s3cret@sentry.example.com/")),
        new Case(
            "SENTRY_ENABLED",
            SentrySettings::enabled,
            "off",
            false,
            "maybe",
            "SENTRY_ENABLED" + BOOL + ", got 'maybe'",
            null,
            null),
        text("SENTRY_ENVIRONMENT", SentrySettings::environment, "staging"),
        text("SENTRY_RELEASE", SentrySettings::release, "1.4.2"),
        new Case(
            "SENTRY_TRACES_SAMPLE_RATE",
            SentrySettings::tracesSampleRate,
            "0.25",
            0.25,
            "1.5",
            "SENTRY_TRACES_SAMPLE_RATE must be between 0 and 1, got 1.5",
            "tracesSampleRate",
            b -> b.tracesSampleRate(1.5)),
        new Case(
            "ALERT_SENTRY_ENABLED",
            SentrySettings::alerts,
            "no",
            false,
            "errors-only",
            "ALERT_SENTRY_ENABLED" + BOOL + ", got 'errors-only'",
            null,
            null),
        text("HOSTNAME", SentrySettings::serverName, "bot-7f9c"),
        text("COMPUTERNAME", SentrySettings::serverName, "BOT-PC"));
  }

  private static SentrySettings read(Map<String, String> variables) {
    return SentrySettings.DEFAULTS.read(Settings.of(variables));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theDocumentedDefaultIsTheDefault(Case c) {
    Object actual = c.field().apply(SentrySettings.DEFAULTS);
    String documented = ReadmeTables.defaults().get(c.variable());
    assertThat(documented).as("README default of " + c.variable()).isNotNull();
    if (documented.equals("none")) {
      assertThat(actual).isNull();
    } else {
      assertThat(actual).isEqualTo(c.field().apply(read(Map.of(c.variable(), documented))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aValidValueTakesEffect(Case c) {
    assertThat(c.field().apply(read(Map.of(c.variable(), c.valid())))).isEqualTo(c.effect());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void anInvalidValueFailsNamingTheVariableAndTheMethod(Case c) {
    if (c.invalid() == null) {
      // Any text is valid; a blank one counts as unset.
      assertThat(c.field().apply(read(Map.of(c.variable(), " ")))).isNull();
      return;
    }
    Map<String, String> env = Map.of(c.variable(), c.invalid());
    assertThatThrownBy(() -> read(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(c.message())
        .message()
        .doesNotContain("s3cret");
    assertThatThrownBy(
            () ->
                Monitoring.builder("table")
                    .metricsEnabled(false)
                    .jvmMetrics(false)
                    .readEnvironment(env)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(c.message());
    if (c.method() != null) {
      String rest = c.message().substring(c.variable().length());
      assertThatThrownBy(() -> c.inCode().accept(SentryReporter.builder()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(c.method() + rest);
    }
  }

  @Test
  void hostnameWinsOverComputername() {
    assertThat(read(Map.of("HOSTNAME", "bot-7f9c", "COMPUTERNAME", "BOT-PC")).serverName())
        .isEqualTo("bot-7f9c");
  }

  @Test
  void theDsnAlsoComesFromItsFile_neverShownInAMessage(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("dsn"), DSN + "\n");
    assertThat(read(Map.of("SENTRY_DSN_FILE", file.toString())).dsn()).isEqualTo(DSN);
    Path bad = Files.writeString(dir.resolve("bad"), "https://s3cret@sentry.example.com\n");
    assertThatThrownBy(() -> read(Map.of("SENTRY_DSN_FILE", bad.toString())))
        .hasMessageStartingWith("SENTRY_DSN is not a valid Sentry DSN: it has no project id")
        .message()
        .doesNotContain("s3cret");
    assertThatThrownBy(() -> read(Map.of("SENTRY_DSN", DSN, "SENTRY_DSN_FILE", file.toString())))
        .hasMessage("Both SENTRY_DSN and SENTRY_DSN_FILE are set; set only one of them.");
  }

  @Test
  void everyReadmeVariableHasACase_andEveryVariableTheCodeNamesIsInTheReadme() {
    ReadmeTables.assertModuleCovered(
        cases().stream().map(Case::variable).toList(), ReadmeTables.SENTRY);
  }
}
