package dev.vigil.spring.boot;

import dev.vigil.MetricCatalog;
import dev.vigil.Monitoring;
import dev.vigil.Ticker;
import dev.vigil.http.HttpInstrumentation;
import dev.vigil.servlet.VigilServletFilter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Vigil for Spring Boot 3: add {@code dev.vigil:vigil-spring-boot-starter} and get
 *
 * <ul>
 *   <li>a {@link Monitoring} bean, configured from the seed's environment variables ({@code
 *       METRICS_PORT}, {@code ENABLE_METRICS}, ...) and then the {@code vigil.*} properties of
 *       {@link VigilProperties}, started with the context and closed with it; with {@code
 *       vigil.enabled=false}, a {@link Monitoring#disabled(String) disabled} one that accepts every
 *       call and does nothing, so that code injecting it still starts;
 *   <li>in a servlet web application, the {@link VigilServletFilter} with Spring MVC's route
 *       templates, which records {@code http_requests_total} and {@code
 *       http_request_duration_seconds}, puts the request id in the MDC, and reports exceptions that
 *       no {@code @ExceptionHandler} handled through {@code handleError}, once;
 *   <li>durations measured with the application's {@link Ticker} bean if it has one (tests);
 *   <li>metrics on their own port, 9091 ({@code vigil.metrics.export=server}, the seed's layout),
 *       with the live KPI page on {@code /} of that port ({@code vigil.ui.enabled}), or through
 *       Actuator's {@code /actuator/prometheus} ({@code vigil.metrics.export=actuator}), which must
 *       then be exposed: start-up fails naming the property otherwise.
 * </ul>
 *
 * <pre>{@code
 * @RestController
 * class GenerateController {
 *   private final Monitoring monitoring;
 *   GenerateController(Monitoring monitoring) { this.monitoring = monitoring; }
 *
 *   @PostMapping("/api/generate")
 *   Result generate(@RequestBody Prompt prompt) {
 *     monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Vigil never removes or changes a meter the application had: Micrometer's {@code
 * http.server.requests} stays unless {@code vigil.http.suppress-micrometer-server-requests=true}
 * asks for one HTTP request metric. When Actuator exposes Micrometer's JVM metrics, Vigil's own
 * endpoint leaves client_java's out (unless {@code vigil.metrics.jvm=true}), so that no metric name
 * is served twice with different labels.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.JvmMetricsAutoConfiguration"
    })
@EnableConfigurationProperties(VigilProperties.class)
public class VigilAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(VigilAutoConfiguration.class);
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern CAMEL_CASE = Pattern.compile("([a-z0-9])([A-Z])");
  private static final String PROMETHEUS_ENDPOINT =
      "org.springframework.boot.actuate.metrics.export.prometheus.PrometheusScrapeEndpoint";
  private static final String MICROMETER_JVM_METRICS =
      "io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics";

  /** {@code vigil.enabled=false}: a Monitoring that does nothing, for the code that injects one. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "vigil", name = "enabled", havingValue = "false")
  static class Disabled {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Monitoring vigilMonitoring(VigilProperties properties, Environment environment) {
      String service = service(properties, environment);
      LOG.info(
          "Vigil is off (vigil.enabled=false): the Monitoring bean of service '{}' accepts every"
              + " call and records, serves and sends nothing",
          service);
      return Monitoring.disabled(service);
    }
  }

  /** Vigil on: the default. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "vigil", name = "enabled", matchIfMissing = true)
  static class Enabled {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Monitoring vigilMonitoring(
        VigilProperties properties,
        Environment environment,
        ListableBeanFactory beans,
        ObjectProvider<PrometheusRegistry> prometheusRegistry,
        ObjectProvider<Ticker> ticker) {
      return VigilAutoConfiguration.monitoring(
          properties, environment, beans, prometheusRegistry, ticker);
    }

    @Bean
    SmartLifecycle vigilLifecycle(Monitoring monitoring, VigilProperties properties) {
      return VigilAutoConfiguration.lifecycle(monitoring, properties);
    }

    /** The servlet filter, in servlet web applications. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "jakarta.servlet.Filter")
    @ConditionalOnProperty(prefix = "vigil.http", name = "enabled", matchIfMissing = true)
    static class ServletFilterConfiguration {
      @Bean
      @ConditionalOnMissingBean(name = "vigilFilter")
      FilterRegistrationBean<VigilServletFilter> vigilFilter(
          Monitoring monitoring, VigilProperties properties) {
        VigilProperties.Http http = properties.getHttp();
        HttpInstrumentation instrumentation =
            HttpInstrumentation.builder(monitoring)
                .ignorePaths(http.getIgnorePaths())
                .errorHeaders(http.getErrorHeaders().toArray(new String[0]))
                .requestIdHeader(http.getRequestIdHeader())
                .echoRequestId(http.isEchoRequestId())
                .successLogLevel(http.getLogLevel().getSuccess())
                .clientErrorLogLevel(http.getLogLevel().getClientError())
                .serverErrorLogLevel(http.getLogLevel().getServerError())
                .build();
        FilterRegistrationBean<VigilServletFilter> registration =
            new FilterRegistrationBean<>(VigilServletFilter.create(instrumentation));
        registration.setName("vigilFilter");
        registration.setDispatcherTypes(VigilServletFilter.dispatcherTypes());
        registration.setAsyncSupported(true);
        registration.setOrder(http.getFilterOrder());
        registration.addUrlPatterns("/*");
        return registration;
      }

      /**
       * One HTTP request metric, Vigil's, when the application asks for it: Micrometer's {@code
       * http.server.requests} is the application's meter, which Vigil leaves alone by default.
       */
      @Configuration(proxyBeanMethods = false)
      @ConditionalOnClass(name = "io.micrometer.core.instrument.config.MeterFilter")
      @ConditionalOnProperty(prefix = "vigil.http", name = "suppress-micrometer-server-requests")
      static class MicrometerConfiguration {
        @Bean
        MeterFilter vigilSuppressMicrometerServerRequests() {
          LOG.info(
              "Vigil: Micrometer's http.server.requests meters are off, as"
                  + " vigil.http.suppress-micrometer-server-requests=true asks; Vigil's"
                  + " http_requests_total measures the same requests");
          return MeterFilter.denyNameStartsWith("http.server.requests");
        }
      }
    }
  }

  private static String service(VigilProperties properties, Environment environment) {
    return properties.getService() != null
        ? properties.getService()
        : environment.getProperty("spring.application.name", "application");
  }

  static Monitoring monitoring(
      VigilProperties properties,
      Environment environment,
      ListableBeanFactory beans,
      ObjectProvider<PrometheusRegistry> prometheusRegistry,
      ObjectProvider<Ticker> ticker) {
    PrometheusClientVersion.check();
    String service = service(properties, environment);
    Monitoring.Builder builder;
    try {
      builder = Monitoring.builder(service);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "vigil.service (or spring.application.name): " + e.getMessage(), e);
    }
    Map<String, String> origins = new LinkedHashMap<>();
    Map<String, String> variables =
        properties.isReadEnvironment() ? variables(environment, origins) : Map.of();
    if (properties.isReadEnvironment()) {
      builder.readEnvironment(variables);
    }
    ticker.ifAvailable(builder::ticker);
    if (writesEcs(environment)) {
      // Spring's ECS lines carry a service object of their own; a second "service" key makes
      // Boot's encoder drop the whole line.
      builder.tagLogLines(false);
    }
    VigilProperties.Metrics metrics = properties.getMetrics();
    boolean actuator = metrics.getExport() == VigilProperties.Export.ACTUATOR;
    // Through the core's own settings, so each bound and message is the one of the variable and
    // the builder method, with the property's name in it.
    Map<String, Object> vigil = new LinkedHashMap<>();
    vigil.put("vigil.environment", properties.getEnvironment());
    vigil.put("vigil.strict", properties.getStrict());
    if (!properties.getRedactKeys().isEmpty()) {
      vigil.put("vigil.redact-keys", properties.getRedactKeys());
    }
    vigil.put("vigil.metrics.max-label-sets", metrics.getMaxLabelSets());
    metrics
        .getMaxLabelSetsPerMetric()
        .forEach(
            (name, max) ->
                vigil.put("vigil.metrics.max-label-sets-per-metric." + metricName(name), max));
    vigil.put("vigil.ui.enabled", properties.getUi().getEnabled());
    vigil.put("vigil.metrics.bearer-token", metrics.getBearerToken());
    boolean actuatorServesPrometheus = hasBean(beans, PROMETHEUS_ENDPOINT);
    if (actuator) {
      PrometheusRegistry registry = prometheusRegistry.getIfAvailable();
      if (registry == null) {
        throw new IllegalStateException(
            "vigil.metrics.export=actuator needs Actuator's Prometheus registry: add"
                + " spring-boot-starter-actuator and io.micrometer:micrometer-registry-prometheus,"
                + " and expose the endpoint with management.endpoints.web.exposure.include=prometheus;"
                + " or set vigil.metrics.export=server to serve metrics on Vigil's own port.");
      }
      checkPrometheusEndpointExposed(environment, actuatorServesPrometheus);
      // Actuator serves the registry; Micrometer already exposes JVM and process metrics, and
      // client_java's would collide with them by name.
      builder.registry(registry).metricsEnabled(false);
      builder.jvmMetrics(metrics.getJvm() != null && metrics.getJvm());
    } else {
      vigil.put("vigil.metrics.enabled", metrics.getEnabled());
      vigil.put("vigil.metrics.port", metrics.getPort());
      vigil.put("vigil.metrics.host", metrics.getHost());
      vigil.put("vigil.metrics.jvm", metrics.getJvm());
      if (metrics.getJvm() == null
          && !variables.containsKey("ENABLE_JVM_METRICS")
          && actuatorServesPrometheus
          && hasBean(beans, MICROMETER_JVM_METRICS)) {
        // Both endpoints would serve jvm_memory_used_bytes and friends, with different labels.
        builder.jvmMetrics(false);
        LOG.info(
            "Vigil: JVM metrics come from Micrometer on /actuator/prometheus; Vigil's endpoint"
                + " leaves client_java's out so that no metric name is served twice with different"
                + " labels. Set vigil.metrics.jvm=true to serve them on both.");
      }
    }
    builder.readProperties(vigil);
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw namingTheProperty(e, origins);
    }
  }

  /**
   * A module's error names the variable it read ({@code VIGIL_REDIS_URL must ...}); when that
   * variable came from a property, the message names the property the application set.
   */
  static IllegalArgumentException namingTheProperty(
      IllegalArgumentException e, Map<String, String> origins) {
    String message = String.valueOf(e.getMessage());
    for (Map.Entry<String, String> o : origins.entrySet()) {
      // "VIGIL_REDIS_URL must", "OTEL_EXPORTER_OTLP_HEADERS: entry 2", "..._PROTOCOL=http/json"
      if (message.startsWith(o.getKey())
          && message.length() > o.getKey().length()
          && " :=".indexOf(message.charAt(o.getKey().length())) >= 0) {
        return new IllegalArgumentException(
            o.getValue() + " (" + o.getKey() + ")" + message.substring(o.getKey().length()), e);
      }
    }
    return e;
  }

  /**
   * With {@code vigil.metrics.export=actuator}, every Vigil metric is reachable only through {@code
   * /actuator/prometheus}: an endpoint that is not exposed (Actuator exposes only {@code health} by
   * default) or not accessible answers 404, and nothing else would say so.
   */
  private static void checkPrometheusEndpointExposed(Environment environment, boolean available) {
    Binder binder = Binder.get(environment);
    Set<String> include =
        binder
            .bind("management.endpoints.web.exposure.include", Bindable.setOf(String.class))
            .orElse(Set.of("health"));
    Set<String> exclude =
        binder
            .bind("management.endpoints.web.exposure.exclude", Bindable.setOf(String.class))
            .orElse(Set.of());
    boolean exposed =
        (include.contains("*") || include.contains("prometheus"))
            && !(exclude.contains("*") || exclude.contains("prometheus"));
    if (!exposed) {
      throw new IllegalStateException(
          "vigil.metrics.export=actuator, but Actuator does not expose its Prometheus endpoint over"
              + " HTTP (management.endpoints.web.exposure.include is "
              + include
              + (exclude.isEmpty() ? "" : ", exclude is " + exclude)
              + "), so /actuator/prometheus would answer 404 and no metric would be reachable."
              + " Add prometheus to management.endpoints.web.exposure.include (such as"
              + " management.endpoints.web.exposure.include=health,prometheus), or set"
              + " vigil.metrics.export=server to serve metrics on Vigil's own port.");
    }
    if (!available) {
      throw new IllegalStateException(
          "vigil.metrics.export=actuator, but Actuator's Prometheus endpoint is turned off, so"
              + " /actuator/prometheus would answer 404 and no metric would be reachable. Set"
              + " management.endpoint.prometheus.access=unrestricted (or remove the setting that"
              + " turns it off), or set vigil.metrics.export=server to serve metrics on Vigil's own"
              + " port.");
    }
  }

  /** Whether Spring Boot's structured logging writes the ECS format, to the console or a file. */
  static boolean writesEcs(Environment environment) {
    return "ecs".equalsIgnoreCase(environment.getProperty("logging.structured.format.console", ""))
        || "ecs".equalsIgnoreCase(environment.getProperty("logging.structured.format.file", ""));
  }

  private static boolean hasBean(ListableBeanFactory beans, String className) {
    try {
      Class<?> type =
          Class.forName(className, false, VigilAutoConfiguration.class.getClassLoader());
      return beans.getBeanNamesForType(type, true, false).length > 0;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Starts the metrics endpoint with the context, before the web server takes traffic. */
  static SmartLifecycle lifecycle(Monitoring monitoring, VigilProperties properties) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        try {
          monitoring.start();
        } catch (IllegalStateException e) {
          throw new IllegalStateException(
              "Vigil could not serve metrics: "
                  + e.getMessage()
                  + " In Spring Boot, set vigil.metrics.port (0 for any free port),"
                  + " vigil.metrics.export=actuator, or vigil.metrics.enabled=false.",
              e);
        }
        running = true;
        if (properties.getMetrics().getExport() == VigilProperties.Export.ACTUATOR) {
          LOG.info(
              "Vigil: metrics for service '{}' are served by Actuator at /actuator/prometheus",
              monitoring.service());
        }
      }

      @Override
      public void stop() {
        running = false; // the Monitoring bean is closed when the context closes
      }

      @Override
      public boolean isRunning() {
        return running;
      }

      @Override
      public int getPhase() {
        return 0; // before the web server (Integer.MAX_VALUE - 1)
      }
    };
  }

  /**
   * The upper-case names (environment variables, and properties written like them) visible in
   * Spring's environment, resolved with Spring's precedence, for {@link
   * Monitoring.Builder#readEnvironment(Map)} and the modules that read their settings from it.
   */
  static Map<String, String> variables(Environment environment) {
    return variables(environment, new LinkedHashMap<>());
  }

  /** As {@link #variables(Environment)}; {@code origins} gets the property each one came from. */
  static Map<String, String> variables(Environment environment, Map<String, String> origins) {
    Map<String, String> variables = new LinkedHashMap<>();
    if (environment instanceof ConfigurableEnvironment) {
      for (PropertySource<?> source :
          ((ConfigurableEnvironment) environment).getPropertySources()) {
        if (source instanceof EnumerablePropertySource) {
          for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
            String variable = variableName(name);
            if (variable != null && !variables.containsKey(variable)) {
              String value = environment.getProperty(name);
              if (value != null) {
                variables.put(variable, value);
                if (!variable.equals(name)) {
                  origins.put(variable, name);
                }
              }
            }
          }
        }
      }
    } else {
      variables.putAll(System.getenv());
    }
    return variables;
  }

  /**
   * The variable a property stands for: upper-case names as they are; OpenTelemetry's {@code
   * otel.exporter.otlp.endpoint} as {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the SDK's own mapping) and
   * {@code vigil.otel.genai-metrics} as {@code VIGIL_OTEL_GENAI_METRICS}, for {@code vigil-otel};
   * {@code vigil.redis.flush-interval} (or {@code flushInterval}) as {@code
   * VIGIL_REDIS_FLUSH_INTERVAL}, for {@code vigil-redis}; null for any other property.
   */
  static @Nullable String variableName(String property) {
    if (VARIABLE_NAME.matcher(property).matches()) {
      return property;
    }
    if (property.startsWith("otel.")
        || property.startsWith("vigil.otel.")
        || property.startsWith("vigil.redis.")) {
      return CAMEL_CASE
          .matcher(property)
          .replaceAll("$1_$2")
          .toUpperCase(Locale.ROOT)
          .replace('.', '_')
          .replace('-', '_');
    }
    return null;
  }

  /**
   * Spring drops {@code _} from map keys written without brackets, so {@code
   * max-label-sets-per-metric.http_requests_total} arrives as {@code httprequeststotal}: match it
   * back to the catalogue name.
   */
  static String metricName(String key) {
    if (MetricCatalog.find(key) != null) {
      return key;
    }
    for (MetricCatalog.Definition d : MetricCatalog.all()) {
      if (d.name().replace("_", "").equals(key)) {
        return d.name();
      }
    }
    return key;
  }
}
