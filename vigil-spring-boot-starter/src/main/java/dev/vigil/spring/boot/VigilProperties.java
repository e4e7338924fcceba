package dev.vigil.spring.boot;

import dev.vigil.http.HttpInstrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.event.Level;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code vigil.*} properties. Every property is optional: an unset one falls back to the
 * environment variable the core reads ({@code METRICS_PORT}, {@code ENABLE_METRICS}, ...), then to
 * the default. Spring binds their types; the core's settings check their values, with the bounds of
 * the variables and the builder methods, so a bad value fails start-up with a message naming the
 * property.
 *
 * <pre>{@code
 * vigil.service=payments-api
 * vigil.metrics.port=9091
 * vigil.metrics.export=actuator        # serve through /actuator/prometheus instead
 * vigil.ui.enabled=false               # no KPI page on / of the metrics port
 * vigil.http.ignore-paths=/health,/metrics,/actuator/*
 * }</pre>
 */
@ConfigurationProperties("vigil")
public class VigilProperties {
  /** Where metrics are served. */
  public enum Export {
    /** Vigil's own endpoint, {@code /metrics} and {@code /health} on their own port (9091). */
    SERVER,
    /** Spring Boot Actuator's {@code /actuator/prometheus}, beside Micrometer's metrics. */
    ACTUATOR
  }

  /** Whether Vigil is auto-configured at all. */
  private boolean enabled = true;

  /** The service label on every series; default spring.application.name, else "application". */
  private @Nullable String service;

  /** The deployment environment; default APP_ENV or ENVIRONMENT, else "development". */
  private @Nullable String environment;

  /**
   * Throw on bad input instead of normalising it (tests and development); default VIGIL_STRICT or
   * false.
   */
  private @Nullable Boolean strict;

  /** Read the seed's environment variables (METRICS_PORT, ENABLE_METRICS, SENTRY_DSN, ...). */
  private boolean readEnvironment = true;

  /** Extra key fragments to redact, besides the defaults (password, token, cookie, ...). */
  private List<String> redactKeys = new ArrayList<>();

  private final Metrics metrics = new Metrics();
  private final Http http = new Http();
  private final Ui ui = new Ui();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getService() {
    return service;
  }

  public void setService(@Nullable String service) {
    this.service = service;
  }

  public @Nullable String getEnvironment() {
    return environment;
  }

  public void setEnvironment(@Nullable String environment) {
    this.environment = environment;
  }

  public @Nullable Boolean getStrict() {
    return strict;
  }

  public void setStrict(@Nullable Boolean strict) {
    this.strict = strict;
  }

  public boolean isReadEnvironment() {
    return readEnvironment;
  }

  public void setReadEnvironment(boolean readEnvironment) {
    this.readEnvironment = readEnvironment;
  }

  public List<String> getRedactKeys() {
    return redactKeys;
  }

  public void setRedactKeys(List<String> redactKeys) {
    this.redactKeys = new ArrayList<>(redactKeys);
  }

  public Metrics getMetrics() {
    return metrics;
  }

  public Http getHttp() {
    return http;
  }

  public Ui getUi() {
    return ui;
  }

  /** {@code vigil.ui.*}: the live KPI page on Vigil's own metrics port. */
  public static class Ui {
    /**
     * Serve the KPI page on / of the metrics port (server mode only); default VIGIL_UI_ENABLED or
     * true.
     */
    private @Nullable Boolean enabled;

    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** {@code vigil.metrics.*}: the metrics endpoint and the label-set limits. */
  public static class Metrics {
    /** Serve metrics at all; default ENABLE_METRICS or true. */
    private @Nullable Boolean enabled;

    /** Where metrics are served: server (own port, default) or actuator (/actuator/prometheus). */
    private Export export = Export.SERVER;

    /**
     * The port of the metrics endpoint in server mode; default METRICS_PORT or 9091, 0 for any free
     * port.
     */
    private @Nullable Integer port;

    /** The interface of the metrics endpoint in server mode; default METRICS_HOST or 0.0.0.0. */
    private @Nullable String host;

    /**
     * Require "Authorization: Bearer <token>" on /metrics; default METRICS_BEARER_TOKEN or none.
     */
    private @Nullable String bearerToken;

    /**
     * Expose client_java's JVM and process metrics; default true in server mode, false in actuator
     * mode (Micrometer has its own).
     */
    private @Nullable Boolean jvm;

    /**
     * The most label sets one metric may hold before folding into __overflow__; default
     * VIGIL_MAX_LABEL_SETS or 1000.
     */
    private @Nullable Integer maxLabelSets;

    /** Per-metric label-set limits, by exposed metric name, e.g. http_requests_total=500. */
    private Map<String, Integer> maxLabelSetsPerMetric = new LinkedHashMap<>();

    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    public Export getExport() {
      return export;
    }

    public void setExport(Export export) {
      this.export = export;
    }

    public @Nullable Integer getPort() {
      return port;
    }

    public void setPort(@Nullable Integer port) {
      this.port = port;
    }

    public @Nullable String getHost() {
      return host;
    }

    public void setHost(@Nullable String host) {
      this.host = host;
    }

    public @Nullable String getBearerToken() {
      return bearerToken;
    }

    public void setBearerToken(@Nullable String bearerToken) {
      this.bearerToken = bearerToken;
    }

    public @Nullable Boolean getJvm() {
      return jvm;
    }

    public void setJvm(@Nullable Boolean jvm) {
      this.jvm = jvm;
    }

    public @Nullable Integer getMaxLabelSets() {
      return maxLabelSets;
    }

    public void setMaxLabelSets(@Nullable Integer maxLabelSets) {
      this.maxLabelSets = maxLabelSets;
    }

    public Map<String, Integer> getMaxLabelSetsPerMetric() {
      return maxLabelSetsPerMetric;
    }

    public void setMaxLabelSetsPerMetric(Map<String, Integer> limits) {
      this.maxLabelSetsPerMetric = new LinkedHashMap<>(limits);
    }
  }

  /** {@code vigil.http.*}: the HTTP filter. */
  public static class Http {
    /** Record HTTP metrics and report unhandled errors with the servlet filter. */
    private boolean enabled = true;

    /** Paths not measured: exact, or a prefix ending in /*; relative to the context path. */
    private List<String> ignorePaths =
        new ArrayList<>(List.of("/health", "/metrics", "/actuator/*"));

    /** Request headers included (redacted) in error reports; default none. */
    private List<String> errorHeaders = new ArrayList<>();

    /** The header the request id is read from and echoed in. */
    private String requestIdHeader = HttpInstrumentation.DEFAULT_REQUEST_ID_HEADER;

    /** Send the request id back in the response header (off by default: one more header each). */
    private boolean echoRequestId;

    /** The order of the filter; first by default, so security rejections are measured too. */
    private int filterOrder = Integer.MIN_VALUE + 1;

    /**
     * Turn off Micrometer's http.server.requests meters while Vigil's filter measures the same
     * requests as http_requests_total, so there is one HTTP request metric, not two. Off by
     * default: they are the application's meters, and dashboards may use them.
     */
    private boolean suppressMicrometerServerRequests;

    private final LogLevel logLevel = new LogLevel();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public List<String> getIgnorePaths() {
      return ignorePaths;
    }

    public void setIgnorePaths(List<String> ignorePaths) {
      for (String path : ignorePaths) {
        String p = path == null ? "" : path.strip();
        if (!p.startsWith("/")
            || (p.contains("*") && (!p.endsWith("/*") || p.indexOf('*') != p.length() - 1))) {
          throw new IllegalArgumentException(
              "vigil.http.ignore-paths: '"
                  + path
                  + "' is not a path; use an exact path such as"
                  + " /health, or a prefix ending in /* such as /actuator/*");
        }
      }
      this.ignorePaths = new ArrayList<>(ignorePaths);
    }

    public List<String> getErrorHeaders() {
      return errorHeaders;
    }

    public void setErrorHeaders(List<String> errorHeaders) {
      for (String name : errorHeaders) {
        checkHeader("vigil.http.error-headers", name);
      }
      this.errorHeaders = new ArrayList<>(errorHeaders);
    }

    public String getRequestIdHeader() {
      return requestIdHeader;
    }

    public void setRequestIdHeader(String requestIdHeader) {
      this.requestIdHeader = checkHeader("vigil.http.request-id-header", requestIdHeader);
    }

    public boolean isEchoRequestId() {
      return echoRequestId;
    }

    public void setEchoRequestId(boolean echoRequestId) {
      this.echoRequestId = echoRequestId;
    }

    public int getFilterOrder() {
      return filterOrder;
    }

    public void setFilterOrder(int filterOrder) {
      this.filterOrder = filterOrder;
    }

    public boolean isSuppressMicrometerServerRequests() {
      return suppressMicrometerServerRequests;
    }

    public void setSuppressMicrometerServerRequests(boolean suppress) {
      this.suppressMicrometerServerRequests = suppress;
    }

    public LogLevel getLogLevel() {
      return logLevel;
    }

    private static String checkHeader(String property, @Nullable String name) {
      String n = name == null ? "" : name.strip();
      if (n.isEmpty() || !n.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
        throw new IllegalArgumentException(
            property + ": '" + name + "' is not a header name; use a name such as X-Request-Id");
      }
      return n;
    }
  }

  /**
   * {@code vigil.http.log-level.*}: the level of the request log line (logger dev.vigil.http), by
   * status: trace, debug, info, warn or error.
   */
  public static class LogLevel {
    /** For a status below 400. */
    private Level success = Level.DEBUG;

    /** For a status from 400 to 499: the client's mistake, counted in the metrics. */
    private Level clientError = Level.DEBUG;

    /** For a status of 500 and more. */
    private Level serverError = Level.WARN;

    public Level getSuccess() {
      return success;
    }

    public void setSuccess(Level success) {
      this.success = success;
    }

    public Level getClientError() {
      return clientError;
    }

    public void setClientError(Level clientError) {
      this.clientError = clientError;
    }

    public Level getServerError() {
      return serverError;
    }

    public void setServerError(Level serverError) {
      this.serverError = serverError;
    }
  }

  @Override
  public String toString() {
    return "VigilProperties{service="
        + service
        + ", export="
        + metrics.export.name().toLowerCase(Locale.ROOT)
        + '}';
  }
}
