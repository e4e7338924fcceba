package dev.vigil.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers from a script: the
 * stand-in for Telegram's Bot API, a Slack incoming webhook or a webhook receiver, including their
 * failures (500, 429 with a retry delay, an answer that takes 10 s).
 *
 * <pre>{@code
 * try (HttpReceiver telegram = HttpReceiver.start(HttpReceiver.Response.ok("{\"ok\":true}"))) {
 *   telegram.enqueue(HttpReceiver.Response.status(429).body("{\"ok\":false,\"parameters\":{\"retry_after\":7}}"));
 *   // point the sender at telegram.url("")
 *   await().until(() -> telegram.requests().size() == 2);
 * }
 * }</pre>
 *
 * <p>Scripted responses are used in order, then the default one. A delayed response holds its
 * server thread until the delay passes or the receiver is closed. A gzip-encoded request body (the
 * Sentry SDK's) is recorded decoded.
 */
public final class HttpReceiver implements AutoCloseable {

  /** One request as received. */
  public record Request(
      String method, String path, Map<String, List<String>> headers, String body) {
    public Request {
      headers = Map.copyOf(headers);
    }

    /** The first value of a header, ignoring case, or null. */
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** A scripted answer. */
  public record Response(int status, Map<String, String> headers, String body, Duration delay) {
    public Response {
      headers = Map.copyOf(headers);
    }

    public static Response ok(String body) {
      return new Response(200, Map.of("Content-Type", "application/json"), body, Duration.ZERO);
    }

    public static Response status(int status) {
      return new Response(status, Map.of("Content-Type", "application/json"), "", Duration.ZERO);
    }

    public Response body(String body) {
      return new Response(status, headers, body, delay);
    }

    public Response header(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Response(status, more, body, delay);
    }

    /** Answers only after {@code delay}: a receiver too slow for the sender's timeout. */
    public Response after(Duration delay) {
      return new Response(status, headers, body, delay);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Response fallback;
  private final ConcurrentLinkedQueue<Response> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  private HttpReceiver(HttpServer server, ExecutorService executor, Response fallback) {
    this.server = server;
    this.executor = executor;
    this.fallback = fallback;
  }

  /** Starts on a free port of 127.0.0.1, answering {@code fallback} unless scripted otherwise. */
  public static HttpReceiver start(Response fallback) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService executor =
          Executors.newFixedThreadPool(
              4,
              r -> {
                Thread t = new Thread(r, "http-receiver");
                t.setDaemon(true);
                return t;
              });
      HttpReceiver receiver = new HttpReceiver(server, executor, fallback);
      server.createContext("/", receiver::handle);
      server.setExecutor(executor);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start an HTTP receiver on 127.0.0.1", e);
    }
  }

  /** Answers the next requests with these, in order. */
  public HttpReceiver enqueue(Response... responses) {
    script.addAll(List.of(responses));
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
          bytes = in.readAllBytes();
        }
      }
      String body = new String(bytes, StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath();
      requests.add(
          new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders(), body));
      Response response = script.poll();
      if (response == null) {
        response = fallback;
      }
      if (!response.delay().isZero()) {
        try {
          closed.await(response.delay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      byte[] answer = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(response.status(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  /** The base URL followed by {@code path}, such as {@code http://127.0.0.1:40123/hook}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Forgets the requests received so far, for a test that sends many. */
  public void clear() {
    requests.clear();
  }

  /** The requests received so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
