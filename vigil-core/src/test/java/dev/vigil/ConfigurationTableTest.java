package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.alert.DeclaredAlertSettings;
import dev.vigil.alert.Severity;
import dev.vigil.internal.Setting;
import dev.vigil.spi.Settings;
import dev.vigil.testkit.ReadmeTables;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every variable of the README's configuration tables that the core reads, from the README itself:
 * its documented default, a valid value taking effect, and an invalid one failing with a message
 * that names the variable (and, through the same check, the builder method and the Spring
 * property). A row without a case here fails, and so does a setting the code declares but the
 * README does not list, or the other way round.
 */
class ConfigurationTableTest {

  private static final String PRICES = "as_of,2025-06-01\nprice,table-model,input,0.5\n";

  @TempDir static Path dir;
  private static Path tokenFile;
  private static Path pricingFile;

  @BeforeAll
  static void files() throws IOException {
    tokenFile = Files.writeString(dir.resolve("token"), "s3cret-token\n", StandardCharsets.UTF_8);
    pricingFile = Files.writeString(dir.resolve("prices.csv"), PRICES, StandardCharsets.UTF_8);
  }

  /**
   * One row of the test table: a valid value and what it gives, an invalid one and its message from
   * the environment. {@code defaults} replaces the README's default where its text is prose rather
   * than a value.
   */
  record Case(
      String variable,
      Map<String, String> with,
      String valid,
      Consumer<Object> effect,
      @Nullable String invalid,
      @Nullable String message,
      @Nullable Consumer<Object> defaults) {
    Case defaults(Consumer<Object> check) {
      return new Case(variable, with, valid, effect, invalid, message, check);
    }

    Case with(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(with);
      more.put(name, value);
      return new Case(variable, more, valid, effect, invalid, message, defaults);
    }

    @Override
    public String toString() {
      return variable;
    }
  }

  private static Case row(
      String variable, String valid, Consumer<Object> effect, String invalid, String message) {
    return new Case(variable, Map.of(), valid, effect, invalid, message, null);
  }

  /** A text setting: any text that is not blank is valid, and a blank one counts as unset. */
  private static Case text(String variable, String valid, Object expected) {
    return new Case(variable, Map.of(), valid, is(expected), null, null, null);
  }

  private static Consumer<Object> is(@Nullable Object expected) {
    return actual -> assertThat(actual).isEqualTo(expected);
  }

  private static final String BOOL = " must be true or false (also accepted: 1/0, yes/no, on/off)";
  private static final String TOKEN = "123456:ABC-DEF_ghi";

