package dev.vigil.servlet;

import dev.vigil.Monitoring;
import dev.vigil.http.HttpInstrumentation;
import dev.vigil.http.RequestReader;
import dev.vigil.http.RequestScope;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
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
 * // Jetty 12 (ee10): first, async-supported, for REQUEST and ASYNC dispatches
 * FilterHolder holder = new FilterHolder(VigilServletFilter.create(monitoring));
 * holder.setAsyncSupported(true);
 * context.addFilter(holder, "/*", VigilServletFilter.dispatcherTypes());
 *
 * // any container, while the servlet context starts (a ServletContainerInitializer):
 * VigilServletFilter.create(monitoring).addTo(servletContext);
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
 * application set it; Spring MVC's best-matching pattern ({@code /api/users/{id}}); then the
 * servlet mapping that matched: an exact one is the route ({@code /hello}), a prefix one is its
 * literal part and the rest of the path with ids replaced ({@code /api/*} and {@code /api/users/7}
 * give {@code /api/users/{id}}; a 404 under it is {@code /api/*}), an extension one is its pattern
 * ({@code *.csv}), and the default servlet's requests are the path with ids replaced. A 404 without
 * a route is {@value HttpInstrumentation#UNMATCHED}. The route is taken when the application's
 * dispatch ends, so the container's error dispatch (Spring Boot's {@code /error}) never replaces
 * it.
 *
 * <p>Asynchronous requests are measured when they complete, through an {@link AsyncListener}, and
 * their status is the final one. An exception the application did not handle (the first cause under
 * {@link ServletException} wrappers) is recorded as status 500 and reported once through {@code
 * handleError}, with its stack trace; the filter then hands the request to the container's error
 * handling with {@code sendError(500)} and the exception in the request attribute {@value
 * RequestDispatcher#ERROR_EXCEPTION}, as the container would itself, instead of rethrowing it: the
 * container would log the same stack trace a second time. Error pages answer as before; Spring
 * Boot's and Tomcat's find the exception, Jetty's find the status only (Jetty takes the exception
 * from its own state). An {@link Error}, or an exception after the response is committed, is
 * rethrown. Monitoring never fails a request: a failure inside the filter is logged (rate-limited)
 * and swallowed.
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

  /** The name {@link #addTo} registers the filter under. */
  public static final String FILTER_NAME = "vigil";

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

  private static final String SCOPE_ATTRIBUTE = "dev.vigil.servlet.scope";

  private static final RequestReader<HttpServletRequest> SERVLET =
      new RequestReader<>() {
        @Override
        public String method(HttpServletRequest request) {
          return request.getMethod();
        }

        @Override
        public String path(HttpServletRequest request) {
          return request.getRequestURI();
        }

        @Override
        public int pathStart(HttpServletRequest request) {
          return request.getContextPath().length();
        }

        @Override
        public @Nullable String header(HttpServletRequest request, String name) {
          return request.getHeader(name);
        }

        @Override
        public @Nullable String query(HttpServletRequest request) {
          return request.getQueryString();
        }
      };

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

  /**
   * Registers this filter in {@code context} as the container needs it: named {@value
   * #FILTER_NAME}, asynchronous requests supported, on {@code /*} for the request and async
   * dispatches, before the filters of {@code web.xml}. Call it while the context starts: from a
   * {@code ServletContainerInitializer} (Tomcat's {@code Context.addServletContainerInitializer},
   * Jetty's {@code ServletContextHandler.addServletContainerInitializer}) or a {@code
   * ServletContextListener} declared in {@code web.xml}.
   *
   * <p>Tomcat runs no filter for a request that no servlet maps, so on Tomcat, when no servlet is
   * mapped to {@code /}, it also maps a servlet there that answers 404 through the container's
   * error handling: requests that match nothing are then counted, as {@value
   * HttpInstrumentation#UNMATCHED}, as they are on Jetty and Undertow, whose own default servlets
   * do the same.
   *
   * @return the registration, to add init parameters or more mappings
   */
  public FilterRegistration.Dynamic addTo(ServletContext context) {
    Objects.requireNonNull(context, "context must not be null");
    FilterRegistration.Dynamic registration = context.addFilter(FILTER_NAME, this);
    if (registration == null) {
      throw new IllegalStateException(
          "A filter named '"
              + FILTER_NAME
              + "' is already registered in this servlet context; register VigilServletFilter once");
    }
    registration.setAsyncSupported(true);
    registration.addMappingForUrlPatterns(dispatcherTypes(), false, "/*");
    String server = context.getServerInfo();
    if (server != null && server.startsWith("Apache Tomcat") && !mapsRoot(context)) {
      ServletRegistration.Dynamic notFound =
          context.addServlet("vigil-not-found", new NotFoundServlet());
      if (notFound != null) {
        notFound.setAsyncSupported(true);
        notFound.addMapping("/");
      }
    }
    return registration;
  }

  private static boolean mapsRoot(ServletContext context) {
    for (ServletRegistration servlet : context.getServletRegistrations().values()) {
      if (servlet.getMappings().contains("/")) {
        return true;
      }
    }
    return false;
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
      asyncDispatch(h, request, response, chain);
      return;
    }
    if (type != DispatcherType.REQUEST) {
      chain.doFilter(request, response); // forwards, includes and error pages belong to a request
      return;
    }
    RequestScope<HttpServletRequest> scope = h.begin(request, SERVLET);
    if (!scope.measured()) {
      chain.doFilter(request, response);
      return;
    }
    String requestId = scope.requestId();
    if (requestId != null && h.echoRequestId()) {
      response.setHeader(h.requestIdHeader(), requestId);
    }
    // What the rare paths find (an exception, a route, an asynchronous start) is kept in locals
    // and given to the scope below, where every request passes: a scope call on a rare path only
    // is one the JIT does not inline, and then every request's scope is allocated (RequestScope).
    Exception failure = null;
    Error error = null;
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException e) {
      failure = e;
    } catch (Error e) {
      error = e;
    }
    String template = null;
    String prefixMapping = null;
    int literalEnd = 0;
    boolean async = false;
    try {
      template = declaredRoute(request);
      if (template == null) {
        HttpServletMapping mapping = request.getHttpServletMapping();
        template = mappedRoute(mapping);
        prefixMapping = template == null ? prefixMapping(mapping) : null;
        literalEnd = prefixMapping == null ? 0 : literalEnd(request);
      }
      async = failure == null && error == null && request.isAsyncStarted();
    } catch (RuntimeException e) {
      h.internalError(e);
    }
    RequestScope<HttpServletRequest> asyncScope =
        scope
            .failed(failure != null ? unwrap(failure) : error)
            .route(template)
            .prefixRoute(prefixMapping, literalEnd)
            .status(status(response))
            .endUnlessAsync(async);
    if (asyncScope != null) {
      continueAsync(h, asyncScope, request, response);
    }
    if (error != null) {
      throw error;
    }
    if (failure != null) {
      answerError(request, response, failure);
    }
  }

  /** Hands an asynchronous request's scope to the re-dispatches and the completion. */
  private static void continueAsync(
      HttpInstrumentation h,
      RequestScope<HttpServletRequest> scope,
      HttpServletRequest request,
      HttpServletResponse response) {
    try {
      request.setAttribute(SCOPE_ATTRIBUTE, scope);
      request.getAsyncContext().addListener(new Completion(scope), request, response);
    } catch (RuntimeException e) {
      // the application completed the request already (or the container refused): end it here
      h.internalError(e);
      scope.status(status(response)).end();
    }
  }

  /**
   * A re-dispatch of an async request (Spring's {@code Callable}, {@code DeferredResult} and {@code
   * CompletableFuture}): the request id goes back into the MDC, the route is taken again (the
   * framework matches it again), and an exception is remembered for the completion.
   */
  private static void asyncDispatch(
      HttpInstrumentation h,
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain)
      throws IOException, ServletException {
    Object attribute = request.getAttribute(SCOPE_ATTRIBUTE);
    if (!(attribute instanceof RequestScope)) {
      chain.doFilter(request, response);
      return;
    }
    @SuppressWarnings("unchecked")
    RequestScope<HttpServletRequest> scope = (RequestScope<HttpServletRequest>) attribute;
    scope.attach();
    Exception failure = null;
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException e) {
      failure = e;
      scope.failed(unwrap(e));
    } catch (Error e) {
      scope.failed(e);
      throw e;
    } finally {
      try {
        route(scope, request);
      } catch (RuntimeException e) {
        h.internalError(e);
      } finally {
        scope.detach();
      }
    }
    if (failure != null) {
      answerError(request, response, failure);
    }
  }

  /**
   * Hands a failed request to the container's error handling, with the exception where the
   * container would put it; rethrows it when the response is already committed.
   */
  private static void answerError(
      HttpServletRequest request, HttpServletResponse response, Exception failure)
      throws IOException, ServletException {
    if (!response.isCommitted()) {
      try {
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, failure);
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE, failure.getClass());
        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
        return;
      } catch (IllegalStateException | IOException committedMeanwhile) {
        // fall through: the container handles the original exception as it would without Vigil
      }
    }
    if (failure instanceof IOException) {
      throw (IOException) failure;
    }
    if (failure instanceof ServletException) {
      throw (ServletException) failure;
    }
    throw (RuntimeException) failure;
  }

  private static int status(HttpServletResponse response) {
    try {
      return response.getStatus();
    } catch (RuntimeException e) {
      return 500;
    }
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, VigilServletFilter.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Tells the scope the route the application or framework matched, if any. */
  static void route(RequestScope<HttpServletRequest> scope, HttpServletRequest request) {
    String template = declaredRoute(request);
    if (template != null) {
      scope.route(template);
      return;
    }
    HttpServletMapping mapping = request.getHttpServletMapping();
    String prefixMapping = prefixMapping(mapping);
    scope
        .route(mappedRoute(mapping))
        .prefixRoute(prefixMapping, prefixMapping == null ? 0 : literalEnd(request));
  }

  /**
   * The route the application named in {@value HttpInstrumentation#ROUTE_ATTRIBUTE}, or else Spring
   * MVC's best-matching pattern; null if neither is there.
   */
  private static @Nullable String declaredRoute(HttpServletRequest request) {
    Object explicit = request.getAttribute(HttpInstrumentation.ROUTE_ATTRIBUTE);
    if (explicit instanceof String) {
      return (String) explicit;
    }
    Object spring = SPRING_MVC ? request.getAttribute(SPRING_PATTERN_ATTRIBUTE) : null;
    // A String, or a PathPattern whose toString() is its pattern text.
    return spring == null ? null : spring.toString();
  }

  /**
   * The route of a servlet mapping that is one: an exact or extension mapping's pattern, or {@code
   * /} for the context root; null for a prefix mapping and the default servlet.
   */
  private static @Nullable String mappedRoute(@Nullable HttpServletMapping mapping) {
    MappingMatch match = mapping == null ? null : mapping.getMappingMatch();
    if (match == MappingMatch.EXACT || match == MappingMatch.EXTENSION) {
      return mapping.getPattern();
    }
    return match == MappingMatch.CONTEXT_ROOT ? "/" : null;
  }

  /**
   * The pattern of a prefix mapping ({@code /api/*}), whose literal part is kept in the route and
   * the rest normalised; null for any other kind. The default servlet's requests are the path with
   * ids replaced, or UNMATCHED for a 404.
   */
  private static @Nullable String prefixMapping(@Nullable HttpServletMapping mapping) {
    return mapping != null && mapping.getMappingMatch() == MappingMatch.PATH
        ? mapping.getPattern()
        : null;
  }

  /** Where a prefix mapping's literal part ends in the request URI. */
  private static int literalEnd(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    return request.getContextPath().length() + (servletPath == null ? 0 : servletPath.length());
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

  /** Ends an async request's scope when it completes. */
  private static final class Completion implements AsyncListener {
    private final RequestScope<HttpServletRequest> scope;

    Completion(RequestScope<HttpServletRequest> scope) {
      this.scope = scope;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      ServletResponse response = event.getSuppliedResponse();
      scope
          .status(
              response instanceof HttpServletResponse
                  ? status((HttpServletResponse) response)
                  : 200)
          .end();
    }

    @Override
    public void onError(AsyncEvent event) {
      Throwable error = event.getThrowable();
      scope.failed(
          error != null ? unwrap(error) : new IllegalStateException("async request failed"));
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // The container (or the framework) answers the timeout; onComplete records that status.
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      AsyncContext context = event.getAsyncContext();
      if (context != null) {
        // startAsync again (a second async cycle) drops the listeners: keep listening
        context.addListener(this, event.getSuppliedRequest(), event.getSuppliedResponse());
      }
    }
  }

  /**
   * Answers 404 through the container's error handling, for requests no servlet maps, on Tomcat
   * (see {@link #addTo}).
   */
  static final class NotFoundServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
  }
}
