package dev.vigil.servlet;

import dev.vigil.Monitoring;
import dev.vigil.http.HttpInstrumentation;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * HTTP metrics for Jakarta Servlet 6 containers: the seed's {@code createExpressMetricsMiddleware({
 * monitoring, ignorePaths })} and {@code createExpressErrorHandler} as one filter.
 *
 * <pre>{@code
 * // Jetty 12 (ee10), Tomcat 10.1+, Undertow: register it first, async-supported, for REQUEST
 * // and ASYNC dispatches
 * FilterHolder holder = new FilterHolder(VigilServletFilter.create(monitoring));
 * holder.setAsyncSupported(true);
 * context.addFilter(holder, "/*", VigilServletFilter.dispatcherTypes());
 *
 * // with settings
 * VigilServletFilter filter = VigilServletFilter.create(HttpInstrumentation.builder(monitoring)
 *     .ignorePaths("/health", "/metrics", "/static/*")
 *     .build());
 * }</pre>
 *
 * <p>In a {@code web.xml} deployment, declare the filter by class name and put the {@link
 * Monitoring} in the servlet context attribute {@value #MONITORING_ATTRIBUTE} before the filter
 * starts (from a {@code ServletContextListener}), with {@code
 * <async-supported>true</async-supported>}; the optional init parameter {@code ignorePaths} is a
 * comma-separated list.
 *
 * <p>What is recorded, logged and reported is described in {@link HttpInstrumentation}. The route
 * is, in order: the request attribute {@value HttpInstrumentation#ROUTE_ATTRIBUTE} if the
 * application set it; Spring MVC's best-matching pattern ({@code /api/users/{id}}); the servlet
 * mapping when it is an exact path ({@code /hello}); otherwise the path normalised by {@link
 * dev.vigil.http.RouteNormalizer}. A 404 without a template, or with a catch-all one, is {@value
 * HttpInstrumentation#UNMATCHED}.
 *
 * <p>Asynchronous requests are measured when they complete, through an {@link AsyncListener}, and
 * their status is the final one. An exception thrown by the application (the first cause under
 * {@link ServletException} wrappers) is recorded as status 500, reported through {@code
 * handleError} and rethrown, so the container's error handling runs as before. Monitoring never
 * fails a request: a failure inside the filter is logged (rate-limited) and swallowed.
 *
 * <p>Per request on the synchronous path the filter reads the clock twice, looks up a few request
 * attributes and headers, puts the request id in the MDC and increments two pre-resolved series; it
 * takes no lock and does no I/O.
 */
public final class VigilServletFilter implements Filter {
  /**
   * The servlet context attribute holding the {@link Monitoring} in {@code web.xml} deployments.
   */
  public static final String MONITORING_ATTRIBUTE = "dev.vigil.Monitoring";

  /**
   * The dispatcher types to register the filter for: the request, and async re-dispatches. A new
   * set on each call, since containers take a mutable {@link EnumSet}.
   */
  public static EnumSet<DispatcherType> dispatcherTypes() {
    return EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC);
  }

  /** Spring MVC's {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}, read without Spring. */
  static final String SPRING_PATTERN_ATTRIBUTE =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  /**
   * Whether Spring MVC, which sets {@link #SPRING_PATTERN_ATTRIBUTE}, is on the filter's class
   * path. Without it the lookup is skipped: in Jetty 12 an attribute that is not there is looked
   * for through several layers of request attributes, and the lookup measured as a third of the
   * filter's own cost per request.
   */
  private static final boolean SPRING_MVC =
      isPresent("org.springframework.web.servlet.HandlerMapping");

  private static final String COMPLETION_ATTRIBUTE = "dev.vigil.servlet.completion";

  private @Nullable HttpInstrumentation http;

  /** For {@code web.xml}: the monitoring is found in the servlet context at {@link #init}. */
  public VigilServletFilter() {}

  private VigilServletFilter(HttpInstrumentation http) {
    this.http = http;
  }

  /** The filter with the default settings of {@link HttpInstrumentation#create(Monitoring)}. */
  public static VigilServletFilter create(Monitoring monitoring) {
    return create(HttpInstrumentation.create(monitoring));
  }

  public static VigilServletFilter create(HttpInstrumentation http) {
    return new VigilServletFilter(Objects.requireNonNull(http, "http must not be null"));
  }

  /** The settings this filter records with. */
  public HttpInstrumentation instrumentation() {
    HttpInstrumentation h = http;
    if (h == null) {
      throw new IllegalStateException("VigilServletFilter is not initialised yet");
    }
    return h;
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    if (http != null) {
      return;
    }
    Object monitoring = config.getServletContext().getAttribute(MONITORING_ATTRIBUTE);
    if (!(monitoring instanceof Monitoring)) {
      throw new ServletException(
          "VigilServletFilter found no Monitoring in the servlet context attribute '"
              + MONITORING_ATTRIBUTE
              + "'. Set it from a ServletContextListener before filters start, or register the"
              + " filter programmatically with VigilServletFilter.create(monitoring).");
    }
    HttpInstrumentation.Builder builder = HttpInstrumentation.builder((Monitoring) monitoring);
    String ignorePaths = config.getInitParameter("ignorePaths");
    if (ignorePaths != null) {
      try {
        builder.ignorePaths(
            Arrays.stream(ignorePaths.split(","))
                .map(String::strip)
                .filter(p -> !p.isEmpty())
                .toArray(String[]::new));
      } catch (IllegalArgumentException e) {
        throw new ServletException("VigilServletFilter init parameter " + e.getMessage(), e);
      }
    }
    http = builder.build();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpInstrumentation h = http;
    if (h == null
        || !(req instanceof HttpServletRequest)
        || !(res instanceof HttpServletResponse)) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    DispatcherType type = request.getDispatcherType();
    if (type == DispatcherType.ASYNC) {
      asyncDispatch(request, response, chain);
      return;
    }
    if (type != DispatcherType.REQUEST) {
      chain.doFilter(request, response); // forwards, includes and error pages belong to a request
      return;
    }
    String uri = request.getRequestURI();
    int from = request.getContextPath().length();
    if (h.isIgnored(uri, from)) {
      chain.doFilter(request, response);
      return;
    }
    long start = h.startTime();
    String requestId = h.requestId(request.getHeader(h.requestIdHeader()));
    if (h.echoRequestId()) {
      response.setHeader(h.requestIdHeader(), requestId);
    }
    String previous = HttpInstrumentation.enterRequestId(requestId);
    Throwable failure = null;
    try {
      chain.doFilter(request, response);
    } catch (Throwable e) {
      failure = e;
      throw e;
    } finally {
      try {
        if (failure == null && request.isAsyncStarted()) {
          Completion completion = new Completion(h, request, response, uri, from, start, requestId);
          request.setAttribute(COMPLETION_ATTRIBUTE, completion);
          request.getAsyncContext().addListener(completion, request, response);
        } else {
          String template = template(request);
          int status = failure != null ? 500 : response.getStatus();
          completed(h, request, uri, from, template, status, start, requestId, failure);
        }
      } catch (RuntimeException e) {
        h.internalError(e);
      } finally {
        HttpInstrumentation.exitRequestId(previous);
      }
    }
  }

  /**
   * A re-dispatch of an async request (Spring's {@code Callable} and {@code DeferredResult}): the
   * request id goes back into the MDC, and an exception is remembered for the completion.
   */
  private void asyncDispatch(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Object attribute = request.getAttribute(COMPLETION_ATTRIBUTE);
    if (!(attribute instanceof Completion)) {
      chain.doFilter(request, response);
      return;
    }
    Completion completion = (Completion) attribute;
    String previous = HttpInstrumentation.enterRequestId(completion.requestId);
    try {
      chain.doFilter(request, response);
    } catch (Throwable e) {
      completion.failed(e);
      throw e;
    } finally {
      HttpInstrumentation.exitRequestId(previous);
    }
  }

  /** The route template the application or framework matched, if any. */
  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, VigilServletFilter.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static @Nullable String template(HttpServletRequest request) {
    Object explicit = request.getAttribute(HttpInstrumentation.ROUTE_ATTRIBUTE);
    if (explicit instanceof String) {
      return (String) explicit;
    }
    Object spring = SPRING_MVC ? request.getAttribute(SPRING_PATTERN_ATTRIBUTE) : null;
    if (spring != null) {
      // A String, or a PathPattern whose toString() is its pattern text.
      return spring.toString();
    }
    HttpServletMapping mapping = request.getHttpServletMapping();
    if (mapping != null) {
      MappingMatch match = mapping.getMappingMatch();
      if (match == MappingMatch.EXACT) {
        return mapping.getPattern();
      }
      if (match == MappingMatch.CONTEXT_ROOT) {
        return "/";
      }
    }
    return null;
  }

  private static void completed(
      HttpInstrumentation h,
      HttpServletRequest request,
      String uri,
      int from,
      @Nullable String template,
      int status,
      long start,
      String requestId,
      @Nullable Throwable failure) {
    String method = HttpInstrumentation.method(request.getMethod());
    String route = h.route(template, uri, from, status);
    long duration = h.record(method, route, status, start);
    if (h.logs(status)) {
      h.log(method, route, status, duration, request.getHeader("User-Agent"));
    }
    if (failure != null) {
      report(h, request, uri, method, route, requestId, failure);
    }
  }

  private static void report(
      HttpInstrumentation h,
      HttpServletRequest request,
      String uri,
      String method,
      String route,
      String requestId,
      Throwable failure) {
    h.reportError(
        unwrap(failure),
        method,
        route,
        uri,
        request.getQueryString(),
        requestId,
        request::getHeader);
  }

  /**
   * The application's exception under the container's and frameworks' ServletException wrappers.
   */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0;
        depth < 8 && t instanceof ServletException && t.getCause() != null;
        depth++) {
      t = t.getCause();
    }
    return t;
  }

  /** Records an async request once, when it completes. */
  private static final class Completion implements AsyncListener {
    private final HttpInstrumentation http;
    private final String uri;
    private final int from;
    private final long start;
    final String requestId;
    private final String method;
    private final @Nullable String template;
    private final @Nullable String query;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private volatile @Nullable Throwable failure;
    private volatile boolean reported;

    Completion(
        HttpInstrumentation http,
        HttpServletRequest request,
        HttpServletResponse response,
        String uri,
        int from,
        long start,
        String requestId) {
      this.http = http;
      this.request = request;
      this.response = response;
      this.uri = uri;
      this.from = from;
      this.start = start;
      this.requestId = requestId;
      this.method = HttpInstrumentation.method(request.getMethod());
      this.template = template(request);
      this.query = request.getQueryString();
    }

    void failed(Throwable e) {
      if (failure == null) {
        failure = e;
      }
    }

    @Override
    public void onComplete(AsyncEvent event) {
      String previous = HttpInstrumentation.enterRequestId(requestId);
      try {
        Throwable error = failure;
        int status = error != null ? 500 : response.getStatus();
        // A template found during an async re-dispatch (Spring sets it again there) wins.
        @Nullable String found = template(request);
        String route = http.route(found != null ? found : template, uri, from, status);
        long duration = http.record(method, route, status, start);
        if (http.logs(status)) {
          http.log(method, route, status, duration, request.getHeader("User-Agent"));
        }
        if (error != null && !reported) {
          reported = true;
          http.reportError(unwrap(error), method, route, uri, query, requestId, request::getHeader);
        }
      } catch (RuntimeException e) {
        http.internalError(e);
      } finally {
        HttpInstrumentation.exitRequestId(previous);
      }
    }

    @Override
    public void onError(AsyncEvent event) {
      Throwable error = event.getThrowable();
      failed(error != null ? error : new IllegalStateException("async request failed"));
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // The container (or the framework) answers the timeout; onComplete records that status.
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      AsyncContext context = event.getAsyncContext();
      if (context != null) {
        context.addListener(this, request, response); // startAsync again: keep listening
      }
    }
  }
}
