package dev.vigil.otel.internal;

import dev.vigil.otel.OtlpExporter.Protocol;
import dev.vigil.otel.OtlpExporter.Temporality;
import dev.vigil.spi.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The exporter's settings: what the environment and the builder said ({@link Builder}), and what
 * they resolve to once the service is known ({@link OtlpConfig}), following the OTLP exporter
 * specification's rules for endpoints, headers and precedence.
 */
public final class OtlpConfig {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  static final int DEFAULT_MAX_ATTEMPTS = 5;
  static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  static final int DEFAULT_MAX_SERIES = 100_000;
  static final int MAX_SERIES = 10_000_000;
  static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318";
  static final String DEFAULT_GRPC_ENDPOINT = "http://localhost:4317";
  static final String METRICS_PATH = "v1/metrics";

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final boolean enabled;
  private final String disabledBy;
  private final Protocol protocol;
  private final String protocolSetting;
  private final URI endpoint;
  private final String endpointSetting;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final boolean gzip;
  private final byte @Nullable [] trustedCertificates;
  private final byte @Nullable [] clientKey;
  private final byte @Nullable [] clientCertificate;
  private final Duration interval;
  private final Duration exportTimeout;
  private final Temporality temporality;
  private final Map<String, String> resource;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final int maxSeries;
  private final Duration closeTimeout;
  private final boolean genAiMetrics;
  private final @Nullable String genAiProvider;
  private final String genAiOperation;

  private OtlpConfig(Builder b, String service, String environment) {
    this.enabled = b.enabled;
    this.disabledBy = b.disabledBy;
    this.protocol = b.protocol();
    this.protocolSetting = b.protocolSetting == null ? "protocol(..)" : b.protocolSetting;
    this.endpointSetting = b.endpointSetting();
    this.endpoint = b.resolveEndpoint(protocol);
    Map<String, String> allHeaders = new LinkedHashMap<>(b.envHeaders);
    allHeaders.putAll(b.codeHeaders);
    this.headers = Map.copyOf(allHeaders);
    this.timeout = b.timeout;
    this.gzip = b.gzip;
    this.trustedCertificates = b.trustedCertificates;
    this.clientKey = b.clientKey;
    this.clientCertificate = b.clientCertificate;
    this.interval = b.interval;
    this.exportTimeout = b.exportTimeout;
    this.temporality = b.temporality;
    // Vigil's own first, then the standard variables, then code: OTEL_SERVICE_NAME beats
    // service.name in OTEL_RESOURCE_ATTRIBUTES, as the SDK specification orders them.
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("service.name", service);
    attributes.put("service.instance.id", UUID.randomUUID().toString());
    attributes.put("deployment.environment.name", environment);
    attributes.putAll(b.envResource);
    if (b.serviceName != null) {
      attributes.put("service.name", b.serviceName);
    }
    attributes.putAll(b.codeResource);
    this.resource = java.util.Collections.unmodifiableMap(attributes);
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxSeries = b.maxSeries;
    this.closeTimeout = b.closeTimeout;
    this.genAiMetrics = b.genAiMetrics;
    this.genAiProvider = b.genAiProvider;
    this.genAiOperation = b.genAiOperation;
  }

  public boolean enabled() {
    return enabled;
  }

  /** The setting that turned export off, for the log line. */
  public String disabledBy() {
    return disabledBy;
  }

  public Protocol protocol() {
    return protocol;
  }

  /** The setting the protocol came from, for messages. */
  public String protocolSetting() {
    return protocolSetting;
  }

  /** The URL exports go to, after the specification's path rules. */
  public URI endpoint() {
    return endpoint;
  }

