package dev.vigil.http;

import dev.vigil.internal.Throwables;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * One request, from the moment an HTTP adapter sees it until its response is complete: opened by
 * {@link HttpInstrumentation#begin}, told what happened (the route, the status, an exception), and
 * closed by {@link #end()}, which records it once in {@code http_requests_total} and {@code
 * http_request_duration_seconds}, logs it, and reports an exception through {@code handleError}.
 * The scope decides everything else — ignored paths, the request id, the route label, the order of
 * the steps — so an adapter cannot get them wrong.
 *
 * <pre>{@code
 * RequestScope<HttpExchange> scope = http.begin(exchange, EXCHANGE);  // request id in the MDC
 * try {
 *   chain.doFilter(exchange);
 * } catch (Throwable e) {
 *   scope.failed(e);                       // recorded as 500, reported once
 *   throw e;
 * } finally {
 *   scope.status(exchange.getResponseCode()).route(router.templateOf(exchange)).end();
 * }
 * }</pre>
 *
 * <p>An asynchronous request leaves the thread that began it with {@link #detach()} and is ended
 * when it completes, from any thread; a re-dispatch on another thread calls {@link #attach()} and
 * {@link #detach()} around its work, so that the request id is in the log context there too.
 *
 * <p>A scope is used by one thread at a time; a server hands an asynchronous request from one
 * thread to the next with its own synchronisation, which is what makes the scope's state visible to
 * the next. Nothing here throws: a failure inside Vigil, or in the reader, is logged, rate-limited,
 * and swallowed (a {@link VirtualMachineError} is rethrown).
 *
 * @param <R> the server's request type
 */
public final class RequestScope<R> {
  private static final RequestScope<?> IGNORED = new RequestScope<>();

  private final @Nullable HttpInstrumentation http;
  private final @Nullable R request;
  private final @Nullable RequestReader<R> reader;
  private final String path;
  private final int from;
  private final String method;
  private final @Nullable String requestId;
  private final long start;
  private @Nullable String previousRequestId;
  private @Nullable Thread attachedTo;
  private int status = 200;
  private @Nullable String template;
  private @Nullable String prefixMapping;
  private int literalEnd;
  private @Nullable Throwable failure;
  private boolean ended;

  private RequestScope() {
    this.http = null;
    this.request = null;
    this.reader = null;
    this.path = "/";
    this.from = 0;
    this.method = HttpInstrumentation.OTHER_METHOD;
    this.requestId = null;
    this.start = 0;
  }

  RequestScope(
      HttpInstrumentation http,
      R request,
      RequestReader<R> reader,
      String path,
      int from,
      String method,
      String requestId,
      long start) {
    this.http = http;
    this.request = request;
    this.reader = reader;
    this.path = path;
    this.from = from;
    this.method = method;
    this.requestId = requestId;
    this.start = start;
    attach();
  }

  @SuppressWarnings("unchecked")
  static <R> RequestScope<R> ignored() {
    return (RequestScope<R>) IGNORED;
  }

  /**
   * Whether this request is measured; false for an ignored path, whose scope does nothing at all.
   */
  public boolean measured() {
    return http != null;
  }

  /**
   * The request id: the incoming header when it is a sane token, otherwise a new one; null for an
   * ignored path. An adapter echoes it in the response when {@link
   * HttpInstrumentation#echoRequestId()} asks for it.
   */
  public @Nullable String requestId() {
    return requestId;
  }

  /** The response status, as the server will send it. Default 200. */
  public RequestScope<R> status(int status) {
    this.status = status;
    return this;
  }

  /**
   * The route template the server or framework matched, such as {@code /api/users/{id}} or a
   * servlet's exact mapping {@code /hello}; null when it matched none, in which case the route is
   * the path with ids replaced, or {@value HttpInstrumentation#UNMATCHED} for a 404. A later call
   * with a template wins; a null never replaces a template already given.
   */
  public RequestScope<R> route(@Nullable String template) {
    if (template != null) {
      this.template = template;
    }
    return this;
  }

  /**
   * The request matched a prefix mapping, such as a servlet mapped at {@code /api/*}: the route is
   * the path up to {@code literalEnd} as it is ({@code /api}), followed by the rest with ids
   * replaced ({@code /users/{id}}). A 404 under the mapping is recorded as the mapping itself,
   * since the rest of its path is whatever the client sent; a 404 under a catch-all ({@code /*}) is
   * {@value HttpInstrumentation#UNMATCHED}. A template given to {@link #route} wins.
   *
   * @param mapping the pattern matched, such as {@code /api/*}
   * @param literalEnd the index in the path where the mapping's literal part ends
   */
  public RequestScope<R> prefixRoute(String mapping, int literalEnd) {
    this.prefixMapping = mapping;
    this.literalEnd = literalEnd;
    return this;
  }

  /**
   * The application did not handle {@code error}: the request is recorded with status 500 and the
   * error reported through {@code handleError} when the scope ends. The first error given wins.
   */
  public RequestScope<R> failed(@Nullable Throwable error) {
    if (failure == null && error != null) {
      failure = error;
    }
    return this;
  }

  /**
   * Makes this request the current one on the calling thread: its id goes into the log context (MDC
   * key {@value HttpInstrumentation#REQUEST_ID_KEY}). {@link HttpInstrumentation#begin} does this
   * already; call it again on the thread of an asynchronous re-dispatch.
   */
  public void attach() {
    if (http == null || attachedTo == Thread.currentThread()) {
      return;
    }
    previousRequestId = MDC.get(HttpInstrumentation.REQUEST_ID_KEY);
    MDC.put(HttpInstrumentation.REQUEST_ID_KEY, requestId);
    attachedTo = Thread.currentThread();
  }

  /**
   * Restores the calling thread's log context as {@link #attach()} found it, without ending the
   * request: what an adapter calls when an asynchronous request leaves the thread.
   */
  public void detach() {
    if (attachedTo != Thread.currentThread()) {
      return;
    }
    attachedTo = null;
    String previous = previousRequestId;
    previousRequestId = null;
    if (previous == null) {
      MDC.remove(HttpInstrumentation.REQUEST_ID_KEY);
    } else {
      MDC.put(HttpInstrumentation.REQUEST_ID_KEY, previous);
    }
  }

  /**
   * Records the request, once: both HTTP metrics, the request log line, and the error report if it
   * failed; then detaches it from the calling thread. Later calls do nothing.
   */
  public void end() {
    HttpInstrumentation h = http;
    if (h == null || ended) {
      return;
    }
    ended = true;
    try {
      Throwable error = failure;
      int code = error != null ? 500 : status;
      String route = h.route(template, prefixMapping, literalEnd, path, from, code);
      long duration = h.record(method, route, code, start);
      if (error != null || h.logs(code)) {
        logAndReport(h, code, route, duration, error);
      }
    } catch (Throwable e) {
      // A reader or a log backend that throws must not fail the request (see Throwables).
      Throwables.rethrowIfFatal(e);
      h.internalError(Throwables.asRuntime(e));
    }
    detach();
  }

  /** The rare part of {@link #end()}, apart so that the common part stays small. */
  private void logAndReport(
      HttpInstrumentation h, int code, String route, long duration, @Nullable Throwable error) {
    // The log line and the report carry the request id, on whatever thread the request ends.
    boolean borrowed = attachedTo != Thread.currentThread();
    String previous = borrowed ? MDC.get(HttpInstrumentation.REQUEST_ID_KEY) : null;
    if (borrowed) {
      MDC.put(HttpInstrumentation.REQUEST_ID_KEY, requestId);
    }
    try {
      finish(h, code, route, duration, h.logs(code), error);
    } finally {
      if (borrowed) {
        restore(previous);
      }
    }
  }

  private void finish(
      HttpInstrumentation h,
      int code,
      String route,
      long duration,
      boolean logs,
      @Nullable Throwable error) {
    R r = request;
    RequestReader<R> read = reader;
    if (r == null || read == null) {
      return;
    }
    if (logs) {
      h.log(method, route, code, duration, read.header(r, "User-Agent"));
    }
    if (error != null) {
      h.reportError(
          error, method, route, path, read.query(r), requestId, name -> read.header(r, name));
    }
  }

  private static void restore(@Nullable String previous) {
    if (previous == null) {
      MDC.remove(HttpInstrumentation.REQUEST_ID_KEY);
    } else {
      MDC.put(HttpInstrumentation.REQUEST_ID_KEY, previous);
    }
  }

  @Override
  public String toString() {
    return http == null
        ? "RequestScope{ignored}"
        : "RequestScope{" + method + ' ' + path + ", requestId=" + requestId + '}';
  }
}
