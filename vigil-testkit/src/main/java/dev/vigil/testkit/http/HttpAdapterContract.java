package dev.vigil.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.MDC;

/**
 * The contract every Vigil HTTP adapter runs against the real server it instruments: route
 * templates, status codes (404 on a matched route included), unhandled exceptions, asynchronous
 * requests, request ids, ignored paths, request log levels, and 10,000 distinct raw paths making a
 * small, fixed set of routes. Extend it, start the contract's application behind your adapter in
 * {@link #start}, and every test here runs against it:
 *
 * <pre>{@code
 * class JettyContractTest extends HttpAdapterContract {
 *   @Override
 *   protected Application start(Setup setup) throws Exception {
 *     Monitoring monitoring = Monitoring.builder(setup.service())
 *         .metricsHost("127.0.0.1").metricsPort(0).jvmMetrics(false)
 *         .ticker(setup.ticker()::getAsLong)
 *         .build().start();
 *     // ... a Jetty serving the endpoints below, behind VigilServletFilter with setup's settings
 *     return new Application(URI.create("http://127.0.0.1:" + port + "/shop"), metricsUri, () -> {...});
 *   }
 * }
 * }</pre>
 *
 * <p>The application serves these endpoints, under {@link Application#root()}; its handlers call
 * the {@link Probe} of the {@link Setup}:
 *
 * <table>
 *   <caption>The contract's application</caption>
 *   <tr><th>request</th><th>the handler</th><th>expected route</th></tr>
 *   <tr><td>{@code GET /hello}</td><td>{@code took(20)}, answers 200 {@code hello}</td>
 *       <td>{@code /hello}</td></tr>
 *   <tr><td>{@code POST /hello}</td><td>reads the body, {@code took(40)}, answers 201</td>
 *       <td>{@code /hello}</td></tr>
 *   <tr><td>{@code GET /users/{id}}</td><td>{@code took(5)}, answers 200</td>
 *       <td>{@code /users/{id}}: a template, or for a server without templates a prefix mapping
 *       {@code /users/*}</td></tr>
 *   <tr><td>{@code GET /missing}</td><td>answers 404 itself</td><td>{@code /missing}</td></tr>
 *   <tr><td>{@code GET /unavailable}</td><td>answers 503 itself</td>
 *       <td>{@code /unavailable}</td></tr>
 *   <tr><td>{@code POST /boom}</td><td>{@code took(100)}, throws {@code
 *       IllegalStateException("payment gateway down")}</td><td>{@code /boom}</td></tr>
 *   <tr><td>{@code GET /async/{id}}</td><td>goes asynchronous; on {@link Probe#later}: {@code
 *       took(1500)}, answers 202</td><td>{@code /async/{id}}</td></tr>
 *   <tr><td>{@code GET /async-fail/{id}}</td><td>goes asynchronous; on {@link Probe#later} the
 *       request fails with {@code IllegalArgumentException("async work failed")} (a servlet
 *       re-dispatches and throws there; Spring completes its future exceptionally)</td>
 *       <td>{@code /async-fail/{id}}</td></tr>
 *   <tr><td>{@code GET /health}</td><td>answers 200; the ignored path</td><td>none</td></tr>
 *   <tr><td>anything else</td><td>the server answers 404</td><td>{@code UNMATCHED}</td></tr>
 * </table>
 *
 * <p>The adapter is configured as {@link Setup} says: the service name, the ticker its durations
 * are measured with, {@code /health} ignored, the {@code User-Agent} header in error reports, the
 * request id echoed, and the default request log levels. The server's own log lines must reach
 * SLF4J (Tomcat's through {@code jul-to-slf4j}), so that the test counting stack traces sees them.
 *
 * <p>The server runs for all tests of the class, so each test asserts what its own requests added
 * to the metrics. A server without asynchronous requests (the JDK's) returns false from {@link
 * #supportsAsync()}, and the two asynchronous tests are skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HttpAdapterContract {
  /** The {@code service} label the adapter records with. */
  public static final String SERVICE = "contract";

  /** The user agent every request of the contract sends. */
  public static final String USER_AGENT = "contract-test/1.0";

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Setup setup;
  private Application server;

  /**
   * Starts the contract's application (see the class documentation) behind the adapter under test,
   * configured as {@code setup} says.
   */
  protected abstract Application start(Setup setup) throws Exception;

  /** Whether the server has asynchronous requests; false skips the two asynchronous tests. */
  protected boolean supportsAsync() {
    return true;
  }

  @BeforeAll
  final void startServer() throws Exception {
    setup = new Setup();
    server = start(setup);
  }

  @AfterAll
  final void stopServer() throws Exception {
    try {
      if (server != null) {
        server.stop();
      }
    } finally {
      setup.close();
    }
  }

  @Test
  void exactRouteIsTheRouteAndTheDurationIsWhatTheHandlerTook() {
    Traffic before = traffic();

    assertThat(get("/hello").statusCode()).isEqualTo(200);

    Traffic after = recorded(before, 1);
    assertThat(after.requestsSince(before)).containsExactly(Map.entry("GET /hello 200", 1.0));
    assertThat(after.since(before, "http_request_duration_seconds_sum", "route", "/hello"))
        .isEqualTo(0.02);
    assertThat(
            after.since(
                before, "http_request_duration_seconds_bucket", "route", "/hello", "le", "0.05"))
        .isEqualTo(1.0);
    assertThat(
            after.since(
                before, "http_request_duration_seconds_bucket", "route", "/hello", "le", "0.01"))
        .isEqualTo(0.0);
    assertThat(after.scrape.matching("http_requests_total", "route", "/hello"))
        .allSatisfy(s -> assertThat(s.labels()).containsEntry("service", SERVICE));
  }

  @Test
  void postIsRecordedWithTheStatusItAnswered() {
    Traffic before = traffic();

    HttpResponse<String> response =
        send(request("/hello").POST(HttpRequest.BodyPublishers.ofString("{\"plan\":\"pro\"}")));

    assertThat(response.statusCode()).isEqualTo(201);
    Traffic after = recorded(before, 1);
    assertThat(after.requestsSince(before)).containsExactly(Map.entry("POST /hello 201", 1.0));
    assertThat(
            after.since(
                before, "http_request_duration_seconds_sum", "method", "POST", "route", "/hello"))
        .isEqualTo(0.04);
  }

  @Test
  void idsInThePathBecomeTheRouteTemplate() {
    Traffic before = traffic();

    assertThat(get("/users/42").statusCode()).isEqualTo(200);
    assertThat(get("/users/550e8400-e29b-41d4-a716-446655440000").statusCode()).isEqualTo(200);
    assertThat(get("/users/5f2b9c1e8d3a4b7c9e0f1a2b").statusCode()).isEqualTo(200);

    assertThat(recorded(before, 3).requestsSince(before))
        .containsExactly(Map.entry("GET /users/{id} 200", 3.0));
  }

  @Test
  void statusSentByAMatchedRouteKeepsTheRoute() {
    Traffic before = traffic();

    assertThat(get("/missing").statusCode()).isEqualTo(404);
    assertThat(get("/unavailable").statusCode()).isEqualTo(503);

    assertThat(recorded(before, 2).requestsSince(before))
        .containsOnly(Map.entry("GET /missing 404", 1.0), Map.entry("GET /unavailable 503", 1.0));
  }

  @Test
  void requestsNothingMatchedShareOneRoute() {
    Traffic before = traffic();

    assertThat(get("/wp-login.php").statusCode()).isEqualTo(404);
    assertThat(get("/nothing/here/123").statusCode()).isEqualTo(404);
    assertThat(get("/.env").statusCode()).isEqualTo(404);

    assertThat(recorded(before, 3).requestsSince(before))
        .containsExactly(Map.entry("GET UNMATCHED 404", 3.0));
  }

  @Test
  void unhandledExceptionIsA500ReportedOnceWithItsContextAndOneStackTrace() {
    Traffic before = traffic();
    HttpResponse<String> response;
    try (LogCapture errors = LogCapture.of("dev.vigil.errors");
        LogCapture everything = LogCapture.everything()) {
      response =
          send(
              request("/boom?order=9&api_key=k-123456")
                  .header("Cookie", "session=abcdef")
                  .header("X-Request-Id", "req-42")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"hunter2\"}")));

      assertThat(response.statusCode()).isEqualTo(500);
      Traffic after = recorded(before, 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> !errors.events().isEmpty());
      assertThat(errors.events())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getFormattedMessage())
                    .isEqualTo("Error IllegalStateException: payment gateway down");
                assertThat(context(e))
                    .isEqualTo(
                        "{method=POST, route=/boom, url="
                            + server.root().getPath()
                            + "/boom, query=order=9&api_key=[REDACTED], requestId=req-42,"
                            + " headers={User-Agent="
                            + USER_AGENT
                            + "}}");
                assertThat(e.getMDCPropertyMap()).containsEntry("requestId", "req-42");
              });
      assertThat(stackTraces(everything, "payment gateway down"))
          .as("log events carrying the exception, from any logger")
          .isEqualTo(1);
      assertThat(after.requestsSince(before)).containsExactly(Map.entry("POST /boom 500", 1.0));
    }
    Traffic settled = traffic();
    assertThat(settled.since(before, "http_request_duration_seconds_sum", "route", "/boom"))
        .isEqualTo(0.1);
    assertThat(
            settled.since(
                before, "errors_total", "error_type", "IllegalStateException", "severity", "error"))
        .isEqualTo(1.0);
    assertThat(setup.probe.requestIdSeen()).isEqualTo("req-42");
  }

  @Test
  void asynchronousRequestIsRecordedWhenItCompletesWithItsFinalStatus() {
    Assumptions.assumeTrue(supportsAsync(), "the server has no asynchronous requests");
    Traffic before = traffic();

    assertThat(get("/async/7").statusCode()).isEqualTo(202);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(traffic().requestsSince(before))
                    .containsExactly(Map.entry("GET /async/{id} 202", 1.0)));
    Traffic after = traffic();
    assertThat(after.since(before, "http_request_duration_seconds_sum", "route", "/async/{id}"))
        .isEqualTo(1.5);
  }

  @Test
  void failedAsynchronousRequestKeepsItsRouteAndIsReportedOnce() {
    Assumptions.assumeTrue(supportsAsync(), "the server has no asynchronous requests");
    Traffic before = traffic();
    try (LogCapture errors = LogCapture.of("dev.vigil.errors");
        LogCapture everything = LogCapture.everything()) {
      HttpResponse<String> response =
          send(request("/async-fail/7").header("X-Request-Id", "async-1").GET());

      assertThat(response.statusCode()).isEqualTo(500);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(traffic().requestsSince(before))
                      .containsExactly(Map.entry("GET /async-fail/{id} 500", 1.0)));
      await().atMost(Duration.ofSeconds(10)).until(() -> !errors.events().isEmpty());
      assertThat(errors.events())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getFormattedMessage())
                    .isEqualTo("Error IllegalArgumentException: async work failed");
                assertThat(context(e)).contains("route=/async-fail/{id}", "requestId=async-1");
                assertThat(e.getMDCPropertyMap()).containsEntry("requestId", "async-1");
              });
      assertThat(stackTraces(everything, "async work failed")).isEqualTo(1);
    }
    assertThat(
            traffic()
                .since(
                    before,
                    "errors_total",
                    "error_type",
                    "IllegalArgumentException",
                    "severity",
                    "error"))
        .isEqualTo(1.0);
  }

  @Test
  void requestIdFromTheClientIsInTheLogContextAndEchoed() {
    Traffic before = traffic();
    HttpResponse<String> response = send(request("/hello").header("X-Request-Id", "abc-123").GET());

    assertThat(setup.probe.requestIdSeen()).isEqualTo("abc-123");
    assertThat(response.headers().firstValue("X-Request-Id")).contains("abc-123");
    recorded(before, 1); // before the next test counts its own
  }

  @Test
  void missingOrUnsafeRequestIdIsReplacedByANewOne() {
    Traffic before = traffic();
    HttpResponse<String> unsafe = send(request("/hello").header("X-Request-Id", "a b\"c").GET());
    String generated = setup.probe.requestIdSeen();

    assertThat(generated).matches("[0-9a-f]{16}");
    assertThat(unsafe.headers().firstValue("X-Request-Id")).contains(generated);
    get("/hello");
    assertThat(setup.probe.requestIdSeen()).matches("[0-9a-f]{16}").isNotEqualTo(generated);
    recorded(before, 2); // before the next test counts its own
  }

  @Test
  void ignoredPathsAreNotMeasured() {
    Traffic before = traffic();

    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/hello").statusCode()).isEqualTo(200); // recorded after /health, if that were

    assertThat(recorded(before, 1).requestsSince(before))
        .containsExactly(Map.entry("GET /hello 200", 1.0));
  }

  @Test
  void requestLinesAreLoggedAtTheLevelOfTheirStatus() {
    Traffic before = traffic();
    try (LogCapture logs = LogCapture.of("dev.vigil.http")) {
      get("/hello");
      get("/missing");
      get("/unavailable");

      await().atMost(Duration.ofSeconds(10)).until(() -> logs.events().size() >= 3);
      // A server may answer before the adapter logs: the lines of two requests can swap.
      assertThat(logs.events())
          .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(
                  Level.DEBUG, "GET /hello 200 20.0 ms user-agent=" + USER_AGENT),
              org.assertj.core.groups.Tuple.tuple(
                  Level.DEBUG, "GET /missing 404 0.0 ms user-agent=" + USER_AGENT),
              org.assertj.core.groups.Tuple.tuple(
                  Level.WARN, "GET /unavailable 503 0.0 ms user-agent=" + USER_AGENT));
      assertThat(logs.events())
          .allSatisfy(
              e ->
                  assertThat(e.getKeyValuePairs())
                      .anySatisfy(
                          pair -> {
                            assertThat(pair.key).isEqualTo("service");
                            assertThat(pair.value).isEqualTo(SERVICE);
                          }));
    }
    recorded(before, 3); // before the next test counts its own
  }

  @Test
  void tenThousandDistinctRawPathsMakeTwoRoutes() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      paths.add("/users/" + (100_000 + i));
      paths.add("/users/" + UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}));
    }
    Random random = new Random(6);
    Set<String> unmatched = new HashSet<>();
    while (unmatched.size() < 5000) {
      StringBuilder path = new StringBuilder("/");
      for (int k = 0; k < 12; k++) {
        path.append((char) ('a' + random.nextInt(26)));
      }
      unmatched.add(path.toString());
    }
    paths.addAll(unmatched);
    assertThat(new HashSet<>(paths)).hasSize(10_000);
    Traffic before = traffic();

    Map<Integer, Integer> statuses = getAll(paths);

    assertThat(statuses).containsOnly(Map.entry(200, 5000), Map.entry(404, 5000));
    Traffic after = recorded(before, 10_000);
    assertThat(after.requestsSince(before))
        .containsOnly(
            Map.entry("GET /users/{id} 200", 5000.0), Map.entry("GET UNMATCHED 404", 5000.0));
    assertThat(after.scrape.sum("vigil_label_overflow_total"))
        .isEqualTo(before.scrape.sum("vigil_label_overflow_total"));
  }

  /** GETs every path, eight in flight at a time; counts the answers by status. */
  private Map<Integer, Integer> getAll(List<String> paths) {
    Map<Integer, Integer> statuses = new LinkedHashMap<>();
    for (int i = 0; i < paths.size(); i += 8) {
      List<CompletableFuture<HttpResponse<Void>>> batch = new ArrayList<>();
      for (int k = i; k < Math.min(i + 8, paths.size()); k++) {
        batch.add(
            CLIENT.sendAsync(
                request(paths.get(k)).GET().build(), HttpResponse.BodyHandlers.discarding()));
      }
      for (CompletableFuture<HttpResponse<Void>> response : batch) {
        statuses.merge(response.join().statusCode(), 1, Integer::sum);
      }
    }
    return statuses;
  }

  private static String context(ILoggingEvent event) {
    return event.getKeyValuePairs().stream()
        .filter(pair -> pair.key.equals("context"))
        .map(pair -> String.valueOf(pair.value))
        .findFirst()
        .orElse("(no context)");
  }

  /** How many captured events carry an exception whose chain has this message. */
  private static long stackTraces(LogCapture logs, String message) {
    return logs.events().stream().filter(e -> chainHas(e.getThrowableProxy(), message, 0)).count();
  }

  private static boolean chainHas(@Nullable IThrowableProxy proxy, String message, int depth) {
    if (proxy == null || depth > 16) {
      return false;
    }
    return (proxy.getMessage() != null && proxy.getMessage().contains(message))
        || chainHas(proxy.getCause(), message, depth + 1);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.root() + path))
        .timeout(Duration.ofSeconds(15))
        .header("User-Agent", USER_AGENT);
  }

  private HttpResponse<String> get(String path) {
    return send(request(path).GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    HttpRequest built = request.build();
    try {
      return CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(built.method() + " " + built.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private Traffic traffic() {
    return new Traffic(Scrape.of(server.metrics(), null));
  }

  /**
   * The scrape once {@code requests} more requests are recorded than in {@code before}. A server
   * may answer the client before the adapter records the request (the JDK's does), so a test waits
   * for the count, never for time.
   */
  private Traffic recorded(Traffic before, int requests) {
    double expected = before.scrape.sum("http_requests_total") + requests;
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(this::traffic, t -> t.scrape.sum("http_requests_total") >= expected);
  }

  /** One scrape, compared with an earlier one. */
  private static final class Traffic {
    final Scrape scrape;

    Traffic(Scrape scrape) {
      this.scrape = scrape;
    }

    /** {@code http_requests_total} added since {@code before}, as "METHOD route status". */
    Map<String, Double> requestsSince(Traffic before) {
      Map<String, Double> added = new LinkedHashMap<>();
      for (Scrape.Sample s : scrape.samples("http_requests_total")) {
        double earlier =
            before
                .scrape
                .matching(
                    "http_requests_total",
                    "method",
                    s.labels().get("method"),
                    "route",
                    s.labels().get("route"),
                    "status_code",
                    s.labels().get("status_code"))
                .stream()
                .mapToDouble(Scrape.Sample::value)
                .sum();
        if (s.value() != earlier) {
          added.put(
              s.labels().get("method")
                  + " "
                  + s.labels().get("route")
                  + " "
                  + s.labels().get("status_code"),
              s.value() - earlier);
        }
      }
      return added;
    }

    /** What the samples of {@code name} matching these labels added since {@code before}. */
    double since(Traffic before, String name, String... labelPairs) {
      double now =
          scrape.matching(name, labelPairs).stream().mapToDouble(Scrape.Sample::value).sum();
      double then =
          before.scrape.matching(name, labelPairs).stream().mapToDouble(Scrape.Sample::value).sum();
      return Math.round((now - then) * 1e9) / 1e9;
    }
  }

  /** How the adapter under test is configured, and what the application's handlers call. */
  public static final class Setup implements AutoCloseable {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Probe probe = new Probe(nanos);

    Setup() {}

    /** The {@code service} label: {@value HttpAdapterContract#SERVICE}. */
    public String service() {
      return SERVICE;
    }

    /** The clock the adapter measures durations with; the handlers move it. */
    public LongSupplier ticker() {
      return nanos::get;
    }

    /** The paths the adapter ignores: {@code /health}. */
    public List<String> ignorePaths() {
      return List.of("/health");
    }

    /** The request headers named in error reports: {@code User-Agent}. */
    public List<String> errorHeaders() {
      return List.of("User-Agent");
    }

    /** Whether the adapter echoes the request id in the response: true. */
    public boolean echoRequestId() {
      return true;
    }

    /** What the application's handlers call. */
    public Probe probe() {
      return probe;
    }

    @Override
    public void close() {
      probe.close();
    }
  }

  /** What the contract application's handlers call, on the thread they run on. */
  public static final class Probe {
    private final AtomicLong nanos;
    private final AtomicReference<String> requestIdSeen = new AtomicReference<>();
    private final ThreadPoolExecutor later =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "contract-async");
              t.setDaemon(true);
              return t;
            });

    Probe(AtomicLong nanos) {
      this.nanos = nanos;
      // Started here, by the test, not by the first request: a container's class loader must not
      // become the thread's, or the container reports a leak when it stops.
      later.prestartAllCoreThreads();
    }

    /**
     * The handler took this long: moves the ticker, and notes the request id in the log context of
     * the calling thread.
     */
    public void took(long millis) {
      nanos.addAndGet(millis * 1_000_000L);
      requestIdSeen.set(MDC.get("requestId"));
    }

    /** Runs the asynchronous part of a request on another thread, as a real application would. */
    public void later(Runnable work) {
      later.execute(work);
    }

    /** The request id the last handler found in the log context. */
    public @Nullable String requestIdSeen() {
      return requestIdSeen.get();
    }

    void close() {
      later.shutdownNow();
    }
  }

  /** The application under test, as {@link #start} started it. */
  public static final class Application {
    private final URI root;
    private final URI metrics;
    private final Stop stop;

    /**
     * @param root the application's root, with any context path and without a trailing slash
     * @param metrics where the adapter's metrics are scraped, such as {@code
     *     http://127.0.0.1:9091/metrics}
     * @param stop stops the server and the monitoring
     */
    public Application(URI root, URI metrics, Stop stop) {
      this.root = root;
      this.metrics = metrics;
      this.stop = stop;
    }

    public URI root() {
      return root;
    }

    public URI metrics() {
      return metrics;
    }

    void stop() throws Exception {
      stop.run();
    }
  }

  /** Stops what {@link #start} started. */
  @FunctionalInterface
  public interface Stop {
    void run() throws Exception;
  }
}