  /** The setting the endpoint came from, for messages. */
  public String endpointSetting() {
    return endpointSetting;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public Duration timeout() {
    return timeout;
  }

  public boolean gzip() {
    return gzip;
  }

  public byte @Nullable [] trustedCertificates() {
    return trustedCertificates;
  }

  public byte @Nullable [] clientKey() {
    return clientKey;
  }

  public byte @Nullable [] clientCertificate() {
    return clientCertificate;
  }

  public Duration interval() {
    return interval;
  }

  public Duration exportTimeout() {
    return exportTimeout;
  }

  public Temporality temporality() {
    return temporality;
  }

  /** Resource attributes besides the SDK's {@code telemetry.sdk.*}, in precedence order applied. */
  public Map<String, String> resource() {
    return resource;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public int maxSeries() {
    return maxSeries;
  }

  public Duration closeTimeout() {
    return closeTimeout;
  }

  public boolean genAiMetrics() {
    return genAiMetrics;
  }

  public @Nullable String genAiProvider() {
    return genAiProvider;
  }

  public String genAiOperation() {
    return genAiOperation;
  }

  /** The endpoint without user info, query or fragment: safe to log. */
  public String endpointForLogs() {
    return safe(endpoint);
  }

  static String safe(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** What the environment and the builder said; resolved by {@link #resolve}. */
  public static final class Builder {
    private boolean enabled = true;
    private String disabledBy = "";
    private @Nullable Protocol protocol;
    private @Nullable String protocolSetting;
    private @Nullable Protocol metricsProtocol;
    private @Nullable URI endpoint;
    private String endpointSource = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private @Nullable URI metricsEndpoint;
    private String metricsEndpointSource = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    private Map<String, String> envHeaders = new LinkedHashMap<>();
    private Map<String, String> codeHeaders = new LinkedHashMap<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean gzip;
    private byte @Nullable [] trustedCertificates;
    private byte @Nullable [] clientKey;
    private byte @Nullable [] clientCertificate;
    private Duration interval = DEFAULT_INTERVAL;
    private Duration exportTimeout = DEFAULT_EXPORT_TIMEOUT;
    private Temporality temporality = Temporality.CUMULATIVE;
    private Map<String, String> envResource = new LinkedHashMap<>();
    private @Nullable String serviceName;
    private Map<String, String> codeResource = new LinkedHashMap<>();
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private int maxSeries = DEFAULT_MAX_SERIES;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private boolean genAiMetrics;
    private @Nullable String genAiProvider;
    private String genAiOperation = "chat";

    public Builder copy() {
      Builder c = new Builder();
      c.enabled = enabled;
      c.disabledBy = disabledBy;
      c.protocol = protocol;
      c.protocolSetting = protocolSetting;
      c.metricsProtocol = metricsProtocol;
      c.endpoint = endpoint;
      c.endpointSource = endpointSource;
      c.metricsEndpoint = metricsEndpoint;
      c.metricsEndpointSource = metricsEndpointSource;
      c.envHeaders = new LinkedHashMap<>(envHeaders);
      c.codeHeaders = new LinkedHashMap<>(codeHeaders);
      c.timeout = timeout;
      c.gzip = gzip;
      c.trustedCertificates = trustedCertificates;
      c.clientKey = clientKey;
      c.clientCertificate = clientCertificate;
      c.interval = interval;
      c.exportTimeout = exportTimeout;
      c.temporality = temporality;
      c.envResource = new LinkedHashMap<>(envResource);
      c.serviceName = serviceName;
      c.codeResource = new LinkedHashMap<>(codeResource);
      c.maxAttempts = maxAttempts;
      c.initialBackoff = initialBackoff;
      c.maxSeries = maxSeries;
      c.closeTimeout = closeTimeout;
      c.genAiMetrics = genAiMetrics;
      c.genAiProvider = genAiProvider;
      c.genAiOperation = genAiOperation;
      return c;
    }

    public OtlpConfig resolve(String service, String environment) {
      return new OtlpConfig(this, service, environment);
    }

    /** Reads the variables; a malformed one throws, naming it. */
    public void readEnvironment(Map<String, String> variables) {
      Settings env = Settings.of(variables);
      if (Boolean.TRUE.equals(env.bool("OTEL_SDK_DISABLED"))) {
        disable("OTEL_SDK_DISABLED=true");
      }
      String exporters = env.string("OTEL_METRICS_EXPORTER");
      if (exporters != null) {
        List<String> names = new ArrayList<>();
        for (String name : exporters.split(",")) {
          names.add(name.strip().toLowerCase(Locale.ROOT));
        }
        if (!names.contains("otlp")) {
          disable("OTEL_METRICS_EXPORTER=" + String.join(",", names) + " names no otlp exporter");
        }
      }
      Boolean on = env.bool("VIGIL_OTEL_ENABLED");
      if (Boolean.FALSE.equals(on)) {
        disable("VIGIL_OTEL_ENABLED=false");
      }
      Protocol p = parseProtocol(env, "OTEL_EXPORTER_OTLP_PROTOCOL");
      if (p != null) {
        protocol = p;
        protocolSetting = "OTEL_EXPORTER_OTLP_PROTOCOL";
      }
      Protocol mp = parseProtocol(env, "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL");
      if (mp != null) {
        metricsProtocol = mp;
        protocolSetting = "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL";
      }
      URI base = env.uri("OTEL_EXPORTER_OTLP_ENDPOINT", "http", "https");
      if (base != null) {
        endpoint = base;
        endpointSource = "OTEL_EXPORTER_OTLP_ENDPOINT";
      }
      URI metrics = env.uri("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http", "https");
      if (metrics != null) {
        metricsEndpoint = metrics;
        metricsEndpointSource = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
      }
      // The signal-specific list replaces the generic one, as the SDK's autoconfiguration does.
      String headers = env.secret("OTEL_EXPORTER_OTLP_METRICS_HEADERS");
      String headersSetting = "OTEL_EXPORTER_OTLP_METRICS_HEADERS";
      if (headers == null) {
        headers = env.secret("OTEL_EXPORTER_OTLP_HEADERS");
        headersSetting = "OTEL_EXPORTER_OTLP_HEADERS";
      }
      if (headers != null) {
        envHeaders = headers(headers, headersSetting);
      }
      Duration t =
          first(
              millis(env, "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT"),
              millis(env, "OTEL_EXPORTER_OTLP_TIMEOUT"));
      if (t != null) {
        timeout = t;
      }
      String compression =
          firstString(
              compression(env, "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION"),
              compression(env, "OTEL_EXPORTER_OTLP_COMPRESSION"));
      if (compression != null) {
        gzip = compression.equals("gzip");
      }
      byte[] ca =
          firstBytes(
              file(env, "OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE"),
              file(env, "OTEL_EXPORTER_OTLP_CERTIFICATE"));
      if (ca != null) {
        trustedCertificates = ca;
      }
      byte[] key =
          firstBytes(
              file(env, "OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY"),
              file(env, "OTEL_EXPORTER_OTLP_CLIENT_KEY"));
      byte[] cert =
          firstBytes(
              file(env, "OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE"),
              file(env, "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"));
      if ((key == null) != (cert == null)) {
        throw new IllegalArgumentException(
            "OTEL_EXPORTER_OTLP_CLIENT_KEY and OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE go together"
                + " (mutual TLS): set both, or neither");
      }
      if (key != null) {
        clientKey = key;
        clientCertificate = cert;
      }
      String preference =
          env.choice(
              "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
              List.of("cumulative", "delta", "lowmemory"));
      if (preference != null) {
        // lowmemory asks for delta counters and histograms, which is all Vigil's sums are.
        temporality = preference.equals("cumulative") ? Temporality.CUMULATIVE : Temporality.DELTA;
      }
      Duration i = millis(env, "OTEL_METRIC_EXPORT_INTERVAL");
      if (i != null) {
        interval = atLeast(i, MIN_INTERVAL, "OTEL_METRIC_EXPORT_INTERVAL");
      }
      Duration et = millis(env, "OTEL_METRIC_EXPORT_TIMEOUT");
      if (et != null) {
        exportTimeout = et;
      }
      String attributes = env.string("OTEL_RESOURCE_ATTRIBUTES");
      if (attributes != null) {
        envResource = pairs(attributes, "OTEL_RESOURCE_ATTRIBUTES", false);
      }
      String name = env.string("OTEL_SERVICE_NAME");
      if (name != null) {
        serviceName = name;
      }
      Integer series = env.integer("VIGIL_OTEL_MAX_SERIES", 1, MAX_SERIES);
      if (series != null) {
        maxSeries = series;
      }
      Duration close = env.duration("VIGIL_OTEL_CLOSE_TIMEOUT");
      if (close != null) {
        closeTimeout = positive(close, "VIGIL_OTEL_CLOSE_TIMEOUT");
      }
      Boolean genAi = env.bool("VIGIL_OTEL_GENAI_METRICS");
      if (genAi != null) {
        genAiMetrics = genAi;
      }
      String provider = env.string("VIGIL_OTEL_GENAI_PROVIDER");
      if (provider != null) {
        genAiProvider = attributeValue(provider, "VIGIL_OTEL_GENAI_PROVIDER");
      }
      String operation = env.string("VIGIL_OTEL_GENAI_OPERATION");
      if (operation != null) {
        genAiOperation = attributeValue(operation, "VIGIL_OTEL_GENAI_OPERATION");
      }
    }

    public void enabled(boolean on) {
      enabled = on;
      disabledBy = on ? "" : "enabled(false)";
    }

    public void protocol(Protocol p) {
      protocol = p;
      metricsProtocol = null;
      protocolSetting = "protocol(..)";
    }

    public void endpoint(URI url) {
      endpoint = url;
      endpointSource = "endpoint(..)";
      metricsEndpoint = null;
    }

    public void metricsEndpoint(URI url) {
      metricsEndpoint = url;
      metricsEndpointSource = "metricsEndpoint(..)";
    }

    public void header(String name, String value) {
      Objects.requireNonNull(name, "header name must not be null");
      Objects.requireNonNull(value, "header value must not be null");
      codeHeaders.put(headerName(name, "header"), value);
    }

    public void timeout(Duration t) {
      timeout = t;
    }

    public void gzip(boolean on) {
      gzip = on;
    }

    public void trustedCertificates(byte[] pem) {
      trustedCertificates = pem;
    }

    public void clientTls(byte[] key, byte[] certificate) {
      clientKey = key;
      clientCertificate = certificate;
    }

    public void interval(Duration i) {
      interval = atLeast(i, MIN_INTERVAL, "interval");
    }

    public void exportTimeout(Duration t) {
      exportTimeout = t;
    }

    public void temporality(Temporality t) {
      temporality = t;
    }

    public void resourceAttribute(String key, String value) {
      Objects.requireNonNull(key, "resource attribute key must not be null");
      Objects.requireNonNull(value, "resource attribute value must not be null");
      if (key.isBlank()) {
        throw new IllegalArgumentException("resource attribute key must not be blank");
      }
      codeResource.put(key.strip(), value);
    }

    public void retry(int attempts, Duration backoff) {
      if (attempts < 1 || attempts > 5) {
        throw new IllegalArgumentException(
            "retry maxAttempts must be between 1 (no retry) and 5, got " + attempts);
      }
      maxAttempts = attempts;
      initialBackoff = positive(backoff, "retry initialBackoff");
    }

    public void maxSeries(int max) {
      maxSeries = checkMaxSeries(max, "maxSeries");
    }

    public void closeTimeout(Duration t) {
      closeTimeout = t;
    }

    public void genAiMetrics(boolean on) {
      genAiMetrics = on;
    }

    public void genAiProvider(String provider) {
      genAiProvider = provider;
    }

    public void genAiOperation(String operation) {
      genAiOperation = operation;
    }

    private void disable(String why) {
      if (enabled) {
        enabled = false;
        disabledBy = why;
      }
    }

    private Protocol protocol() {
      if (metricsProtocol != null) {
        return metricsProtocol;
      }
      return protocol == null ? Protocol.HTTP_PROTOBUF : protocol;
    }

    private String endpointSetting() {
      if (metricsEndpoint != null) {
        return metricsEndpointSource;
      }
      return endpoint != null ? endpointSource : "the default endpoint";
    }

    /**
     * The specification's rules: the metrics-specific URL is used as it is; the generic one gets
     * {@code v1/metrics} appended to its path for HTTP and is used as it is for gRPC.
     */
    private URI resolveEndpoint(Protocol p) {
      if (metricsEndpoint != null) {
        return metricsEndpoint;
      }
      if (p == Protocol.GRPC) {
        return endpoint != null ? endpoint : URI.create(DEFAULT_GRPC_ENDPOINT);
      }
      URI base = endpoint != null ? endpoint : URI.create(DEFAULT_HTTP_ENDPOINT);
      String path = base.getRawPath() == null ? "" : base.getRawPath();
      String joined = (path.endsWith("/") ? path : path + "/") + METRICS_PATH;
      try {
        return new URI(
            base.getScheme(),
            base.getRawAuthority(),
            joined,
            base.getRawQuery(),
            base.getRawFragment());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            endpointSource + " cannot take the path " + joined + ": " + e.getReason(), e);
      }
    }

    @Override
    public String toString() {
      // Names and shapes only: header values and endpoints' credentials are secrets.
      return "{enabled="
          + enabled
          + ", protocol="
          + protocol()
          + ", endpoint="
          + (metricsEndpoint != null
              ? safe(metricsEndpoint)
              : endpoint != null ? safe(endpoint) + " (+" + METRICS_PATH + " for HTTP)" : "default")
          + ", headers="
          + headerNames()
          + ", timeout="
          + timeout
          + ", interval="
          + interval
          + ", temporality="
          + temporality
          + ", genAiMetrics="
          + genAiMetrics
          + "}";
    }

    private List<String> headerNames() {
      List<String> names = new ArrayList<>(envHeaders.keySet());
      for (String name : codeHeaders.keySet()) {
        if (!names.contains(name)) {
          names.add(name);
        }
      }
      return names;
    }
  }

  private static @Nullable Protocol parseProtocol(Settings env, String name) {
    String value = env.string(name);
    if (value == null) {
      return null;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "http/protobuf":
        return Protocol.HTTP_PROTOBUF;
      case "grpc":
        return Protocol.GRPC;
      case "http/json":
        throw new IllegalArgumentException(
            name
                + "=http/json is not supported by the OpenTelemetry Java exporter Vigil uses; set"
                + " http/protobuf (port 4318) or grpc (port 4317)");
      default:
        throw new IllegalArgumentException(
            name + " must be http/protobuf or grpc, got '" + value + "'");
    }
  }

  private static @Nullable String compression(Settings env, String name) {
    return env.choice(name, List.of("gzip", "none"));
  }

  /**
   * The specification's durations are whole milliseconds; {@code 10s} and {@code PT10S} are
   * accepted too.
   */
  private static @Nullable Duration millis(Settings env, String name) {
    String value = env.string(name);
    if (value == null) {
      return null;
    }
    Duration d;
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        d = Duration.ofMillis(Long.parseLong(value));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " is too large, got '" + value + "'", e);
      }
    } else {
      try {
        d = env.duration(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            name
                + " must be a whole number of milliseconds, such as 10000, or a duration such as"
                + " 10s; got '"
                + value
                + "'",
            e);
      }
    }
    return positive(Objects.requireNonNull(d), name);
  }

