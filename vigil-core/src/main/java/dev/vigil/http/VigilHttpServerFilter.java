package dev.vigil.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.Monitoring;
import dev.vigil.internal.Throwables;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * HTTP metrics for the JDK's built-in server ({@code com.sun.net.httpserver}), for services that
 * want no servlet container: the seed's Express middleware as a {@link Filter}.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * VigilHttpServerFilter http = VigilHttpServerFilter.create(monitoring);
 * server.createContext("/api/users/", users).getFilters().add(http);
 * // the JDK answers a path no context takes without running any filter: a root context counts it
 * server.createContext("/", VigilHttpServerFilter.notFound()).getFilters().add(http);
 *
 * // with a router that knows its templates:
 * VigilHttpServerFilter.create(HttpInstrumentation.create(monitoring), router::templateOf);
 * }</pre>
 *
 * <p>Add it to every context you serve (the JDK server runs filters per context). What it records,
 * logs and reports is described in {@link HttpInstrumentation}. The JDK server has no route
 * templates; unless a route resolver gives one, a context is a prefix mapping: the route is the
 * context path followed by the rest of the path with ids replaced ({@code /api/users/} and {@code
 * 42} give {@code /api/users/{id}}), a 404 is the context's pattern ({@code /api/users/*}), and a
 * 404 under the root context is {@value HttpInstrumentation#UNMATCHED}. The status is the one the
 * handler sent with {@code sendResponseHeaders}; a handler must answer before it returns.
 *
 * <p>An exception thrown by the handler is recorded as status 500, reported, and rethrown; if the
 * handler had sent nothing yet, the filter first answers 500, where the JDK server would close the
 * connection without an answer.
 */
public final class VigilHttpServerFilter extends Filter {
  private static final RequestReader<HttpExchange> EXCHANGE =
      new RequestReader<>() {
        @Override
        public String method(HttpExchange exchange) {
          return exchange.getRequestMethod();
        }

        @Override
        public @Nullable String path(HttpExchange exchange) {
          return exchange.getRequestURI().getRawPath();
        }

        @Override
        public @Nullable String header(HttpExchange exchange, String name) {
          return exchange.getRequestHeaders().getFirst(name);
        }

        @Override
        public @Nullable String query(HttpExchange exchange) {
          return exchange.getRequestURI().getRawQuery();
        }
      };

  private static final int MAX_PATTERNS = 256;

  private final HttpInstrumentation http;
  private final Function<HttpExchange, @Nullable String> routes;
  // The 404 route of each context path; contexts are few and fixed, the map is capped all the same.
  private final Map<String, String> patterns = new ConcurrentHashMap<>();

  private VigilHttpServerFilter(
      HttpInstrumentation http, Function<HttpExchange, @Nullable String> routes) {
    this.http = Objects.requireNonNull(http, "http must not be null");
    this.routes = Objects.requireNonNull(routes, "routes must not be null");
  }

  /** The filter with the default settings of {@link HttpInstrumentation#create(Monitoring)}. */
  public static VigilHttpServerFilter create(Monitoring monitoring) {
    return create(HttpInstrumentation.create(monitoring));
  }

  public static VigilHttpServerFilter create(HttpInstrumentation http) {
    return new VigilHttpServerFilter(http, exchange -> null);
  }

  /**
   * The filter with a route resolver: it returns the template of a request ({@code
   * /api/users/{id}}), or null to fall back to the context and the normalised path. Called once per
   * measured request, after the handler; it must be cheap and must not throw.
   */
  public static VigilHttpServerFilter create(
      HttpInstrumentation http, Function<HttpExchange, @Nullable String> routes) {
    return new VigilHttpServerFilter(http, routes);
  }

  /**
   * A handler answering 404 to everything, for the root context ({@code /}): the JDK server answers
   * a request no context matches by itself, without running filters, so without a root context such
   * requests are not counted.
   */
  public static HttpHandler notFound() {
    return exchange -> {
      try (exchange) {
        exchange.sendResponseHeaders(404, -1);
      }
    };
  }

  @Override
  public String description() {
    return "Vigil HTTP metrics";
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    RequestScope<HttpExchange> scope = http.begin(exchange, EXCHANGE);
    String requestId = scope.requestId();
    if (requestId != null && http.echoRequestId()) {
      exchange.getResponseHeaders().set(http.requestIdHeader(), requestId);
    }
    // The context is read before the handler runs: once the response is complete, the exchange
    // answers with its connection's context, which the next request on that connection may have
    // set already.
    String context = null;
    if (scope.measured()) {
      try {
        context = exchange.getHttpContext().getPath();
      } catch (RuntimeException e) {
        http.internalError(e);
      }
    }
    // What the rare paths find is kept in locals and given to the scope below, on the path every
    // request takes: a scope call on a rare path only is one the JIT does not inline, and then
    // the scope of every request is allocated (see RequestScope).
    Throwable failure = null;
    try {
      chain.doFilter(exchange);
    } catch (Throwable e) {
      failure = e;
    }
    if (failure != null) {
      answerServerError(exchange);
    }
    int status = 200;
    String template = null;
    if (scope.measured()) {
      try {
        status = exchange.getResponseCode();
        template = routes.apply(exchange);
      } catch (Throwable e) {
        // the application's route resolver: whatever it throws is logged, never the server's
        Throwables.rethrowIfFatal(e);
        http.internalError(Throwables.asRuntime(e));
      }
    }
    scope
        .failed(failure)
        .status(status)
        .route(template)
        .prefixRoute(
            context == null ? null : pattern(context), context == null ? 0 : context.length())
        .end();
    if (failure != null) {
      throw VigilHttpServerFilter.<RuntimeException>rethrow(failure);
    }
  }

  /**
   * Throws {@code failure} as it was caught: the handler's IOException, an unchecked exception, or
   * whatever else its code threw; the return type only lets a caller write {@code throw}.
   */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T rethrow(Throwable failure) throws T {
    throw (T) failure;
  }

  /**
   * What a 404 under this context is recorded as: {@code /api/users/*}, or {@code /*} at the root.
   */
  private String pattern(String context) {
    String pattern = patterns.get(context);
    if (pattern == null) {
      pattern = context.endsWith("/") ? context + "*" : context + "/*";
      if (patterns.size() < MAX_PATTERNS) {
        patterns.put(context, pattern);
      }
    }
    return pattern;
  }

  private void answerServerError(HttpExchange exchange) {
    if (exchange.getResponseCode() != -1) {
      return;
    }
    try {
      exchange.sendResponseHeaders(500, -1);
    } catch (IOException | RuntimeException e) {
      // The client went away, or the server refused: the exception is reported either way.
    }
  }
}
