package dev.vigil.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.vigil.Monitoring;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * HTTP metrics for the JDK's built-in server ({@code com.sun.net.httpserver}), for services that
 * want no servlet container: the seed's Express middleware as a {@link Filter}.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * HttpContext api = server.createContext("/api", handler);
 * api.getFilters().add(VigilHttpServerFilter.create(monitoring));
 *
 * // with a router that knows its templates:
 * api.getFilters().add(VigilHttpServerFilter.create(
 *     HttpInstrumentation.create(monitoring), exchange -> router.templateOf(exchange)));
 * }</pre>
 *
 * <p>Add it to every context you serve (the JDK server runs filters per context). What it records,
 * logs and reports is described in {@link HttpInstrumentation}. The JDK server has no route
 * templates, so the route is the normalised path ({@link RouteNormalizer}) unless a route resolver
 * is given; its status is the one the handler sent with {@code sendResponseHeaders}. An exception
 * thrown by the handler is recorded as status 500, reported, and rethrown.
 */
public final class VigilHttpServerFilter extends Filter {
  private final HttpInstrumentation http;
  private final Function<HttpExchange, @Nullable String> routes;

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
   * /api/users/{id}}), or null to fall back to the normalised path. Called once per measured
   * request, after the handler; it must be cheap and must not throw.
   */
  public static VigilHttpServerFilter create(
      HttpInstrumentation http, Function<HttpExchange, @Nullable String> routes) {
    return new VigilHttpServerFilter(http, routes);
  }

  @Override
  public String description() {
    return "Vigil HTTP metrics";
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    URI uri = exchange.getRequestURI();
    String rawPath = uri.getRawPath();
    String path = rawPath == null ? "/" : rawPath;
    if (http.isIgnored(path, 0)) {
      chain.doFilter(exchange);
      return;
    }
    long start = http.startTime();
    String requestId =
        http.requestId(exchange.getRequestHeaders().getFirst(http.requestIdHeader()));
    if (http.echoRequestId()) {
      exchange.getResponseHeaders().set(http.requestIdHeader(), requestId);
    }
    String previous = HttpInstrumentation.enterRequestId(requestId);
    Throwable failure = null;
    try {
      chain.doFilter(exchange);
    } catch (Throwable e) {
      failure = e;
      throw e;
    } finally {
      try {
        completed(exchange, uri, path, start, requestId, failure);
      } catch (RuntimeException e) {
        http.internalError(e);
      } finally {
        HttpInstrumentation.exitRequestId(previous);
      }
    }
  }

  private void completed(
      HttpExchange exchange,
      URI uri,
      String path,
      long start,
      String requestId,
      @Nullable Throwable failure) {
    int status = failure != null ? 500 : exchange.getResponseCode();
    String method = HttpInstrumentation.method(exchange.getRequestMethod());
    String template;
    try {
      template = routes.apply(exchange);
    } catch (RuntimeException e) {
      http.internalError(e);
      template = null;
    }
    String route = http.route(template, path, 0, status);
    long duration = http.record(method, route, status, start);
    if (http.logs(status)) {
      http.log(
          method, route, status, duration, exchange.getRequestHeaders().getFirst("User-Agent"));
    }
    if (failure != null) {
      http.reportError(
          failure,
          method,
          route,
          path,
          uri.getRawQuery(),
          requestId,
          name -> exchange.getRequestHeaders().getFirst(name));
    }
  }
}
