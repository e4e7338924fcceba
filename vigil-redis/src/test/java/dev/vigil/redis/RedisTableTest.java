package dev.vigil.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.redis.internal.RedisConfig;
import dev.vigil.spi.Settings;
import dev.vigil.spring.boot.VigilAutoConfiguration;
import dev.vigil.testkit.ReadmeTables;
import dev.vigil.testkit.TlsFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every {@code VIGIL_REDIS_*} variable of the README's configuration table, from the README itself:
 * its documented default is the built configuration's, a valid value takes effect, and an invalid
 * one fails with a message naming the variable, the same check naming the builder method, and from
 * Spring Boot the {@code vigil.redis.*} property. Building the configuration connects to nothing. A
 * README row without a case here fails, and so does a {@code VIGIL_REDIS_*} variable the module's
 * code names but the README does not list.
 */
class RedisTableTest {
  private static final String PLAIN = "redis://127.0.0.1:6379";
  private static final String TLS = "rediss://127.0.0.1:6380";

  @TempDir static Path dir;
  private static TlsFiles tls;
  private static Path notPem;

  @BeforeAll
  static void files() throws IOException {
    tls = TlsFiles.generate(dir.resolve("tls"));
    notPem = Files.writeString(dir.resolve("not.pem"), "hello\n", StandardCharsets.UTF_8);
  }

  /**
   * One row: the variables it needs beside it, a valid value and what it gives, an invalid one with
   * its message from the environment, and the builder call that passes the same check.
   */
  record Case(
      String variable,
      Map<String, String> with,
      Function<@Nullable RedisConfig, @Nullable Object> field,
      String valid,
      Object effect,
      @Nullable String invalid,
      @Nullable String message,
      @Nullable String method,
      @Nullable Consumer<RedisStore.Builder> inCode) {
    @Override
    public String toString() {
      return variable;
    }
  }

  private static Case row(
      String variable,
      Function<RedisConfig, @Nullable Object> field,
      String valid,
      Object effect,
      String invalid,
      String message,
      String method,
      Consumer<RedisStore.Builder> inCode) {
    return new Case(
        variable,
        Map.of("VIGIL_REDIS_URL", PLAIN),
        c -> field.apply(c),
        valid,
        effect,
        invalid,
        message,
        method,
        inCode);
  }

  private static Case tls(
      String variable,
      Map<String, String> with,
      Function<RedisConfig.Tls, @Nullable Object> field,
      Path valid,
      String message,
      String method,
      Consumer<RedisStore.Builder> inCode) {
    Map<String, String> env = new LinkedHashMap<>(with);
    env.put("VIGIL_REDIS_URL", TLS);
    return new Case(
        variable,
        env,
        c -> field.apply(c.tls()),
        valid.toString(),
        valid,
        notPem.toString(),
        message,
        method,
        b -> inCode.accept(b.url(TLS)));
  }

  private static final String URL_FIX =
      "; expected redis://[[user]:password@]host[:port][/db], rediss://... for TLS, or"
          + " redis+cluster://[[user]:password@]host:port,host:port,... (rediss+cluster:// for"
          + " TLS) for a Redis Cluster, such as redis://redis:6379/0 (the value is not shown: it"
          + " may hold a password)";

