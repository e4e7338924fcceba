package dev.vigil.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Monitoring;
import dev.vigil.internal.Internals;
import dev.vigil.servlet.VigilServletFilter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/** The auto-configuration's beans and its configuration errors, without a web server. */
class VigilAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
          .withPropertyValues("vigil.metrics.enabled=false", "vigil.read-environment=false");

  private final WebApplicationContextRunner webRunner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
          .withPropertyValues("vigil.metrics.enabled=false", "vigil.read-environment=false");

  private static AbstractThrowableAssert<?, ? extends Throwable> failure(
      org.springframework.context.ApplicationContext context) {
    Throwable startup =
        context instanceof AssertableApplicationContext
            ? ((AssertableApplicationContext) context).getStartupFailure()
            : ((AssertableWebApplicationContext) context).getStartupFailure();
    assertThat(startup).as("start-up failure").isNotNull();
    return assertThat(startup);
  }

  @Test
  void monitoringBeanIsNamedAfterTheApplication() {
    runner
        .withPropertyValues("spring.application.name=billing")
        .run(
            context -> {
              assertThat(context.getBean(Monitoring.class).service()).isEqualTo("billing");
              assertThat(context.getBean(Monitoring.class).metricsAddress()).isNull();
            });
  }

  @Test
  void vigilUiEnabledFalseTurnsTheKpiPageOff() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
        .withPropertyValues(
            "vigil.read-environment=false",
            "vigil.metrics.host=127.0.0.1",
            "vigil.metrics.port=0",
            "vigil.ui.enabled=false")
        .run(
            context -> {
              String base =
                  "http://127.0.0.1:"
                      + context.getBean(Monitoring.class).metricsAddress().getPort();
              assertThat(dev.vigil.testkit.Http.get(base + "/").statusCode()).isEqualTo(404);
              assertThat(dev.vigil.testkit.Http.get(base + "/kpi/history").statusCode())
                  .isEqualTo(404);
              assertThat(dev.vigil.testkit.Http.get(base + "/metrics").statusCode()).isEqualTo(200);
            });
  }

  @Test
  void vigilServiceWinsOverTheApplicationName() {
    runner
        .withPropertyValues("spring.application.name=billing", "vigil.service=payments")
        .run(
            context ->
                assertThat(context.getBean(Monitoring.class).service()).isEqualTo("payments"));
  }

  @Test
  void seedEnvironmentVariablesAreReadAndVigilPropertiesOverrideThem() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
        .withPropertyValues("APP_ENV=staging", "ENABLE_METRICS=false", "VIGIL_STRICT=true")
        .run(
            context -> {
              Monitoring monitoring = context.getBean(Monitoring.class);
              assertThat(monitoring.environment()).isEqualTo("staging");
              assertThat(monitoring.metricsAddress()).isNull();
              assertThat(monitoring.strict()).isTrue();
            });
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
        .withPropertyValues(
            "APP_ENV=staging", "vigil.environment=production", "vigil.metrics.enabled=false")
        .run(
            context ->
                assertThat(context.getBean(Monitoring.class).environment())
                    .isEqualTo("production"));
  }

  @Test
  void badPortNamesTheProperty() {
    runner
        .withPropertyValues("vigil.metrics.port=70000")
        .run(
            context ->
                // Boot names only the enclosing object ('vigil.metrics'), so the message names the
                // key.
                failure(context)
                    .rootCause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("vigil.metrics.port must be between 0 and 65535, got 70000"));
  }

  @Test
  void badIgnorePathNamesTheProperty() {
    runner
        .withPropertyValues("vigil.http.ignore-paths=health")
        .run(
            context ->
                failure(context)
                    .rootCause()
                    .hasMessage(
                        "vigil.http.ignore-paths: 'health' is not a path; use an exact path such as /health,"
                            + " or a prefix ending in /* such as /actuator/*"));
  }

  @Test
  void badSeedVariableNamesTheVariable() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
        .withPropertyValues("METRICS_PORT=abc")
        .run(
            context ->
                failure(context)
                    .hasStackTraceContaining(
                        "IllegalArgumentException: METRICS_PORT must be a whole number between 0 and 65535,"
                            + " got 'abc'"));
  }

  @Test
  void actuatorExportWithoutActuatorRegistryNamesThePropertyAndTheFix() {
    runner
        .withPropertyValues("vigil.metrics.export=actuator")
        .run(
            context ->
                failure(context)
                    .rootCause()
                    .hasMessageStartingWith(
                        "vigil.metrics.export=actuator needs Actuator's Prometheus registry: add"
                            + " spring-boot-starter-actuator and io.micrometer:micrometer-registry-prometheus"));
  }

  @Test
  void portInUseNamesTheProperty() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
          .withPropertyValues(
              "vigil.read-environment=false",
              "vigil.metrics.host=127.0.0.1",
              "vigil.metrics.port=" + taken.getLocalPort())
          .run(context -> failure(context).rootCause().isNotNull());
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
          .withPropertyValues(
              "vigil.read-environment=false",
              "vigil.metrics.host=127.0.0.1",
              "vigil.metrics.port=" + taken.getLocalPort())
          .run(
              context ->
                  assertThat(context.getStartupFailure())
                      .hasStackTraceContaining("set vigil.metrics.port (0 for any free port)")
                      .hasStackTraceContaining(
                          "port " + taken.getLocalPort() + " is already in use"));
    }
  }

  @Test
  void perMetricLimitsAcceptCatalogueNamesWithOrWithoutBrackets() {
    runner
        .withPropertyValues(
            "vigil.metrics.max-label-sets-per-metric.http_requests_total=7",
            "vigil.metrics.max-label-sets-per-metric[http_request_duration_seconds]=9")
        .run(
            context -> {
              Monitoring monitoring = context.getBean(Monitoring.class);
              assertThat(
                      Internals.of(monitoring).core().family("http_requests_total").maxLabelSets())
                  .isEqualTo(7);
              assertThat(
                      Internals.of(monitoring)
                          .core()
                          .family("http_request_duration_seconds")
                          .maxLabelSets())
                  .isEqualTo(9);
            });
  }

  @Test
  void servletWebApplicationGetsTheFilterForRequestAndAsyncDispatches() {
    webRunner
        .withPropertyValues("vigil.http.ignore-paths=/ping,/internal/*")
        .run(
            context -> {
              @SuppressWarnings("unchecked")
              FilterRegistrationBean<VigilServletFilter> registration =
                  context.getBean("vigilFilter", FilterRegistrationBean.class);
              assertThat(registration.getFilter().instrumentation().ignorePaths())
                  .containsExactly("/ping", "/internal/*");
              assertThat(registration.getOrder()).isEqualTo(Integer.MIN_VALUE + 1);
              assertThat(registration.isAsyncSupported()).isTrue();
              assertThat(context.getBeansOfType(MeterFilter.class))
                  .as("Micrometer's meters are the application's")
                  .isEmpty();
            });
  }

  @Test
  void httpCanBeTurnedOffAndMicrometersRequestMetricOnlyGoesWhenAskedFor() {
    webRunner
        .withPropertyValues("vigil.http.enabled=false")
        .run(
            (AssertableWebApplicationContext context) -> {
              assertThat(context).doesNotHaveBean("vigilFilter").doesNotHaveBean(MeterFilter.class);
              assertThat(context).hasSingleBean(Monitoring.class);
            });
    webRunner
        .withPropertyValues("vigil.http.suppress-micrometer-server-requests=true")
        .run(
            context -> {
              assertThat(context).hasBean("vigilFilter");
              assertThat(
                      context
                          .getBean(MeterFilter.class)
                          .accept(
                              new io.micrometer.core.instrument.Meter.Id(
                                  "http.server.requests",
                                  io.micrometer.core.instrument.Tags.empty(),
                                  null,
                                  null,
                                  io.micrometer.core.instrument.Meter.Type.TIMER)))
                  .isEqualTo(io.micrometer.core.instrument.config.MeterFilterReply.DENY);
            });
  }

  @Test
  void requestLogLevelsComeFromTheProperties() {
    webRunner
        .withPropertyValues(
            "vigil.http.log-level.client-error=info", "vigil.http.log-level.server-error=error")
        .run(
            context -> {
              @SuppressWarnings("unchecked")
              FilterRegistrationBean<VigilServletFilter> registration =
                  context.getBean("vigilFilter", FilterRegistrationBean.class);
              assertThat(registration.getFilter().instrumentation().toString())
                  .contains("logLevels={success=DEBUG, clientError=INFO, serverError=ERROR}");
            });
  }

  @Test
  void badLogLevelNamesTheProperty() {
    webRunner
        .withPropertyValues("vigil.http.log-level.server-error=loud")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("vigil.http.log-level.server-error"));
  }

  @Test
  void noFilterOutsideServletWebApplications() {
    runner.run(context -> assertThat(context).doesNotHaveBean("vigilFilter"));
  }

  @Test
  void turnedOffVigilStillGivesAMonitoringBeanThatDoesNothing() {
    webRunner
        .withPropertyValues("vigil.enabled=false", "spring.application.name=billing")
        .run(
            context -> {
              assertThat(context).hasSingleBean(Monitoring.class).doesNotHaveBean("vigilFilter");
              Monitoring monitoring = context.getBean(Monitoring.class);
              monitoring.trackKpi(dev.vigil.Kpi.activeUser("u-1"));
              monitoring.trackKpi((dev.vigil.Kpi) null);
              monitoring.metrics().runJob("email", "welcome", () -> {});
              assertThat(monitoring.service()).isEqualTo("billing");
              assertThat(monitoring.start().metricsAddress()).isNull();
              assertThat(monitoring.registry().scrape().stream())
                  .filteredOn(f -> f.getMetadata().getName().equals("active_users"))
                  .allSatisfy(f -> assertThat(f.getDataPoints()).isEmpty());
            });
  }

  @Test
  void actuatorExportWithoutTheEndpointExposedFailsNamingTheProperty() {
    actuatorRunner()
        .withPropertyValues("vigil.metrics.export=actuator")
        .run(
            context ->
                failure(context)
                    .rootCause()
                    .hasMessage(
                        "vigil.metrics.export=actuator, but Actuator does not expose its"
                            + " Prometheus endpoint over HTTP"
                            + " (management.endpoints.web.exposure.include is [health]), so"
                            + " /actuator/prometheus would answer 404 and no metric would be"
                            + " reachable. Add prometheus to management.endpoints.web.exposure.include"
                            + " (such as management.endpoints.web.exposure.include=health,prometheus),"
                            + " or set vigil.metrics.export=server to serve metrics on Vigil's own"
                            + " port."));
  }

  @Test
  void actuatorExportWithTheEndpointTurnedOffFailsNamingTheProperty() {
    actuatorRunner()
        .withPropertyValues(
            "vigil.metrics.export=actuator",
            "management.endpoints.web.exposure.include=health,prometheus",
            "management.endpoint.prometheus.access=NONE")
        .run(
            context ->
                failure(context)
                    .rootCause()
                    .hasMessageContaining("management.endpoint.prometheus.access=unrestricted"));
  }

  @Test
  void actuatorExportWithTheEndpointExposedStarts() {
    actuatorRunner()
        .withPropertyValues(
            "vigil.metrics.export=actuator", "management.endpoints.web.exposure.include=*")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Monitoring.class));
  }

  private WebApplicationContextRunner actuatorRunner() {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                EndpointAutoConfiguration.class,
                WebEndpointAutoConfiguration.class,
                MetricsAutoConfiguration.class,
                PrometheusMetricsExportAutoConfiguration.class,
                VigilAutoConfiguration.class))
        .withPropertyValues("vigil.read-environment=false");
  }

  @Test
  void prometheusClientVersionsCompareNumerically() {
    assertThat(PrometheusClientVersion.atLeast("1.10.0", "1.10.0")).isTrue();
    assertThat(PrometheusClientVersion.atLeast("1.11.2-SNAPSHOT", "1.10.0")).isTrue();
    assertThat(PrometheusClientVersion.atLeast("1.3.10", "1.10.0")).isFalse();
    assertThat(PrometheusClientVersion.found()).isEqualTo("1.10.0");
  }
}
