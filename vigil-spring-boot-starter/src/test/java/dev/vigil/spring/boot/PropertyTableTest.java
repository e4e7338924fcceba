package dev.vigil.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Monitoring;
import dev.vigil.internal.Internals;
import dev.vigil.testkit.Http;
import dev.vigil.testkit.ReadmeTables;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every {@code vigil.*} property of the README's Spring Boot table, from the README itself: its
 * default, a valid value taking effect, and an invalid one failing start-up with a message naming
 * the property. The properties the core declares go through its settings, with the bounds and
 * messages of the variables and builder methods ({@code ConfigurationTableTest} in vigil-core
 * checks those); the starter's own are bound by Spring. A README row without a case, or a property
 * of {@link VigilProperties} the README does not list, fails.
 */
class PropertyTableTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
          .withPropertyValues(
              "vigil.read-environment=false",
              "vigil.metrics.host=127.0.0.1",
              "vigil.metrics.port=0");

  /**
   * A valid value and what it does; an invalid one and the message of the start-up failure's root
   * cause, or, for a value Spring cannot convert, the property Spring's binding failure names.
   */
  record Case(
      String property,
      String valid,
      BiConsumer<AssertableApplicationContext, Monitoring> effect,
      String invalid,
      String message) {
    @Override
    public String toString() {
      return property;
    }
  }

  private static Case row(
      String property,
      String valid,
      BiConsumer<AssertableApplicationContext, Monitoring> effect,
      String invalid,
      String message) {
    return new Case(property, valid, effect, invalid, message);
  }

  /** A value Spring converts (a boolean, a number, an enum): its binder names the property. */
  private static final String BOUND_BY_SPRING = "";

  private static VigilProperties properties(AssertableApplicationContext context) {
    return context.getBean(VigilProperties.class);
  }

  private static String metrics(Monitoring monitoring, @Nullable String token) {
    return Http.get(
            "http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/metrics",
            token == null ? Map.of() : Map.of("Authorization", "Bearer " + token))
        .body();
  }

  static List<Case> cases() {
    return List.of(
        row(
            "vigil.enabled",
            "false",
            (c, m) -> {
              assertThat(properties(c).isEnabled()).isFalse();
              assertThat(m.metricsAddress()).isNull();
            },
            "maybe",
            BOUND_BY_SPRING),
        row(
            "vigil.service",
            "billing",
            (c, m) -> assertThat(m.service()).isEqualTo("billing"),
            "line\nbreak",
            "vigil.service (or spring.application.name): service must be a non-blank name of at"
                + " most 128 characters without control characters, such as \"bot\" or \"api\";"
                + " got 'line\nbreak'"),
        row(
            "vigil.environment",
            " production ",
            (c, m) -> assertThat(m.environment()).isEqualTo("production"),
            "",
            "vigil.environment must not be blank"),
        row(
            "vigil.strict",
            "true",
            (c, m) -> assertThat(m.strict()).isTrue(),
            "sometimes",
            BOUND_BY_SPRING),
        row(
            "vigil.read-environment",
            "true",
            (c, m) -> assertThat(m.environment()).isEqualTo("from-the-environment"),
            "maybe",
            BOUND_BY_SPRING),
        row(
            "vigil.redact-keys",
            "passport, iban",
            (c, m) ->
                assertThat(
                        m.redactor()
                            .redact(Map.of("passport", "X1", "iban", "DE00", "plan", "pro")))
                    .isEqualTo(
                        Map.of("passport", "[REDACTED]", "iban", "[REDACTED]", "plan", "pro")),
            "passport,id",
            "vigil.redact-keys: 'id' is too short to match safely (at least 3 letters or digits); it"
                + " would redact unrelated fields. Use a longer key, such as ssn or passport."),
        row(
            "vigil.metrics.enabled",
            "false",
            (c, m) -> assertThat(m.metricsAddress()).isNull(),
            "maybe",
            BOUND_BY_SPRING),
        row(
            "vigil.metrics.export",
            "server",
            (c, m) -> assertThat(m.metricsAddress()).isNotNull(),
            "both",
            BOUND_BY_SPRING),
        row(
            "vigil.metrics.port",
            "0",
            (c, m) -> assertThat(m.metricsAddress().getPort()).isPositive(),
            "70000",
            "vigil.metrics.port must be between 0 and 65535, got 70000"),
        row(
            "vigil.metrics.host",
            " 127.0.0.1 ",
            (c, m) ->
                assertThat(m.metricsAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1"),
            "",
            "vigil.metrics.host must not be blank"),
        row(
            "vigil.metrics.bearer-token",
            "s3cret",
            (c, m) -> {
              int port = m.metricsAddress().getPort();
              assertThat(Http.get("http://127.0.0.1:" + port + "/metrics").statusCode())
                  .isEqualTo(401);
              assertThat(metrics(m, "s3cret")).contains("http_requests_total");
            },
            "",
            "vigil.metrics.bearer-token must not be blank"),
        row(
            "vigil.metrics.jvm",
            "false",
            (c, m) -> assertThat(metrics(m, null)).doesNotContain("jvm_memory_used_bytes"),
            "maybe",
            BOUND_BY_SPRING),
        row(
            "vigil.metrics.max-label-sets",
            "50",
            (c, m) ->
                assertThat(Internals.of(m).core().family("http_requests_total").maxLabelSets())
                    .isEqualTo(50),
            "0",
            "vigil.metrics.max-label-sets must be between 1 and 1000000, got 0"),
        row(
            "vigil.metrics.max-label-sets-per-metric.<metric>",
            "7",
            (c, m) -> {
              assertThat(Internals.of(m).core().family("http_requests_total").maxLabelSets())
                  .isEqualTo(7);
              assertThat(Internals.of(m).core().family("errors_total").maxLabelSets())
                  .isEqualTo(1000);
            },
            "1000001",
            "vigil.metrics.max-label-sets-per-metric.http_requests_total must be between 1 and"
                + " 1000000, got 1000001"),
        row(
            "vigil.ui.enabled",
            "false",
            (c, m) ->
                assertThat(
                        Http.get("http://127.0.0.1:" + m.metricsAddress().getPort() + "/")
                            .statusCode())
                    .isEqualTo(404),
            "maybe",
            BOUND_BY_SPRING),
        row(
            "vigil.http.enabled",
            "false",
            (c, m) -> assertThat(properties(c).getHttp().isEnabled()).isFalse(),
            "maybe",
            BOUND_BY_SPRING),
        row(
            "vigil.http.ignore-paths",
            "/ping,/internal/*",
            (c, m) ->
                assertThat(properties(c).getHttp().getIgnorePaths())
                    .containsExactly("/ping", "/internal/*"),
            "health",
            "vigil.http.ignore-paths: 'health' is not a path; use an exact path such as /health,"
                + " or a prefix ending in /* such as /actuator/*"),
        row(
            "vigil.http.error-headers",
            "X-Error-Code",
            (c, m) ->
                assertThat(properties(c).getHttp().getErrorHeaders())
                    .containsExactly("X-Error-Code"),
            "X Error",
            "vigil.http.error-headers: 'X Error' is not a header name; use a name such as"
                + " X-Request-Id"),
        row(
            "vigil.http.request-id-header",
            "X-Trace-Id",
            (c, m) ->
                assertThat(properties(c).getHttp().getRequestIdHeader()).isEqualTo("X-Trace-Id"),
            "X:Trace",
            "vigil.http.request-id-header: 'X:Trace' is not a header name; use a name such as"
                + " X-Request-Id"),
        row(
            "vigil.http.echo-request-id",
            "true",
            (c, m) -> assertThat(properties(c).getHttp().isEchoRequestId()).isTrue(),
            "maybe",
            BOUND_BY_SPRING),
        row(
            "vigil.http.log-level.success",
            "info",
            (c, m) ->
                assertThat(properties(c).getHttp().getLogLevel().getSuccess().name())
                    .isEqualTo("INFO"),
            "loud",
            BOUND_BY_SPRING),
        row(
            "vigil.http.log-level.client-error",
            "warn",
            (c, m) ->
                assertThat(properties(c).getHttp().getLogLevel().getClientError().name())
                    .isEqualTo("WARN"),
            "loud",
            BOUND_BY_SPRING),
        row(
            "vigil.http.log-level.server-error",
            "error",
            (c, m) ->
                assertThat(properties(c).getHttp().getLogLevel().getServerError().name())
                    .isEqualTo("ERROR"),
            "loud",
            BOUND_BY_SPRING),
        row(
            "vigil.http.filter-order",
            "10",
            (c, m) -> assertThat(properties(c).getHttp().getFilterOrder()).isEqualTo(10),
            "first",
            BOUND_BY_SPRING),
        row(
            "vigil.http.suppress-micrometer-server-requests",
            "true",
            (c, m) ->
                assertThat(properties(c).getHttp().isSuppressMicrometerServerRequests()).isTrue(),
            "maybe",
            BOUND_BY_SPRING));
  }

  /**
   * What each property gives when unset, as the README's default column says: the starter's own
   * default, or none, so that the environment and then the core's default apply (those are checked
   * by {@code ConfigurationTableTest}); the port and the interface are not opened here, where the
   * defaults would bind port 9091.
   */
  static Map<String, BiConsumer<VigilProperties, Monitoring>> defaults() {
    Map<String, BiConsumer<VigilProperties, Monitoring>> d = new LinkedHashMap<>();
    d.put("vigil.enabled", (p, m) -> assertThat(p.isEnabled()).isTrue());
    d.put("vigil.service", (p, m) -> assertThat(m.service()).isEqualTo("application"));
    d.put("vigil.environment", (p, m) -> assertThat(m.environment()).isEqualTo("development"));
    d.put("vigil.strict", (p, m) -> assertThat(m.strict()).isFalse());
    d.put("vigil.read-environment", (p, m) -> assertThat(p.isReadEnvironment()).isTrue());
    d.put(
        "vigil.redact-keys",
        (p, m) ->
            assertThat(m.redactor().redact(Map.of("passport", "X1")))
                .isEqualTo(Map.of("passport", "X1")));
    d.put("vigil.metrics.enabled", (p, m) -> assertThat(p.getMetrics().getEnabled()).isNull());
    d.put(
        "vigil.metrics.export",
        (p, m) -> assertThat(p.getMetrics().getExport()).isEqualTo(VigilProperties.Export.SERVER));
    d.put("vigil.metrics.port", (p, m) -> assertThat(p.getMetrics().getPort()).isNull());
    d.put("vigil.metrics.host", (p, m) -> assertThat(p.getMetrics().getHost()).isNull());
    d.put(
        "vigil.metrics.bearer-token",
        (p, m) -> assertThat(p.getMetrics().getBearerToken()).isNull());
    d.put("vigil.metrics.jvm", (p, m) -> assertThat(p.getMetrics().getJvm()).isNull());
    d.put(
        "vigil.metrics.max-label-sets",
        (p, m) ->
            assertThat(Internals.of(m).core().family("http_requests_total").maxLabelSets())
                .isEqualTo(1000));
    d.put(
        "vigil.metrics.max-label-sets-per-metric.<metric>",
        (p, m) -> assertThat(p.getMetrics().getMaxLabelSetsPerMetric()).isEmpty());
    d.put("vigil.ui.enabled", (p, m) -> assertThat(p.getUi().getEnabled()).isNull());
    d.put("vigil.http.enabled", (p, m) -> assertThat(p.getHttp().isEnabled()).isTrue());
    d.put(
        "vigil.http.ignore-paths",
        (p, m) ->
            assertThat(p.getHttp().getIgnorePaths())
                .containsExactly("/health", "/metrics", "/actuator/*"));
    d.put(
        "vigil.http.error-headers", (p, m) -> assertThat(p.getHttp().getErrorHeaders()).isEmpty());
    d.put(
        "vigil.http.request-id-header",
        (p, m) -> assertThat(p.getHttp().getRequestIdHeader()).isEqualTo("X-Request-Id"));
    d.put(
        "vigil.http.echo-request-id",
        (p, m) -> assertThat(p.getHttp().isEchoRequestId()).isFalse());
    d.put(
        "vigil.http.log-level.success",
        (p, m) -> assertThat(p.getHttp().getLogLevel().getSuccess().name()).isEqualTo("DEBUG"));
    d.put(
        "vigil.http.log-level.client-error",
        (p, m) -> assertThat(p.getHttp().getLogLevel().getClientError().name()).isEqualTo("DEBUG"));
    d.put(
        "vigil.http.log-level.server-error",
        (p, m) -> assertThat(p.getHttp().getLogLevel().getServerError().name()).isEqualTo("WARN"));
    d.put(
        "vigil.http.filter-order",
        (p, m) -> assertThat(p.getHttp().getFilterOrder()).isEqualTo(Integer.MIN_VALUE + 1));
    d.put(
        "vigil.http.suppress-micrometer-server-requests",
        (p, m) -> assertThat(p.getHttp().isSuppressMicrometerServerRequests()).isFalse());
    return d;
  }

  @Test
  void unsetPropertiesGiveTheirDefaults() {
    assertThat(defaults().keySet()).containsExactlyInAnyOrderElementsOf(ReadmeTables.properties());
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
        .withPropertyValues("vigil.read-environment=false", "vigil.metrics.enabled=false")
        .run(
            context -> {
              Monitoring monitoring = context.getBean(Monitoring.class);
              defaults()
                  .forEach((property, check) -> check.accept(new VigilProperties(), monitoring));
            });
  }

  /** The key a case sets: a metric name in place of {@code <metric>}. */
  private static String key(Case c) {
    return c.property().replace("<metric>", "http_requests_total");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aValidValueTakesEffect(Case c) {
    runner
        .withPropertyValues(key(c) + "=" + c.valid(), "APP_ENV=from-the-environment")
        .run(
            context -> {
              assertThat(context.getStartupFailure()).isNull();
              c.effect().accept(context, context.getBean(Monitoring.class));
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void anInvalidValueFailsStartUpNamingTheProperty(Case c) {
    runner
        .withPropertyValues(key(c) + "=" + c.invalid())
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              assertThat(failure).as("start-up failure").isNotNull();
              if (c.message().equals(BOUND_BY_SPRING)) {
                assertThat(failure)
                    .hasStackTraceContaining("Failed to bind properties under '" + key(c) + "'");
              } else {
                List<String> messages = new ArrayList<>();
                for (Throwable t = failure; t != null; t = t.getCause()) {
                  if (t instanceof IllegalArgumentException) {
                    messages.add(t.getMessage());
                  }
                }
                assertThat(messages).contains(c.message());
              }
            });
  }

  @Test
  void theReadmeListsEveryPropertyAndEveryPropertyHasACase() {
    Set<String> documented = ReadmeTables.properties();
    Set<String> covered = new TreeSet<>();
    for (Case c : cases()) {
      covered.add(c.property());
    }
    assertThat(covered).as("README properties without a case here").containsAll(documented);
    assertThat(documented).as("cases of properties the README does not list").containsAll(covered);
    Set<String> bound = new TreeSet<>();
    collect("vigil", VigilProperties.class, bound);
    assertThat(documented).as("VigilProperties the README does not list").containsAll(bound);
    assertThat(bound).as("README properties VigilProperties does not bind").containsAll(documented);
  }

  /** The kebab-case names Spring binds on {@code type}, nested property objects included. */
  private static void collect(String prefix, Class<?> type, Set<String> names) {
    PropertyDescriptor[] descriptors;
    try {
      descriptors = Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors();
    } catch (IntrospectionException e) {
      throw new AssertionError(e);
    }
    for (PropertyDescriptor d : descriptors) {
      String name =
          prefix + "." + d.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
      Class<?> valueType = d.getPropertyType();
      if (valueType.getName().startsWith("dev.vigil.spring.boot.VigilProperties$")
          && !valueType.isEnum()) {
        collect(name, valueType, names);
      } else if (Map.class.isAssignableFrom(valueType)) {
        names.add(name + ".<metric>");
      } else if (d.getWriteMethod() != null) {
        names.add(name);
      }
    }
  }
}
