package dev.vigil.testkit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.Monitoring;
import dev.vigil.http.HttpInstrumentation;
import dev.vigil.http.VigilHttpServerFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP-adapter contract on the JDK's {@code HttpServer}: one context per route, the {@code
 * /users/} context a prefix, and a root context answering 404 so that unmatched paths pass the
 * filter. The JDK server has no asynchronous requests.
 */
class JdkServerContractTest extends HttpAdapterContract {

  @Override
  protected boolean supportsAsync() {
    return false;
  }

  @Override
  protected Application start(Setup setup) throws IOException {
    Monitoring monitoring =
        Monitoring.builder(setup.service())
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .ticker(setup.ticker()::getAsLong)
            .build()
            .start();
    VigilHttpServerFilter filter =
        VigilHttpServerFilter.create(
            HttpInstrumentation.builder(monitoring)
                .ignorePaths(setup.ignorePaths())
                .errorHeaders(setup.errorHeaders().toArray(new String[0]))
                .echoRequestId(setup.echoRequestId())
                .build());
    Probe probe = setup.probe();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server
        .createContext(
            "/hello",
            exchange -> {
              if (exchange.getRequestMethod().equals("POST")) {
                exchange.getRequestBody().readAllBytes();
                probe.took(40);
                answer(exchange, 201, "");
              } else {
                probe.took(20);
                answer(exchange, 200, "hello");
              }
            })
        .getFilters()
        .add(filter);
    server
        .createContext(
            "/users/",
            exchange -> {
              probe.took(5);
              answer(exchange, 200, "user");
            })
        .getFilters()
        .add(filter);
    server
        .createContext("/missing", exchange -> answer(exchange, 404, ""))
        .getFilters()
        .add(filter);
    server
        .createContext("/unavailable", exchange -> answer(exchange, 503, "down"))
        .getFilters()
        .add(filter);
    server
        .createContext(
            "/boom",
            exchange -> {
              probe.took(100);
              throw new IllegalStateException("payment gateway down");
            })
        .getFilters()
        .add(filter);
    server
        .createContext("/health", exchange -> answer(exchange, 200, "ok"))
        .getFilters()
        .add(filter);
    server.createContext("/", VigilHttpServerFilter.notFound()).getFilters().add(filter);
    server.start();
    int port = server.getAddress().getPort();
    return new Application(
        URI.create("http://127.0.0.1:" + port),
        URI.create("http://127.0.0.1:" + monitoring.metricsAddress().getPort() + "/metrics"),
        () -> {
          server.stop(0);
          executor.shutdownNow();
          monitoring.close();
        });
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