  static List<Case> cases() {
    return List.of(
        new Case(
            "VIGIL_REDIS_URL",
            Map.of(),
            c -> c == null ? null : c.where(),
            "rediss+cluster://vigil:s3cret@node-1:7000,node-2",
            "rediss+cluster://node-1:7000,node-2:6379",
            "http://:s3cret@redis:6379/0",
            "VIGIL_REDIS_URL must start with redis://, rediss://, redis+cluster:// or"
                + " rediss+cluster://"
                + URL_FIX,
            "RedisStore.Builder.url",
            b -> b.url("http://:s3cret@redis:6379/0")),
        new Case(
            "VIGIL_REDIS_PASSWORD",
            Map.of("VIGIL_REDIS_URL", PLAIN),
            c -> c.password(),
            "s3cret",
            "s3cret",
            null,
            null,
            null,
            null),
        row(
            "VIGIL_REDIS_NAMESPACE",
            RedisConfig::namespace,
            "shop-eu",
            "shop-eu",
            "shop/eu",
            "VIGIL_REDIS_NAMESPACE must be 1 to 64 letters, digits, '_', '.' or '-', such as vigil"
                + " or vigil-production; got 'shop/eu'",
            "RedisStore.Builder.namespace",
            b -> b.namespace("shop/eu")),
        row(
            "VIGIL_REDIS_TIMEOUT",
            RedisConfig::timeout,
            "2s",
            Duration.ofSeconds(2),
            "5ms",
            "VIGIL_REDIS_TIMEOUT must be between 10ms and 30s, got 5ms",
            "RedisStore.Builder.timeout",
            b -> b.timeout(Duration.ofMillis(5))),
        row(
            "VIGIL_REDIS_FLUSH_INTERVAL",
            RedisConfig::flushInterval,
            "100ms",
            Duration.ofMillis(100),
            "2m",
            "VIGIL_REDIS_FLUSH_INTERVAL must be between 50ms and 60s, got 120s",
            "RedisStore.Builder.flushInterval",
            b -> b.flushInterval(Duration.ofMinutes(2))),
        row(
            "VIGIL_REDIS_REFRESH_INTERVAL",
            RedisConfig::refreshInterval,
            "1m",
            Duration.ofMinutes(1),
            "10ms",
            "VIGIL_REDIS_REFRESH_INTERVAL must be between 50ms and 300s, got 10ms",
            "RedisStore.Builder.refreshInterval",
            b -> b.refreshInterval(Duration.ofMillis(10))),
        row(
            "VIGIL_REDIS_BUFFER_SIZE",
            RedisConfig::bufferSize,
            "4096",
            4096,
            "1000",
            "VIGIL_REDIS_BUFFER_SIZE must be between 1024 and 16777216, got 1000",
            "RedisStore.Builder.bufferSize",
            b -> b.bufferSize(1000)),
        tls(
            "VIGIL_REDIS_TLS_CA_CERT",
            Map.of(),
            RedisConfig.Tls::caCert,
            tls.caCert(),
            "VIGIL_REDIS_TLS_CA_CERT ("
                + notPem
                + ") is not a PEM file of X.509 certificates: No certificate data found",
            "RedisStore.Builder.trustedCertificates",
            b -> b.trustedCertificates(notPem)),
        tls(
            "VIGIL_REDIS_TLS_CERT",
            Map.of("VIGIL_REDIS_TLS_KEY", tls.clientKey().toString()),
            RedisConfig.Tls::clientCert,
            tls.clientCert(),
            "VIGIL_REDIS_TLS_CERT ("
                + notPem
                + ") is not a PEM file of X.509 certificates: No certificate data found",
            "RedisStore.Builder.clientTls",
            b -> b.clientTls(notPem, tls.clientKey())),
        tls(
            "VIGIL_REDIS_TLS_KEY",
            Map.of("VIGIL_REDIS_TLS_CERT", tls.clientCert().toString()),
            RedisConfig.Tls::clientKey,
            tls.clientKey(),
            "VIGIL_REDIS_TLS_KEY (" + notPem + ") holds no '-----BEGIN PRIVATE KEY-----' block",
            "RedisStore.Builder.clientTls",
            b -> b.clientTls(tls.clientCert(), notPem)));
  }

  private static @Nullable RedisConfig configure(Map<String, String> variables) {
    return RedisStore.builder().build().configure(Settings.of(variables));
  }

  private static Map<String, String> with(Case c, String value) {
    return with(c.with(), c.variable(), value);
  }