  static List<Case> cases() {
    return List.of(
        row(
            "ENABLE_METRICS",
            "false",
            is(false),
            "maybe",
            "ENABLE_METRICS" + BOOL + ", got 'maybe'"),
        row(
            "METRICS_PORT",
            "0",
            is(0),
            "70000",
            "METRICS_PORT must be between 0 and 65535, got 70000"),
        text("METRICS_HOST", " 127.0.0.1 ", "127.0.0.1"),
        text("METRICS_BEARER_TOKEN", "s3cret-token", "s3cret-token"),
        new Case(
            "METRICS_BEARER_TOKEN_FILE",
            Map.of(),
            "@token",
            is("s3cret-token"),
            "/no/such/token",
            "METRICS_BEARER_TOKEN_FILE points to a file that cannot be read: /no/such/token"
                + " (java.nio.file.NoSuchFileException: /no/such/token)",
            null),
        row("VIGIL_UI_ENABLED", "off", is(false), "2", "VIGIL_UI_ENABLED" + BOOL + ", got '2'"),
        row(
            "ENABLE_JVM_METRICS",
            "no",
            is(false),
            "nah",
            "ENABLE_JVM_METRICS" + BOOL + ", got 'nah'"),
        text("APP_ENV", "production", "production"),
        text("ENVIRONMENT", "staging", "staging"),
        row("VIGIL_STRICT", "1", is(true), "strict", "VIGIL_STRICT" + BOOL + ", got 'strict'"),
        row(
            "VIGIL_MAX_LABEL_SETS",
            "5000",
            is(5000),
            "0",
            "VIGIL_MAX_LABEL_SETS must be between 1 and 1000000, got 0"),
        row(
            "VIGIL_MAX_LABEL_LENGTH",
            "256",
            is(256),
            "8",
            "VIGIL_MAX_LABEL_LENGTH must be between 16 and 4096, got 8"),
        row(
            "VIGIL_REDACT_KEYS",
            "passport, iban",
            is(List.of("passport", "iban")),
            "passport,id",
            "VIGIL_REDACT_KEYS: 'id' is too short to match safely (at least 3 letters or digits);"
                + " it would redact unrelated fields. Use a longer key, such as ssn or passport."),
        row(
                "VIGIL_PRICING_FILE",
                "@prices",
                p ->
                    assertThat(((Pricing) p).pricePer1k("table-model", "input"))
                        .isEqualByComparingTo("0.5"),
                "/no/such/prices.csv",
                "VIGIL_PRICING_FILE: Pricing file /no/such/prices.csv cannot be read"
                    + " (java.nio.file.NoSuchFileException: /no/such/prices.csv). Check the path in"
                    + " VIGIL_PRICING_FILE or Pricing.fromFile(..).")
            .defaults(p -> assertThat(p).isSameAs(Pricing.defaults())),
        row(
            "VIGIL_ACTIVE_USER_WINDOWS",
            "10m, 2h",
            is(List.of(Duration.ofMinutes(10), Duration.ofHours(2))),
            "30s",
            "VIGIL_ACTIVE_USER_WINDOWS: each window must be between 1 minute and 31 days in whole"
                + " seconds, such as 5m, 1h or 24h; got 30s"),
        row(
            "VIGIL_TOP_SPENDERS",
            "5",
            is(5),
            "101",
            "VIGIL_TOP_SPENDERS must be between 1 and 100, got 101"),
        row(
            "VIGIL_TOP_SPENDERS_LOG_INTERVAL",
            "0",
            is(Duration.ZERO),
            "500ms",
            "VIGIL_TOP_SPENDERS_LOG_INTERVAL must be zero (off) or at least 1 second, got 500ms"),
        row(
            "VIGIL_BUDGET_SERVICE",
            "100/day",
            is(List.of(AiBudget.service(AiBudget.Window.DAY, new BigDecimal("100")))),
            "100/fortnight",
            "VIGIL_BUDGET_SERVICE: the window of '100/fortnight' is hour, day, week or month, got"
                + " 'fortnight'"),
        row(
            "VIGIL_BUDGET_MODEL",
            "gpt-4o=40/day",
            is(List.of(AiBudget.model("gpt-4o", AiBudget.Window.DAY, new BigDecimal("40")))),
            "gpt-4o",
            "VIGIL_BUDGET_MODEL: 'gpt-4o' is not <model>=<usd>/<window>, such as gpt-4o=40/day"),
        row(
            "VIGIL_BUDGET_USER",
            "5/24h",
            is(List.of(AiBudget.perUser(Duration.ofHours(24), new BigDecimal("5")))),
            "five/24h",
            "VIGIL_BUDGET_USER: 'five' of 'five/24h' is not an amount of US dollars, such as 100 or"
                + " 12.50"),
        row(
                "VIGIL_BUDGET_ALERT_AT",
                "50,90",
                a -> assertThat((int[]) a).containsExactly(50, 90),
                "most",
                "VIGIL_BUDGET_ALERT_AT: 'most' is not a whole percentage; give percentages of the"
                    + " limit, such as 80,100")
            .defaults(
                a -> {
                  assertThat(a).isNull(); // so each budget keeps AiBudget's own thresholds
                  assertThat(AiBudget.service(AiBudget.Window.DAY, BigDecimal.ONE).thresholds())
                      .containsExactly(80, 100);
                }),
        row(
                "VIGIL_BUDGET_ZONE",
                "Europe/Berlin",
                is(ZoneId.of("Europe/Berlin")),
                "Mars/Olympus",
                "VIGIL_BUDGET_ZONE: 'Mars/Olympus' is not a time zone; use an id such as UTC or"
                    + " Europe/Berlin")
            .defaults(z -> assertThat(((ZoneId) z).normalized()).isEqualTo(ZoneId.of("Z"))),
        row(
            "VIGIL_BUDGET_CHECK_INTERVAL",
            "1m",
            is(Duration.ofMinutes(1)),
            "500ms",
            "VIGIL_BUDGET_CHECK_INTERVAL must be between 1s and 1h, got 500ms"),
        row("ENABLE_ALERTS", "false", is(false), "never", "ENABLE_ALERTS" + BOOL + ", got 'never'"),
        row(
            "ALERT_WEBHOOK_URL",
            "https://hooks.example.com/s3cret",
            is(URI.create("https://hooks.example.com/s3cret")),
            "hooks.example.com/s3cret",
            "ALERT_WEBHOOK_URL must be an absolute http or https URL with a host, such as"
                + " https://example.com/hook; got (value not shown: it may contain a secret)"),
        row(
            "SLACK_WEBHOOK_URL",
            "https://hooks.slack.com/services/T/B/s3cret",
            is(URI.create("https://hooks.slack.com/services/T/B/s3cret")),
            "ftp://hooks.slack.com/s3cret",
            "SLACK_WEBHOOK_URL must be an absolute http or https URL with a host, such as"
                + " https://example.com/hook; got (value not shown: it may contain a secret)"),
        row(
                "TELEGRAM_BOT_TOKEN",
                TOKEN,
                is(TOKEN),
                "not-a-token",
                "TELEGRAM_BOT_TOKEN is not a Telegram bot token (digits, a colon, then letters,"
                    + " digits, '-' and '_', as BotFather gives it); the value is not shown.")
            .with("TELEGRAM_CHAT_ID", "-100123"),
        row(
                "TELEGRAM_CHAT_ID",
                "@alerts",
                is("@alerts"),
                "alerts",
                "TELEGRAM_CHAT_ID must be a chat id such as -1001234567890 or a channel name such"
                    + " as @alerts, got 'alerts'")
            .with("TELEGRAM_BOT_TOKEN", TOKEN),
        row(
                "TELEGRAM_TOPIC_ID",
                "42",
                is(42L),
                "0",
                "TELEGRAM_TOPIC_ID must be a positive message_thread_id (the forum topic), got 0")
            .with("TELEGRAM_BOT_TOKEN", TOKEN)
            .with("TELEGRAM_CHAT_ID", "-100123"),
        row(
            "TELEGRAM_API_URL",
            "http://127.0.0.1:8081",
            is(URI.create("http://127.0.0.1:8081")),
            "api.telegram.org",
            "TELEGRAM_API_URL must be an absolute http or https URL with a host, such as"
                + " https://example.com/hook; got 'api.telegram.org'"),
        row(
            "ALERTMANAGER_URL",
            "http://alertmanager:9093",
            is(URI.create("http://alertmanager:9093")),
            "alertmanager:9093",
            "ALERTMANAGER_URL must be an absolute http or https URL with a host, such as"
                + " https://example.com/hook; got (value not shown: it may contain a secret)"),
        severity("LOG", Severity.INFO),
        severity("WEBHOOK", Severity.INFO),
        severity("SLACK", Severity.WARNING),
        severity("TELEGRAM", Severity.WARNING),
        severity("ALERTMANAGER", Severity.INFO),
        severity("SENTRY", Severity.ERROR),
        row(
            "ALERT_COOLDOWN",
            "0",
            is(Duration.ZERO),
            "2d",
            "ALERT_COOLDOWN must be between 0s and 1d, got 2d"),
        row(
            "ALERT_PAYMENT_FAILURE_THRESHOLD",
            "1",
            is(1),
            "-1",
            "ALERT_PAYMENT_FAILURE_THRESHOLD must be between 0 and 10000, got -1"),
        row(
            "ALERT_PAYMENT_FAILURE_WINDOW",
            "10m",
            is(Duration.ofMinutes(10)),
            "soon",
            "ALERT_PAYMENT_FAILURE_WINDOW must be a duration such as 30s, 5m, 1h or 1d, got"
                + " 'soon'"),
        row(
            "ALERT_ERROR_RATE_THRESHOLD",
            "0",
            is(0),
            "10001",
            "ALERT_ERROR_RATE_THRESHOLD must be between 0 and 10000, got 10001"),
        row(
            "ALERT_ERROR_RATE_WINDOW",
            "1h",
            is(Duration.ofHours(1)),
            "0",
            "ALERT_ERROR_RATE_WINDOW must be between 1s and 1d, got 0s"),
        row(
            "ALERT_QUEUE_CAPACITY",
            "50",
            is(50),
            "100001",
            "ALERT_QUEUE_CAPACITY must be between 1 and 100000, got 100001"),
        row(
            "ALERT_MAX_ATTEMPTS",
            "1",
            is(1),
            "21",
            "ALERT_MAX_ATTEMPTS must be between 1 and 20, got 21"),
        row(
            "ALERT_RETRY_DELAY",
            "250ms",
            is(Duration.ofMillis(250)),
            "11m",
            "ALERT_RETRY_DELAY must be between 1ms and 10m, got 11m"),
        row(
            "ALERT_MAX_RETRY_DELAY",
            "30s",
            is(Duration.ofSeconds(30)),
            "2h",
            "ALERT_MAX_RETRY_DELAY must be between 1ms and 1h, got 2h"),
        row(
            "ALERT_TIMEOUT",
            "2s",
            is(Duration.ofSeconds(2)),
            "10ms",
            "ALERT_TIMEOUT must be between 100ms and 5m, got 10ms"),
        row(
            "ALERT_CLOSE_TIMEOUT",
            "0",
            is(Duration.ZERO),
            "6m",
            "ALERT_CLOSE_TIMEOUT must be between 0s and 5m, got 6m"),
        row(
            "ALERTMANAGER_RESOLVE_TIMEOUT",
            "1h",
            is(Duration.ofHours(1)),
            "30s",
            "ALERTMANAGER_RESOLVE_TIMEOUT must be between 1m and 7d, got 30s"));
  }

