package dev.vigil.http;

import org.jspecify.annotations.Nullable;

/**
 * How Vigil reads one server's request type: what an HTTP adapter implements, once, as a constant,
 * to open a {@link RequestScope} with {@link HttpInstrumentation#begin}. The scope asks for the
 * method, the path and the request-id header when the request begins, and for the user agent, the
 * query string and the error headers only when it logs or reports the request.
 *
 * <pre>{@code
 * static final RequestReader<HttpExchange> EXCHANGE = new RequestReader<>() {
 *   public String method(HttpExchange e) { return e.getRequestMethod(); }
 *   public String path(HttpExchange e) { return e.getRequestURI().getRawPath(); }
 *   public String header(HttpExchange e, String name) { return e.getRequestHeaders().getFirst(name); }
 *   public String query(HttpExchange e) { return e.getRequestURI().getRawQuery(); }
 * };
 * }</pre>
 *
 * <p>Each method is called on the thread the scope is used on, must be cheap, and must not throw.
 *
 * @param <R> the server's request type
 */
public interface RequestReader<R> {
  /** The method as the client sent it, such as {@code GET}. */
  @Nullable String method(R request);

  /** The raw path, without the query string, including any context path. */
  @Nullable String path(R request);

  /**
   * Where the application's part of {@link #path} starts: the length of the servlet context path,
   * which is never part of a route. Zero by default.
   */
  default int pathStart(R request) {
    return 0;
  }

  /** The first value of a request header, or null. */
  @Nullable String header(R request, String name);

  /** The raw query string, or null if there is none. */
  @Nullable String query(R request);
}
