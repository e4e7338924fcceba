package dev.vigil.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A Sentry server for tests: an HTTP receiver on 127.0.0.1 that the real Sentry SDK sends its
 * envelopes to, decoded (gzip included) into their items.
 *
 * <pre>{@code
 * try (SentryReceiver sentry = SentryReceiver.start()) {
 *   ... SENTRY_DSN = sentry.dsn() ...
 *   await().until(() -> !sentry.events().isEmpty());
 *   JsonNode event = sentry.events().get(0);
 *   assertThat(event.at("/tags/service").asText()).isEqualTo("bot");
 * }
 * }</pre>
 *
 * <p>{@link #holding(Duration)} makes a slow Sentry: each request is answered only after that long,
 * or at once on {@link #release()} or {@link #close()}; it waits on a latch, not a sleep.
 */
public final class SentryReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Duration hold;
  private final CountDownLatch released = new CountDownLatch(1);
  private final List<Envelope> envelopes = new ArrayList<>();
  private int requests;

  /** One envelope as received: its header and its items. */
  public record Envelope(JsonNode header, List<Item> items, String body) {}

  /** One item of an envelope: its header (with {@code type}) and its payload. */
  public record Item(JsonNode header, byte[] payload) {
    public String type() {
      return header.path("type").asText();
    }

    public JsonNode json() {
      try {
        return JSON.readTree(payload);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private SentryReceiver(Duration hold) throws IOException {
    this.hold = hold;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** A receiver that answers every envelope at once. */
  public static SentryReceiver start() {
    try {
      return new SentryReceiver(Duration.ZERO);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A receiver that records each envelope at once but answers only after {@code hold}. */
  public static SentryReceiver holding(Duration hold) {
    try {
      return new SentryReceiver(hold);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The DSN that points the Sentry SDK here. */
  public String dsn() {
    return "http://publickey@127.0.0.1:" + server.getAddress().getPort() + "/1";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Every envelope received so far. */
  public synchronized List<Envelope> envelopes() {
    return List.copyOf(envelopes);
  }

  /** The payloads of the {@code event} items received so far. */
  public List<JsonNode> events() {
    List<JsonNode> events = new ArrayList<>();
    for (Envelope envelope : envelopes()) {
      for (Item item : envelope.items()) {
        if ("event".equals(item.type())) {
          events.add(item.json());
        }
      }
    }
    return events;
  }

  /** Everything received, decoded to text, for looking for what must not be there. */
  public String allText() {
    StringBuilder out = new StringBuilder();
    for (Envelope envelope : envelopes()) {
      out.append(envelope.body()).append('\n');
    }
    return out.toString();
  }

  public synchronized int requests() {
    return requests;
  }

  /** Answers the held requests now, and every later one at once. */
  public void release() {
    released.countDown();
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      Envelope envelope = parse(body);
      synchronized (this) {
        requests++;
        envelopes.add(envelope);
      }
      if (!hold.isZero()) {
        released.await(hold.toMillis(), TimeUnit.MILLISECONDS);
      }
      byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The envelope format: a header line, then for each item a header line and its payload. */
  static Envelope parse(byte[] body) throws IOException {
    int[] position = {0};
    JsonNode header = JSON.readTree(line(body, position));
    List<Item> items = new ArrayList<>();
    while (position[0] < body.length) {
      byte[] itemHeaderLine = line(body, position);
      if (itemHeaderLine.length == 0) {
        continue;
      }
      JsonNode itemHeader = JSON.readTree(itemHeaderLine);
      byte[] payload;
      if (itemHeader.has("length")) {
        int length = itemHeader.get("length").asInt();
        payload =
            Arrays.copyOfRange(body, position[0], Math.min(body.length, position[0] + length));
        position[0] += length;
        if (position[0] < body.length && body[position[0]] == '\n') {
          position[0]++;
        }
      } else {
        payload = line(body, position);
      }
      items.add(new Item(itemHeader, payload));
    }
    return new Envelope(header, items, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] line(byte[] body, int[] position) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (position[0] < body.length && body[position[0]] != '\n') {
      out.write(body[position[0]++]);
    }
    position[0]++;
    return out.toByteArray();
  }
}
