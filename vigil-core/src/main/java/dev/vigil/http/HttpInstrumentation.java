package dev.vigil.http;

import dev.vigil.Metrics;
import dev.vigil.Monitoring;
import dev.vigil.Redactor;
import dev.vigil.Ticker;
import dev.vigil.internal.Internals;
import dev.vigil.internal.Throwables;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * What every Vigil HTTP adapter shares: the settings (ignored paths, the request-id header, error
 * headers, the request log levels) and the {@link RequestScope} each request runs in. The JDK
 * {@link VigilHttpServerFilter}, the Jakarta Servlet filter ({@code vigil-servlet}) and the Spring
 * Boot starter are thin adapters over it; write one for another server the same way, with a {@link
 * RequestReader} for its request type, and run {@code vigil-testkit}'s {@code HttpAdapterContract}
 * against it.
 *
 * <pre>{@code
 * HttpInstrumentation http = HttpInstrumentation.builder(monitoring)
 *     .ignorePaths("/health", "/metrics", "/static/*")
 *     .errorHeaders("User-Agent", "X-Forwarded-For")
 *     .clientErrorLogLevel(Level.INFO)
 *     .build();
 * server.createContext("/", handler).getFilters().add(VigilHttpServerFilter.create(http));
 * }</pre>
 *
 * <p>Per request, an adapter records {@code http_requests_total} and {@code
 * http_request_duration_seconds} by {@code method}, {@code route} and {@code status_code}:
 *
 * <ul>
 *   <li>the method is one of the standard nine, or {@value #OTHER_METHOD};
 *   <li>the route is the template the framework matched ({@code /api/users/{id}}), or for a prefix
 *       mapping ({@code /api/*}) the mapping's literal part and the rest with ids replaced, or else
 *       the path with ids replaced ({@link RouteNormalizer}). A status the matched route sent, 404
 *       included, keeps the route; a 404 nothing matched (or only a catch-all such as {@code /**})
 *       is {@value #UNMATCHED}, so scanners probing random paths add one series, not thousands. The
 *       route never includes the servlet context path;
 *   <li>the request id is the incoming {@code X-Request-Id} when it is a sane token (at most 128
 *       letters, digits and {@code . _ : -}), or a new random one; it is in the SLF4J {@link MDC}
 *       under {@value #REQUEST_ID_KEY} while the request runs, and, if {@link
 *       Builder#echoRequestId(boolean) asked for}, echoed in the response header;
 *   <li>one line per request on the {@code dev.vigil.http} logger with method, route, status,
 *       duration and user agent: at WARN for a status of 500 or more, at DEBUG otherwise (see
 *       {@link Builder#serverErrorLogLevel} and the other two levels);
 *   <li>an exception the application did not handle is recorded as status 500 and reported once
 *       through {@link Monitoring#handleError(Throwable, Map)} with method, route, URL path,
 *       request id and the redacted query string. Headers are reported only when named in {@link
 *       Builder#errorHeaders}, and then redacted; bodies never.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class HttpInstrumentation {
  /**
   * The request attribute (servlet) through which an application or framework adapter names the
   * route template of a request, when Vigil cannot find it: {@code
   * request.setAttribute(HttpInstrumentation.ROUTE_ATTRIBUTE, "/api/users/{id}")}.
   */
  public static final String ROUTE_ATTRIBUTE = "dev.vigil.route";

  /** The route of requests that matched nothing (404 without a template). */
  public static final String UNMATCHED = "UNMATCHED";

  /** The {@code method} label of requests with a non-standard method. */
  public static final String OTHER_METHOD = "OTHER";

  /** The MDC key of the request id, shared with Vigil's logging. */
  public static final String REQUEST_ID_KEY = "requestId";

  /** The header the request id is read from and echoed in, unless configured otherwise. */
  public static final String DEFAULT_REQUEST_ID_HEADER = "X-Request-Id";

  /** What is not measured unless configured otherwise: the seed's {@code ignorePaths}. */
  public static final List<String> DEFAULT_IGNORE_PATHS = List.of("/health", "/metrics");

  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.http");
  private static final int MAX_REQUEST_ID = 128;
  private static final int MAX_LOGGED_USER_AGENT = 256;
  private static final HexFormat HEX = HexFormat.of();
  // Virtual threads each get their own holder, as they get their own MDC map from the log backend.
  private static final ThreadLocal<Opened> OPENED = ThreadLocal.withInitial(Opened::new);

  private final Monitoring monitoring;
  private final Metrics metrics;
  private final Ticker ticker;
  private final Redactor redactor;
  private final RouteNormalizer normalizer;
  private final String[] exactIgnores;
  private final String[] prefixIgnores;
  private final List<String> ignorePaths;
  private final String[] errorHeaders;
  private final String requestIdHeader;
  private final boolean echoRequestId;
  private final Level successLevel;
  private final Level clientErrorLevel;
  private final Level serverErrorLevel;
  private final boolean tagsLines;

  private HttpInstrumentation(Builder b) {
    this.monitoring = b.monitoring;
    this.metrics = b.monitoring.metrics();
    this.ticker = b.monitoring.ticker();
    this.redactor = b.monitoring.redactor();
    this.normalizer = RouteNormalizer.create();
    List<String> exact = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (String path : b.ignorePaths) {
      if (path.endsWith("/*")) {
        exact.add(path.substring(0, path.length() - 2)); // "/static/*" also ignores "/static"
        prefixes.add(path.substring(0, path.length() - 1));
      } else {
        exact.add(path);
      }
    }
    this.exactIgnores = exact.toArray(new String[0]);
    this.prefixIgnores = prefixes.toArray(new String[0]);
    this.ignorePaths = List.copyOf(b.ignorePaths);
    this.errorHeaders = b.errorHeaders.toArray(new String[0]);
    this.requestIdHeader = b.requestIdHeader;
    this.echoRequestId = b.echoRequestId;
    this.successLevel = b.successLevel;
    this.clientErrorLevel = b.clientErrorLevel;
    this.serverErrorLevel = b.serverErrorLevel;
    this.tagsLines = Internals.of(b.monitoring).logOutput().tagsLines();
  }

  /** The defaults: ignore {@code /health} and {@code /metrics}, read {@code X-Request-Id}. */
  public static HttpInstrumentation create(Monitoring monitoring) {
    return builder(monitoring).build();
  }

  public static Builder builder(Monitoring monitoring) {
    return new Builder(monitoring);
  }

  public Monitoring monitoring() {
    return monitoring;
  }

  /** The ignored paths, as configured. */
  public List<String> ignorePaths() {
    return ignorePaths;
  }

  /** The header the request id is read from and echoed in. */
  public String requestIdHeader() {
    return requestIdHeader;
  }

  /** Whether the request id is set on the response. */
  public boolean echoRequestId() {
    return echoRequestId;
  }

  /**
   * Begins the scope of one request: reads its method, path and request-id header through {@code
   * reader}, starts its clock and puts its request id in the log context. A request whose path is
   * ignored gets a scope that does nothing.
   *
   * <pre>{@code
   * RequestScope<HttpServletRequest> scope = http.begin(request, reader);
   * }</pre>
   */
  public <R> RequestScope<R> begin(R request, RequestReader<R> reader) {
    // Small on purpose: the JIT inlines it into the adapter, and with it the allocation, which it
    // can then drop (see RequestScope).
    return new RequestScope<>(this, request, reader);
  }

  /**
   * The beginning of a request's work, for its {@link RequestScope}: reads the path, and unless it
   * is ignored the method, the request id and the clock, and puts the request id in the log
   * context. Whatever the reader or the ticker throws leaves the request unmeasured, as an ignored
   * one, and the log context as it was.
   *
   * <p>One method on purpose, larger than HotSpot's {@code FreqInlineSize} (325 bytes of bytecode),
   * so that C2 never inlines it ({@code RequestScopeEntryPointTest} checks the size). Then {@link
   * #begin} and the scope's constructor stay small even when compiled on their own, C2 inlines them
   * into the adapter, and the scope, which this method never sees, is kept off the heap. Were this
   * inlined into them instead, their compiled code would grow past {@code InlineSmallCode} and C2
   * would refuse to inline them ("already compiled into a big method"): 80 bytes per request. It
   * answers through a holder of the calling thread, which the scope reads at once, because a method
   * the JIT does not inline cannot hand back several values otherwise without allocating them.
   */
  <R> Opened open(R request, RequestReader<R> reader) {
    Opened opened = OPENED.get();
    opened.clear();
    try {
      String raw = reader.path(request);
      String path = raw == null || raw.isEmpty() ? "/" : raw;
      int from = Math.max(0, Math.min(reader.pathStart(request), path.length()));
      if (isIgnored(path, from)) {
        return opened;
      }
      String name = reader.method(request);
      String method;
      if (name == null) {
        method = OTHER_METHOD;
      } else {
        // Constants, so a label lookup compares references; arbitrary methods sent by clients
        // must not become series.
        switch (name) {
          case "GET":
            method = "GET";
            break;
          case "POST":
            method = "POST";
            break;
          case "PUT":
            method = "PUT";
            break;
          case "DELETE":
            method = "DELETE";
            break;
          case "PATCH":
            method = "PATCH";
            break;
          case "HEAD":
            method = "HEAD";
            break;
          case "OPTIONS":
            method = "OPTIONS";
            break;
          case "TRACE":
            method = "TRACE";
            break;
          case "CONNECT":
            method = "CONNECT";
            break;
          default:
            method = OTHER_METHOD;
            break;
        }
      }
      String incoming = reader.header(request, requestIdHeader);
      String requestId = incoming != null && isSaneId(incoming) ? incoming : newRequestId();
      long start = ticker.read();
      opened.previousRequestId = RequestLogContext.enter(requestId);
      opened.path = path;
      opened.from = from;
      opened.method = method;
      opened.requestId = requestId;
      opened.start = start;
    } catch (Throwable e) {
      opened.clear();
      Throwables.rethrowIfFatal(e);
      internalError(Throwables.asRuntime(e));
    }
    return opened;
  }

  /**
   * What {@link #open} found about a request, read by its scope at once on the same thread: the
   * path, or null when the request is not measured, and then nothing else either.
   */
  static final class Opened {
    @Nullable String path;
    int from;
    @Nullable String method;
    @Nullable String requestId;
    long start;
    @Nullable String previousRequestId;

    void clear() {
      path = null;
      from = 0;
      method = null;
      requestId = null;
      start = 0;
      previousRequestId = null;
    }
  }

  /**
   * Whether the request with this path (from index {@code from}, after any context path) is left
   * alone: not measured, not logged.
   */
  boolean isIgnored(String path, int from) {
    int length = path.length() - from;
    for (String exact : exactIgnores) {
      if (exact.length() == length && path.startsWith(exact, from)) {
        return true;
      }
    }
    for (String prefix : prefixIgnores) {
      if (path.startsWith(prefix, from)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isCatchAll(String template) {
    return template.endsWith("/**") || template.equals("/*") || template.equals("**");
  }

  private static boolean isSaneId(String id) {
    int n = id.length();
    if (n == 0 || n > MAX_REQUEST_ID) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == ':';
      if (!ok) {
        return false; // no spaces, quotes or control characters: it goes into every log line
      }
    }
    return true;
  }

  /** 64 random bits as 16 hex digits: unique enough to correlate, much cheaper than a UUID. */
  static String newRequestId() {
    // HexFormat writes the digits straight into the string's own bytes: 56 bytes per id, where
    // a char[] turned into a String took 104.
    return HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /**
   * The end of a request's work, for its {@link RequestScope}: the route label, both HTTP metrics,
   * the request log line and, if it failed, the error report; then, if the request is attached to
   * the calling thread, the log context as the scope found it. Nothing here throws but a {@link
   * VirtualMachineError}.
   *
   * <p>Kept out of line, larger than {@code FreqInlineSize}, for the reason given at {@link #open}:
   * {@link RequestScope#end()} stays small and inlines into the adapter, with the scope's fields as
   * the arguments here.
   *
   * @param status the status to record: 500 for a failed request
   * @param attachedHere whether the calling thread's log context holds this request's id
   */
  <R> void finish(
      R request,
      RequestReader<R> reader,
      String path,
      int from,
      String method,
      String requestId,
      long start,
      int status,
      @Nullable String template,
      @Nullable String prefixMapping,
      int literalEnd,
      @Nullable Throwable failure,
      boolean attachedHere,
      @Nullable String previousRequestId) {
    try {
      String route;
      if (template != null && !(status == 404 && isCatchAll(template))) {
        route = template.isEmpty() ? "/" : template;
      } else if (prefixMapping != null) {
        int literal = Math.max(from, Math.min(literalEnd, path.length()));
        // The mapping's literal part alone (/api of /api/*) is a route of its own, 404 or not.
        boolean rest =
            literal < path.length() && !(literal == path.length() - 1 && path.endsWith("/"));
        if (status == 404 && rest) {
          route = isCatchAll(prefixMapping) ? UNMATCHED : prefixMapping;
        } else if (status == 404 && literal == from) {
          route = UNMATCHED;
        } else {
          route = normalizer.normalize(path, from, literal);
        }
      } else if (status == 404) {
        route = UNMATCHED;
      } else {
        route = normalizer.normalize(path, from);
      }
      long duration = Math.max(0L, ticker.read() - start);
      metrics.recordHttpRequest(method, route, status, duration);
      Level level =
          status >= 500 ? serverErrorLevel : status >= 400 ? clientErrorLevel : successLevel;
      if (failure != null || LOG.isEnabledForLevel(level)) {
        logAndReport(
            request,
            reader,
            path,
            method,
            requestId,
            route,
            status,
            duration,
            failure,
            attachedHere);
      }
    } catch (Throwable e) {
      // A reader, a ticker or a log backend that throws must not fail the request.
      Throwables.rethrowIfFatal(e);
      internalError(Throwables.asRuntime(e));
    }
    if (attachedHere) {
      if (previousRequestId == null) {
        MDC.remove(REQUEST_ID_KEY);
      } else {
        MDC.put(REQUEST_ID_KEY, previousRequestId);
      }
    }
  }

  /**
   * The rare part of {@link #finish}: the request log line and the error report, with the request
   * id in the log context on whatever thread the request ends.
   */
  private <R> void logAndReport(
      R request,
      RequestReader<R> reader,
      String path,
      String method,
      String requestId,
      String route,
      int status,
      long duration,
      @Nullable Throwable failure,
      boolean attachedHere) {
    boolean borrowed = !attachedHere;
    String previous = borrowed ? RequestLogContext.enter(requestId) : null;
    try {
      if (logs(status)) {
        log(method, route, status, duration, reader.header(request, "User-Agent"));
      }
      if (failure != null) {
        reportError(
            failure,
            method,
            route,
            path,
            reader.query(request),
            requestId,
            name -> reader.header(request, name));
      }
    } finally {
      if (borrowed) {
        RequestLogContext.leave(previous);
      }
    }
  }

  /** The level of the request log line of a response with this status. */
  Level logLevel(int status) {
    return status >= 500 ? serverErrorLevel : status >= 400 ? clientErrorLevel : successLevel;
  }

  /** Whether a response with this status is logged; asked before looking up what the line needs. */
  boolean logs(int status) {
    return LOG.isEnabledForLevel(logLevel(status));
  }

  /** The request log line, at the level for its status. */
  void log(
      String method, String route, int status, long durationNanos, @Nullable String userAgent) {
    LoggingEventBuilder event = LOG.atLevel(logLevel(status));
    double millis = Math.round(durationNanos / 1e4) / 100.0;
    String agent = printable(userAgent);
    // The service and environment ride along so that a JVM running several services (the
    // examples do) tags each line with the right one; the log layouts take them from here.
    if (tagsLines) {
      event =
          event
              .addKeyValue("service", monitoring.service())
              .addKeyValue("environment", monitoring.environment());
    }
    event
        .addKeyValue("method", method)
        .addKeyValue("route", route)
        .addKeyValue("statusCode", status)
        .addKeyValue("durationMs", millis)
        .addKeyValue("userAgent", agent)
        .log("{} {} {} {} ms user-agent={}", method, route, status, millis, agent);
  }

  /** Client-sent text made safe for a log line: bounded, no control characters. */
  private static String printable(@Nullable String text) {
    if (text == null) {
      return "-";
    }
    int n = Math.min(text.length(), MAX_LOGGED_USER_AGENT);
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (text.length() > n) {
      out.append("...");
    }
    return out.toString();
  }

  /**
   * Reports an exception the application did not handle through {@link
   * Monitoring#handleError(Throwable, Map)}, with method, route, URL path, request id and the
   * redacted query string, plus the headers named in {@link Builder#errorHeaders} (redacted).
   *
   * @param headers looks up a request header by name
   */
  void reportError(
      @Nullable Throwable error,
      @Nullable String method,
      @Nullable String route,
      @Nullable String path,
      @Nullable String query,
      @Nullable String requestId,
      @Nullable Function<String, @Nullable String> headers) {
    try {
      monitoring.handleError(error, errorContext(method, route, path, query, requestId, headers));
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      internalError(Throwables.asRuntime(e));
    }
  }

  private Map<String, Object> errorContext(
      @Nullable String method,
      @Nullable String route,
      @Nullable String path,
      @Nullable String query,
      @Nullable String requestId,
      @Nullable Function<String, @Nullable String> headers) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("method", method);
    context.put("route", route);
    context.put("url", path);
    if (query != null && !query.isEmpty()) {
      context.put("query", redactQuery(query));
    }
    if (requestId != null) {
      context.put(REQUEST_ID_KEY, requestId);
    }
    if (errorHeaders.length > 0 && headers != null) {
      Map<String, Object> included = new LinkedHashMap<>();
      for (String name : errorHeaders) {
        String value;
        try {
          value = headers.apply(name);
        } catch (Throwable e) {
          Throwables.rethrowIfFatal(e); // the server's header lookup failed: report without it
          value = "[unreadable]";
        }
        if (value != null) {
          included.put(name, value);
        }
      }
      context.put("headers", redactor.redact(included));
    }
    return context;
  }

  /**
   * The query string with the values of sensitive parameters ({@code token}, {@code password}, ...)
   * masked, and every other value passed through the redactor's text rules.
   */
  String redactQuery(@Nullable String query) {
    if (query == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(query.length());
    int start = 0;
    boolean first = true;
    while (true) {
      int amp = query.indexOf('&', start);
      int end = amp < 0 ? query.length() : amp;
      String pair = query.substring(start, end);
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (!first) {
        out.append('&');
      }
      first = false;
      if (eq >= 0 && redactor.isSensitiveKey(decode(key))) {
        out.append(key).append('=').append(Redactor.MASK);
      } else {
        out.append(pair);
      }
      if (amp < 0) {
        break;
      }
      start = amp + 1;
    }
    return redactor.redactText(out.toString());
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  /**
   * Something in an adapter failed while instrumenting a request, such as a server call that threw:
   * logged rate-limited, never thrown.
   */
  public void internalError(RuntimeException e) {
    Internals.of(monitoring).core().internalError("HTTP instrumentation", e);
  }

  @Override
  public String toString() {
    return "HttpInstrumentation{ignorePaths="
        + ignorePaths
        + ", errorHeaders="
        + Arrays.toString(errorHeaders)
        + ", requestIdHeader="
        + requestIdHeader
        + ", echoRequestId="
        + echoRequestId
        + ", logLevels={success="
        + successLevel
        + ", clientError="
        + clientErrorLevel
        + ", serverError="
        + serverErrorLevel
        + "}}";
  }

  /** Configures an {@link HttpInstrumentation}; each setter checks its argument at once. */
  public static final class Builder {
    private final Monitoring monitoring;
    private List<String> ignorePaths = DEFAULT_IGNORE_PATHS;
    private List<String> errorHeaders = List.of();
    private String requestIdHeader = DEFAULT_REQUEST_ID_HEADER;
    private boolean echoRequestId;
    private Level successLevel = Level.DEBUG;
    private Level clientErrorLevel = Level.DEBUG;
    private Level serverErrorLevel = Level.WARN;

    private Builder(Monitoring monitoring) {
      this.monitoring = Objects.requireNonNull(monitoring, "monitoring must not be null");
    }

    /**
     * The paths not measured, replacing the default {@code /health} and {@code /metrics}. A path
     * matches exactly; one ending in {@code /*} matches everything under it and itself ({@code
     * /actuator/*}). Paths are relative to the servlet context path. Pass none to measure
     * everything.
     */
    public Builder ignorePaths(String... paths) {
      return ignorePaths(Arrays.asList(paths));
    }

    /** {@link #ignorePaths(String...)} from a collection. */
    public Builder ignorePaths(Collection<String> paths) {
      List<String> checked = new ArrayList<>(paths.size());
      for (String path : paths) {
        Objects.requireNonNull(path, "ignorePaths must not contain null");
        String p = path.strip();
        if (!p.startsWith("/")
            || p.indexOf('*') != p.lastIndexOf('*')
            || (p.contains("*") && !p.endsWith("/*"))) {
          throw new IllegalArgumentException(
              "ignorePaths: '"
                  + path
                  + "' is not a path; use an exact path such as /health, or a"
                  + " prefix ending in /* such as /actuator/*");
        }
        checked.add(p);
      }
      this.ignorePaths = List.copyOf(checked);
      return this;
    }

    /**
     * Request headers to include in error reports, redacted (an {@code Authorization} or {@code
     * Cookie} header is always masked). Default none: no header leaves the process unless named.
     */
    public Builder errorHeaders(String... names) {
      List<String> checked = new ArrayList<>(names.length);
      for (String name : names) {
        checked.add(checkHeader("errorHeaders", name));
      }
      this.errorHeaders = List.copyOf(checked);
      return this;
    }

    /** The header the request id is read from and echoed in; default {@code X-Request-Id}. */
    public Builder requestIdHeader(String name) {
      this.requestIdHeader = checkHeader("requestIdHeader", name);
      return this;
    }

    /**
     * Whether the request id is set on the response, so that a client can quote it; default false.
     * Off by default because it is one more header on every response (in Jetty 12 setting it
     * measured as a third of the filter's cost per request), and a proxy in front often sets its
     * own.
     */
    public Builder echoRequestId(boolean echo) {
      this.echoRequestId = echo;
      return this;
    }

    /**
     * The level of the request log line for a status below 400; default DEBUG, so that a healthy
     * service writes nothing per request at the usual INFO.
     */
    public Builder successLogLevel(Level level) {
      this.successLevel = Objects.requireNonNull(level, "successLogLevel must not be null");
      return this;
    }

    /**
     * The level for a status from 400 to 499; default DEBUG: a client's mistake (or a scanner's
     * probe) is counted in the metrics, and is not the service's problem to log.
     */
    public Builder clientErrorLogLevel(Level level) {
      this.clientErrorLevel = Objects.requireNonNull(level, "clientErrorLogLevel must not be null");
      return this;
    }

    /** The level for a status of 500 or more; default WARN. */
    public Builder serverErrorLogLevel(Level level) {
      this.serverErrorLevel = Objects.requireNonNull(level, "serverErrorLogLevel must not be null");
      return this;
    }

    private static String checkHeader(String setting, @Nullable String name) {
      Objects.requireNonNull(name, setting + " must not be null");
      String n = name.strip();
      if (n.isEmpty() || !n.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
        throw new IllegalArgumentException(
            setting + ": '" + name + "' is not a header name; use a name such as X-Request-Id");
      }
      return n;
    }

    public HttpInstrumentation build() {
      return new HttpInstrumentation(this);
    }
  }
}
