package dev.vigil.internal;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The scrape endpoint: {@code /metrics} (client_java's handler, which negotiates Prometheus text,
 * OpenMetrics and protobuf from the {@code Accept} header, and gzip), {@code /health}, and any
 * endpoint a module contributes. Runs on the JDK's HTTP server with two daemon threads, so it adds
 * no dependency and never keeps the JVM alive.
 */
public final class MetricsServer implements AutoCloseable {
  private static final String NOT_FOUND_ATTRIBUTE = "dev.vigil.notFound";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds and starts the server.
   *
   * @throws IllegalStateException naming the host, the port and the setting to change when the
   *     address cannot be bound
   */
  public static MetricsServer start(
      String host,
      int port,
      CoreMetrics core,
      String healthJson,
      @Nullable String bearerToken,
      Map<String, HttpHandler> extraHandlers) {
    return start(host, port, core, healthJson, bearerToken, extraHandlers, null);
  }

  /**
   * Binds and starts the server, with {@code root} answering every path no other endpoint takes
   * ({@code /} and the KPI page's files), behind the token like the data (see {@link AccessGate}).
   * Null answers 404 there.
   *
   * @throws IllegalStateException naming the host, the port and the setting to change when the
   *     address cannot be bound
   */
  public static MetricsServer start(
      String host,
      int port,
      CoreMetrics core,
      String healthJson,
      @Nullable String bearerToken,
      Map<String, HttpHandler> extraHandlers,
      @Nullable HttpHandler root) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(
          "Cannot serve metrics: METRICS_HOST '"
              + host
              + "' does not resolve to an address."
              + " Use an interface address such as 0.0.0.0 or 127.0.0.1.",
          e);
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, port), 16);
    } catch (BindException e) {
      throw new IllegalStateException(
          "Cannot serve metrics on "
              + host
              + ":"
              + port
              + ": port "
              + port
              + " is already in use ("
              + e.getMessage()
              + "). Set METRICS_PORT (or Monitoring.builder(..).metricsPort(..)) to a free port,"
              + " or ENABLE_METRICS=false to turn the endpoint off.",
          e);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot serve metrics on "
              + host
              + ":"
              + port
              + ": "
              + e.getMessage()
              + ". Check METRICS_HOST and METRICS_PORT.",
          e);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "vigil-metrics-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    HttpHandler metrics = new MetricsHandler(PrometheusProperties.get(), new ScrapeRegistry(core));
    AccessGate gate = AccessGate.of(bearerToken, server.getAddress().getPort());
    List<HttpContext> contexts = new ArrayList<>();
    contexts.add(server.createContext("/metrics", exact("/metrics", core, gate.data(metrics))));
    contexts.add(server.createContext("/health", exact("/health", core, json(healthJson))));
    // Extra endpoints (/kpi) show business numbers and user ids: the metrics token guards them too.
    extraHandlers.forEach(
        (path, handler) ->
            contexts.add(server.createContext(path, exact(path, core, gate.data(handler)))));
    // The page and its files are guarded like the data: without the token, / is the sign-in form.
    contexts.add(
        server.createContext("/", root != null ? gate.page(root) : MetricsServer::notFound));
    // The 404 page lists what this server serves, whichever module added it.
    List<String> served = new ArrayList<>(List.of("/metrics", "/health"));
    extraHandlers.keySet().stream().sorted().forEach(served::add);
    if (root != null) {
      served.add(0, "/ (the KPI page)");
    }
    String notFound = "Not found. This port serves " + String.join(", ", served) + ".\n";
    for (HttpContext context : contexts) {
      context.getAttributes().put(NOT_FOUND_ATTRIBUTE, notFound);
    }
    server.start();
    return new MetricsServer(server, executor);
  }

  /** The bound address; the real port when 0 was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /**
   * Serves {@code handler} at exactly {@code path}. A handler that throws answers 500 (if it had
   * not answered yet) and is logged, rate-limited; the server thread goes on.
   */
  private static HttpHandler exact(String path, CoreMetrics core, HttpHandler handler) {
    return exchange -> {
      try {
        if (!exchange.getRequestURI().getPath().equals(path)) {
          notFound(exchange);
          return;
        }
        handler.handle(exchange);
      } catch (IOException e) {
        throw e; // the client went away: the JDK server closes the exchange
      } catch (Throwable t) {
        Throwables.rethrowIfFatal(t);
        core.internalError(path, t);
        try {
          respond(exchange, 500, "text/plain; charset=utf-8", "Vigil failed; see the log.\n");
        } catch (Throwable alreadyAnswered) {
          Throwables.rethrowIfFatal(alreadyAnswered);
          exchange.close();
        }
      }
    };
  }

  /** A handler answering a fixed JSON document to GET and HEAD. */
  public static HttpHandler json(String body) {
    return exchange -> respond(exchange, 200, "application/json", body);
  }

  /** Answers 404 with the list of what this server serves. */
  public static void notFound(HttpExchange exchange) throws IOException {
    Object text = exchange.getHttpContext().getAttributes().get(NOT_FOUND_ATTRIBUTE);
    respond(
        exchange,
        404,
        "text/plain; charset=utf-8",
        text instanceof String ? (String) text : "Not found. Try /metrics or /health.\n");
  }

  public static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