  private static byte @Nullable [] file(Settings env, String name) {
    String value = env.string(name);
    return value == null ? null : read(Path.of(value), name);
  }

  /** Reads a PEM file given by {@code setting}, failing with a message that names it. */
  public static byte[] read(Path path, String setting) {
    Objects.requireNonNull(path, setting + " must not be null");
    try {
      byte[] bytes = Files.readAllBytes(path);
      if (bytes.length == 0) {
        throw new IllegalArgumentException(setting + ": the file " + path + " is empty");
      }
      return bytes;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          setting + ": cannot read the PEM file " + path + " (" + e + ")", e);
    }
  }

  /** An absolute http(s) URL with a host, checked for {@code setting}. */
  public static URI url(String url, String setting) {
    Objects.requireNonNull(url, setting + " must not be null");
    Settings one = Settings.of(Map.of(setting, url));
    URI uri = one.uri(setting, "http", "https");
    if (uri == null) {
      throw new IllegalArgumentException(setting + " must not be blank");
    }
    return uri;
  }

  public static Duration positive(Duration d, String setting) {
    Objects.requireNonNull(d, setting + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(setting + " must be more than 0, got " + millis(d));
    }
    return d;
  }

  /** In milliseconds, as the OTEL_* variables are written; ISO text past what a long holds. */
  private static String millis(Duration d) {
    try {
      return d.toMillis() + " ms";
    } catch (ArithmeticException tooLong) {
      return d.toString();
    }
  }

  private static Duration atLeast(Duration d, Duration min, String setting) {
    if (positive(d, setting).compareTo(min) < 0) {
      throw new IllegalArgumentException(
          setting + " must be at least " + min.toMillis() + " ms, got " + millis(d));
    }
    return d;
  }

  /** A short attribute value such as a provider name: not blank, at most 64 characters. */
  public static String attributeValue(String value, String setting) {
    Objects.requireNonNull(value, setting + " must not be null");
    String v = value.strip();
    if (v.isEmpty() || v.length() > 64) {
      throw new IllegalArgumentException(
          setting + " must have 1 to 64 characters, such as openai, got '" + value + "'");
    }
    return v;
  }

  /**
   * {@code key=value,key2=value2} with percent-encoded values, as {@code OTEL_RESOURCE_ATTRIBUTES}
   * and {@code OTEL_EXPORTER_OTLP_HEADERS} take them. Header values are never repeated in a
   * message.
   */
  static Map<String, String> pairs(String text, String setting, boolean secret) {
    Map<String, String> pairs = new LinkedHashMap<>();
    String[] entries = text.split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String key = eq < 0 ? "" : entry.substring(0, eq).strip();
      if (key.isEmpty()) {
        throw new IllegalArgumentException(
            setting
                + " must be a comma-separated list of key=value pairs, such as "
                + (secret
                    ? "api-key=..."
                    : "service.namespace=shop,deployment.environment.name=prod")
                + "; entry "
                + (i + 1)
                + (secret
                    ? " is not (values are not shown: they may be secrets)"
                    : " is '" + entry + "'"));
      }
      String value = decode(entry.substring(eq + 1).strip(), setting, i + 1, secret);
      pairs.put(key, value);
    }
    return pairs;
  }

  private static Map<String, String> headers(String text, String setting) {
    Map<String, String> headers = pairs(text, setting, true);
    for (String name : headers.keySet()) {
      headerName(name, setting);
    }
    return headers;
  }

  /** A header's name, which is not a secret (its value may be). */
  private static String headerName(String name, String setting) {
    if (!HEADER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          setting
              + ": a header name must be an HTTP token (letters, digits and !#$%&'*+.^_`|~-), got '"
              + name
              + "'");
    }
    return name;
  }

  /** The series delta temporality remembers, 1 to 10,000,000. */
  private static int checkMaxSeries(int max, String setting) {
    if (max < 1 || max > MAX_SERIES) {
      throw new IllegalArgumentException(
          setting + " must be between 1 and " + MAX_SERIES + ", got " + max);
    }
    return max;
  }

  /**
   * Percent-decoding only: a {@code +} stays a {@code +}, as base64 API keys need. Works on the
   * UTF-8 bytes, where {@code %} and hex digits never occur inside a multi-byte character.
   */
  private static String decode(String value, String setting, int entry, boolean secret) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    byte[] in = value.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '%') {
        int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
        int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException(
              setting
                  + ": entry "
                  + entry
                  + " has a '%' not followed by two hex digits"
                  + (secret ? " (values are not shown: they may be secrets)" : ""));
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(in[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @SafeVarargs
  private static <T> @Nullable T first(@Nullable T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static @Nullable String firstString(@Nullable String a, @Nullable String b) {
    return a != null ? a : b;
  }

  private static byte @Nullable [] firstBytes(byte @Nullable [] a, byte @Nullable [] b) {
    return a != null ? a : b;
  }

  @Override
  public String toString() {
    return "OtlpConfig{endpoint="
        + endpointForLogs()
        + ", protocol="
        + protocol
        + ", headers="
        + Arrays.toString(headers.keySet().toArray())
        + "}";
  }
}