  private static Case severity(String channel, Severity byDefault) {
    String variable = "ALERT_" + channel + "_MIN_SEVERITY";
    return row(
            variable,
            "CRITICAL",
            is(Severity.CRITICAL),
            "loud",
            variable + ": " + severityMessage("loud"))
        .defaults(is(byDefault));
  }

  private static String severityMessage(String text) {
    try {
      Severity.parse(text);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new AssertionError(text + " is a severity");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theDocumentedDefaultIsTheBuildersDefault(Case c) {
    Object actual = valueOf(Monitoring.builder("table"), c.variable());
    if (c.defaults() != null) {
      c.defaults().accept(actual);
      return;
    }
    String documented = ReadmeTables.defaults().get(c.variable());
    assertThat(documented).as("README default of " + c.variable()).isNotNull();
    if (documented.equals("none")) {
      if (actual instanceof Collection) {
        assertThat((Collection<?>) actual).isEmpty();
      } else {
        assertThat(actual).isNull();
      }
    } else {
      Object parsed = setting(c.variable()).value(Settings.of(Map.of(c.variable(), documented)));
      assertThat(actual).as(c.variable() + " = " + documented).isEqualTo(parsed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aValidValueTakesEffect(Case c) {
    Map<String, String> env = new LinkedHashMap<>(c.with());
    env.put(c.variable(), files(c.valid()));
    c.effect().accept(valueOf(Monitoring.builder("table").readEnvironment(env), c.variable()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void anInvalidValueFailsNamingTheVariableTheMethodAndTheProperty(Case c) {
    if (c.invalid() == null) {
      // Any text is valid; a blank one counts as unset.
      Map<String, String> env = new LinkedHashMap<>(c.with());
      env.put(c.variable(), "  ");
      assertThat(valueOf(Monitoring.builder("table").readEnvironment(env), c.variable()))
          .isEqualTo(valueOf(Monitoring.builder("table"), c.variable()));
      return;
    }
    Map<String, String> env = new LinkedHashMap<>(c.with());
    env.put(c.variable(), c.invalid());
    assertThatThrownBy(() -> Monitoring.builder("table").readEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(c.message());
    Setting<?, ?> setting = setting(c.variable());
    if (c.variable().equals(setting.variable()) && c.message().startsWith(c.variable())) {
      // The builder method and the property go through the same check, under their own names.
      String rest = c.message().substring(c.variable().length());
      if (setting.method() != null) {
        assertThatThrownBy(() -> setting.parse(c.invalid()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(setting.method() + rest);
      }
      if (setting.property() != null) {
        assertThatThrownBy(
                () ->
                    Monitoring.builder("table")
                        .readProperties(Map.of(setting.property(), c.invalid())))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(setting.property() + rest);
      }
    }
  }

  @Test
  void everyVariableOfTheReadmeHasACaseAndEveryDeclaredSettingIsInTheReadme() {
    Set<String> covered = new TreeSet<>();
    for (Case c : cases()) {
      covered.add(c.variable());
    }
    Set<String> core = new TreeSet<>();
    for (String variable : ReadmeTables.defaults().keySet()) {
      // A module's own table test covers the variables it reads.
      if (ReadmeTables.MODULES.stream().noneMatch(m -> ReadmeTables.matches(variable, m))) {
        core.add(variable);
      }
    }
    assertThat(covered)
        .as("variables of the README's tables without a case here")
        .containsAll(core);
    assertThat(core).as("cases of variables the README does not list").containsAll(covered);

    Set<String> declared = new TreeSet<>();
    for (Setting<?, ?> setting : declared()) {
      declared.add(setting.variable());
      if (setting.secret()) {
        declared.add(setting.variable() + "_FILE");
      }
    }
    Set<String> documentedSecretFiles = new TreeSet<>();
    for (String variable : core) {
      if (variable.endsWith("_FILE")) {
        documentedSecretFiles.add(variable);
      }
    }
    Set<String> declaredNotFiles = new TreeSet<>();
    for (String variable : declared) {
      if (!variable.endsWith("_FILE")) {
        declaredNotFiles.add(variable);
      }
    }
    assertThat(core)
        .as("settings the code declares but the README does not list")
        .containsAll(declaredNotFiles);
    assertThat(declared).as("README variables the code does not declare").containsAll(core);
    assertThat(declared).containsAll(documentedSecretFiles);
  }

  @Test
  void aPerMetricLimitWithoutAMetricFailsNamingTheProperty() {
    assertThatThrownBy(
            () ->
                Monitoring.builder("bot")
                    .readProperties(Map.of("vigil.metrics.max-label-sets-per-metric.", "10")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "vigil.metrics.max-label-sets-per-metric. names no metric; write"
                + " vigil.metrics.max-label-sets-per-metric.<metric>=<limit>");
  }

  @Test
  void everyPropertyTheCoreDeclaresIsInTheReadmesSpringTable() {
    Set<String> documented = ReadmeTables.properties();
    Set<String> declared = new TreeSet<>();
    for (Setting<?, ?> setting : declared()) {
      if (setting.property() != null) {
        declared.add(setting.property());
      }
    }
    declared.add(MonitoringSettings.MAX_LABEL_SETS_PER_METRIC + "<metric>");
    assertThat(documented).containsAll(declared);
  }

  private static List<Setting<?, ?>> declared() {
    List<Setting<?, ?>> all = new ArrayList<>(MonitoringSettings.ALL);
    all.addAll(DeclaredAlertSettings.all());
    return all;
  }

  private static Setting<?, ?> setting(String variable) {
    String base = base(variable);
    for (Setting<?, ?> setting : declared()) {
      if (setting.variable().equals(base)) {
        return setting;
      }
    }
    throw new AssertionError(variable + " is not declared");
  }

  /** The setting a variable gives: {@code METRICS_BEARER_TOKEN_FILE} gives the token. */
  private static String base(String variable) {
    for (Setting<?, ?> setting : declared()) {
      if (setting.variable().equals(variable)) {
        return variable;
      }
    }
    return variable.endsWith("_FILE") ? variable.substring(0, variable.length() - 5) : variable;
  }

  private static @Nullable Object valueOf(Monitoring.Builder builder, String variable) {
    String base = base(variable);
    for (Setting<Monitoring.Builder, ?> setting : MonitoringSettings.ALL) {
      if (setting.variable().equals(base)) {
        return setting.get(builder);
      }
    }
    return DeclaredAlertSettings.value(builder.alerting, base);
  }

  private static String files(String value) {
    switch (value) {
      case "@token":
        return tokenFile.toString();
      case "@prices":
        return pricingFile.toString();
      default:
        return value;
    }
  }
}
