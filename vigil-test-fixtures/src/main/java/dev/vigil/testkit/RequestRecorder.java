package dev.vigil.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers with a fixed response: the
 * stand-in for Telegram's Bot API, a Slack incoming webhook or any webhook receiver.
 *
 * <pre>{@code
 * try (RequestRecorder slack = RequestRecorder.start("ok")) {
 *   // point the sender at slack.url("/services/T000/B000/XXX")
 *   await().until(() -> !slack.requests().isEmpty());
 * }
 * }</pre>
 */
public final class RequestRecorder implements AutoCloseable {

  /** One request as received. */
  public record Request(
      String method, String path, Map<String, List<String>> headers, String body) {
    public Request {
      headers = Map.copyOf(headers);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private RequestRecorder(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts on a free port, answering every request with 200 and {@code responseBody}. */
  public static RequestRecorder start(String responseBody) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      ExecutorService executor =
          Executors.newFixedThreadPool(
              2,
              r -> {
                Thread t = new Thread(r, "request-recorder");
                t.setDaemon(true);
                return t;
              });
      RequestRecorder recorder = new RequestRecorder(server, executor);
      byte[] answer = responseBody.getBytes(StandardCharsets.UTF_8);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              String body =
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
              recorder.requests.add(
                  new Request(
                      exchange.getRequestMethod(),
                      exchange.getRequestURI().getPath(),
                      exchange.getRequestHeaders(),
                      body));
              exchange.getResponseHeaders().set("Content-Type", "application/json");
              exchange.sendResponseHeaders(200, answer.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
              }
            }
          });
      server.setExecutor(executor);
      server.start();
      return recorder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a recorder on 127.0.0.1", e);
    }
  }

  /** The base URL followed by {@code path}, such as {@code http://127.0.0.1:40123/hook}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The requests received so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
