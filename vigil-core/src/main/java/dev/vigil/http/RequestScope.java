package dev.vigil.http;

import org.jspecify.annotations.Nullable;

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
 * RuntimeException failure = null;
 * try {
 *   handler.handle(exchange);
 * } catch (RuntimeException e) {
 *   failure = e;
 * }
 * scope.failed(failure).status(exchange.getResponseCode()).route(router.templateOf(exchange)).end();
 * if (failure != null) {
 *   throw failure;
 * }
 * }</pre>
 *
 * <p>A request the application continues asynchronously leaves the thread that began it through
 * {@link #endUnlessAsync(boolean)}, which returns the scope that carries it to its completion; that
 * one is ended there, from any thread, and a re-dispatch on another thread calls {@link #attach()}
 * and {@link #detach()} around its work, so that the request id is in the log context there too.
 *
 * <p><b>No allocation per request.</b> The JIT keeps a request's scope off the heap (it replaces
 * the object by its fields) when every call on it is inlined into the adapter and the scope is
 * stored nowhere. So call each method of the scope on the path every request takes, with what the
 * rare paths found kept in local variables (an exception as {@code failure} above, a route as null
 * when there is none), and end with one call: {@link #end()}, or {@link #endUnlessAsync(boolean)}
 * where a request may go asynchronous, which copies only an asynchronous request's scope to the
 * heap. A call made only on an exception or an asynchronous path is one the JIT may not inline, and
 * then every request's scope is allocated: still correct, but 80 bytes per request. {@code
 * vigil-benchmarks}' {@code HttpFilterBenchmark} measures it, on the paths a container runs too.
 *
 * <p>A scope is used by one thread at a time; a server hands an asynchronous request from one
 * thread to the next with its own synchronisation, which is what makes the scope's state visible to
 * the next. Nothing here throws: a failure inside Vigil, or in the reader, is logged, rate-limited,
 * and swallowed (a {@link VirtualMachineError} is rethrown).
 *
 * @param <R> the server's request type
 */
public final class RequestScope<R> {
  // The work is in HttpInstrumentation.open and finish, kept out of line on purpose, which get and
  // give plain values, never the scope; every method here is small, so that the JIT inlines it
  // into the adapter even when it compiled it on its own first, and the scope, reaching no call it
  // is not inlined into, stays off the heap (RequestScopeEntryPointTest checks the sizes). The
  // setters store their field on every call, keeping what it had when given null: with the rare
  // paths compiled too, C2 gave up following fields stored in some branches only, and allocated
  // the scope (HttpFilterBenchmark's mixedTraffic cases). One
  // shared object for ignored paths would defeat it too: the JIT cannot replace an object that is
  // one of two.
  private @Nullable HttpInstrumentation http;
  private final R request;
  private final RequestReader<R> reader;
  // Set when the request is measured, and read only then.
  private @Nullable String path;
  private int from;
  private @Nullable String method;
  private @Nullable String requestId;
  private long start;
  private @Nullable String previousRequestId;
  private @Nullable Thread attachedTo;
  private int status = 200;
  private @Nullable String template;
  private @Nullable String prefixMapping;
  private int literalEnd;
  private @Nullable Throwable failure;
  private boolean ended;

  /** Begins a request: measured unless its path is ignored or cannot be read. */
  RequestScope(HttpInstrumentation http, R request, RequestReader<R> reader) {
    this.request = request;
    this.reader = reader;
    HttpInstrumentation.Opened opened = http.open(request, reader);
    // Stored whether measured or not (open clears what it did not find): one store per field on
    // every path is what lets the JIT follow the fields of a scope it keeps off the heap.
    boolean measured = opened.path != null;
    this.http = measured ? http : null;
    this.path = opened.path;
    this.method = opened.method;
    this.requestId = opened.requestId;
    this.from = opened.from;
    this.start = opened.start;
    this.previousRequestId = opened.previousRequestId;
    this.attachedTo = measured ? Thread.currentThread() : null;
  }

  /** The scope that carries an asynchronous request on, with all it was told; attached nowhere. */
  private RequestScope(
      HttpInstrumentation http,
      R request,
      RequestReader<R> reader,
      @Nullable String path,
      int from,
      @Nullable String method,
      @Nullable String requestId,
      long start,
      int status,
      @Nullable String template,
      @Nullable String prefixMapping,
      int literalEnd,
      @Nullable Throwable failure) {
    this.http = http;
    this.request = request;
    this.reader = reader;
    this.path = path;
    this.from = from;
    this.method = method;
    this.requestId = requestId;
    this.start = start;
    this.status = status;
    this.template = template;
    this.prefixMapping = prefixMapping;
    this.literalEnd = literalEnd;
    this.failure = failure;
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
    this.template = template != null ? template : this.template;
    return this;
  }

  /**
   * The request matched a prefix mapping, such as a servlet mapped at {@code /api/*}: the route is
   * the path up to {@code literalEnd} as it is ({@code /api}), followed by the rest with ids
   * replaced ({@code /users/{id}}). A 404 under the mapping is recorded as the mapping itself,
   * since the rest of its path is whatever the client sent; a 404 under a catch-all ({@code /*}) is
   * {@value HttpInstrumentation#UNMATCHED}. A template given to {@link #route} wins. A null mapping
   * changes nothing, so that an adapter can make this call for every request.
   *
   * @param mapping the pattern matched, such as {@code /api/*}; null for none
   * @param literalEnd the index in the path where the mapping's literal part ends
   */
  public RequestScope<R> prefixRoute(@Nullable String mapping, int literalEnd) {
    boolean given = mapping != null;
    this.literalEnd = given ? literalEnd : this.literalEnd;
    this.prefixMapping = given ? mapping : prefixMapping;
    return this;
  }

  /**
   * The application did not handle {@code error}: the request is recorded with status 500 and the
   * error reported through {@code handleError} when the scope ends. The first error given wins; a
   * null changes nothing, so that an adapter can make this call for every request.
   */
  public RequestScope<R> failed(@Nullable Throwable error) {
    this.failure = failure != null ? failure : error;
    return this;
  }

  /**
   * Makes this request the current one on the calling thread: its id goes into the log context (MDC
   * key {@value HttpInstrumentation#REQUEST_ID_KEY}). {@link HttpInstrumentation#begin} does this
   * already; call it on the thread of an asynchronous re-dispatch.
   */
  public void attach() {
    if (http != null && !ended && attachedTo != Thread.currentThread()) {
      previousRequestId = RequestLogContext.enter(requestId);
      attachedTo = Thread.currentThread();
    }
  }

  /**
   * Restores the calling thread's log context as {@link #attach()} found it, without ending the
   * request: what an adapter calls when an asynchronous re-dispatch returns.
   */
  public void detach() {
    if (attachedTo == Thread.currentThread()) {
      attachedTo = null;
      RequestLogContext.leave(previousRequestId);
      previousRequestId = null;
    }
  }

  /**
   * Records the request, once: both HTTP metrics, the request log line, and the error report if it
   * failed; then detaches it from the calling thread. Later calls do nothing.
   */
  public void end() {
    HttpInstrumentation h = http;
    if (h != null && !ended) {
      ended = true;
      boolean attachedHere = attachedTo == Thread.currentThread();
      attachedTo = null;
      h.finish(
          request,
          reader,
          path,
          from,
          method,
          requestId,
          start,
          failure != null ? 500 : status,
          template,
          prefixMapping,
          literalEnd,
          failure,
          attachedHere,
          previousRequestId);
      previousRequestId = null;
    }
  }

  /**
   * What an adapter calls when the dispatch that began the request returns: ends the request as
   * {@link #end()} does, unless {@code async} says the application continues it asynchronously.
   * Then this scope is done, the calling thread's log context is restored, and the scope returned
   * carries the request, with what it was told so far, to its completion, where the adapter ends it
   * (from any thread).
   *
   * <pre>{@code
   * RequestScope<HttpServletRequest> async = scope.endUnlessAsync(request.isAsyncStarted());
   * if (async != null) {
   *   request.getAsyncContext().addListener(new Completion(async));
   * }
   * }</pre>
   *
   * @return null when the request ended here, or is not measured, or was ended already; otherwise
   *     the scope of its asynchronous part
   */
  public @Nullable RequestScope<R> endUnlessAsync(boolean async) {
    HttpInstrumentation h = http;
    if (!async || h == null || ended) {
      end();
      return null;
    }
    // Only an asynchronous request's scope is copied to the heap, from plain values, so that this
    // one is passed to no call the JIT might not inline on this rare path.
    RequestScope<R> carried =
        new RequestScope<>(
            h,
            request,
            reader,
            path,
            from,
            method,
            requestId,
            start,
            status,
            template,
            prefixMapping,
            literalEnd,
            failure);
    ended = true;
    if (attachedTo == Thread.currentThread()) {
      attachedTo = null;
      RequestLogContext.leave(previousRequestId);
      previousRequestId = null;
    }
    return carried;
  }

  @Override
  public String toString() {
    return http == null
        ? "RequestScope{ignored}"
        : "RequestScope{" + method + ' ' + path + ", requestId=" + requestId + '}';
  }
}