  private static Map<String, String> with(Map<String, String> base, String name, String value) {
    Map<String, String> env = new LinkedHashMap<>(base);
    env.put(name, value);
    return env;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theDocumentedDefaultIsTheBuiltConfigurations(Case c) {
    // The URL alone: a client certificate's companion key is no default.
    Map<String, String> base = new LinkedHashMap<>();
    if (c.with().containsKey("VIGIL_REDIS_URL")) {
      base.put("VIGIL_REDIS_URL", c.with().get("VIGIL_REDIS_URL"));
    }
    Object actual = c.field().apply(configure(base));
    String documented = ReadmeTables.defaults().get(c.variable());
    assertThat(documented).as("README default of " + c.variable()).isNotNull();
    if (documented.equals("none")) {
      assertThat(actual).isNull();
    } else {
      assertThat(actual)
          .as(c.variable() + " = " + documented)
          .isEqualTo(c.field().apply(configure(with(base, c.variable(), documented))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aValidValueTakesEffect(Case c) {
    assertThat(c.field().apply(configure(with(c, c.valid())))).isEqualTo(c.effect());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void anInvalidValueFailsNamingTheVariableTheMethodAndTheProperty(Case c) {
    if (c.invalid() == null) {
      // Any text is valid; a blank one counts as unset.
      assertThat(c.field().apply(configure(with(c, "  "))))
          .isEqualTo(c.field().apply(configure(c.with())));
      return;
    }
    assertThatThrownBy(() -> configure(with(c, c.invalid())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(c.message())
        .message()
        .doesNotContain("s3cret");
    String rest = c.message().substring(c.variable().length());
    RedisStore.Builder builder = RedisStore.builder();
    assertThatThrownBy(
            () -> {
              c.inCode().accept(builder);
              builder.build().configure(Settings.empty());
            })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(c.method() + rest);

    List<String> properties = new ArrayList<>();
    properties.add("vigil.metrics.enabled=false");
    with(c, c.invalid()).forEach((name, value) -> properties.add(property(name) + "=" + value));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
        .withPropertyValues(properties.toArray(String[]::new))
        .run(
            context -> {
              List<String> messages = new ArrayList<>();
              for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                messages.add(t.getMessage());
              }
              assertThat(messages)
                  .contains(property(c.variable()) + " (" + c.variable() + ")" + rest);
            });
  }

  /** {@code VIGIL_REDIS_FLUSH_INTERVAL} is {@code vigil.redis.flush-interval} in Spring Boot. */
  private static String property(String variable) {
    return "vigil.redis."
        + variable.substring("VIGIL_REDIS_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Test
  void secretsAlsoComeFromTheirFiles_andTwoSourcesOfOneFail() throws IOException {
    Path url = Files.writeString(dir.resolve("url"), "redis://:s3cret@redis:6379/1\n");
    Path password = Files.writeString(dir.resolve("password"), "pa55\n");
    RedisConfig fromFiles =
        configure(
            Map.of(
                "VIGIL_REDIS_URL_FILE", url.toString(),
                "VIGIL_REDIS_PASSWORD_FILE", password.toString()));
    assertThat(fromFiles.where()).isEqualTo("redis://redis:6379/1");
    assertThat(fromFiles.password()).isEqualTo("pa55");
    assertThatThrownBy(
            () ->
                configure(
                    Map.of(
                        "VIGIL_REDIS_URL",
                        PLAIN,
                        "VIGIL_REDIS_PASSWORD",
                        "pa55",
                        "VIGIL_REDIS_PASSWORD_FILE",
                        password.toString())))
        .hasMessage(
            "Both VIGIL_REDIS_PASSWORD and VIGIL_REDIS_PASSWORD_FILE are set; set only one of"
                + " them.");
    assertThatThrownBy(() -> configure(Map.of("VIGIL_REDIS_URL_FILE", "/no/such/url")))
        .hasMessageStartingWith(
            "VIGIL_REDIS_URL_FILE points to a file that cannot be read: /no/such/url");
  }

  @Test
  void everyReadmeVariableHasACase_andEveryVariableTheCodeNamesIsInTheReadme() {
    ReadmeTables.assertModuleCovered(
        cases().stream().map(Case::variable).toList(), ReadmeTables.REDIS);
  }
}
