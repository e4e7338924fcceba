package dev.vigil.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.StructuredLogger;
import dev.vigil.examples.sim.PaymentGateway;
import dev.vigil.examples.sim.Simulation;
import dev.vigil.http.VigilHttpServerFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The specification's second example: payment processing, served as a small HTTP API ({@code POST
 * /api/payments}, {@code GET /api/plans}, {@code GET /api/users/{id}}) and driven by simulated
 * customers over real HTTP.
 */
public final class PaymentsApi implements AutoCloseable {
  private static final Map<String, BigDecimal> USD_PRICES =
      Map.of(
          "basic",
          new BigDecimal("4.99"),
          "premium",
          new BigDecimal("9.99"),
          "enterprise",
          new BigDecimal("49.99"));
  private static final String[] PLANS = {
    "basic", "basic", "premium", "premium", "premium", "enterprise"
  };

  private final Monitoring monitoring;
  private final StructuredLogger log;
  private final PaymentGateway gateway;
  private final Simulation simulation;
  private final GroundTruth truth = new GroundTruth();
  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(8, Daemon.named("api"));
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread customers;
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean running = true;

  PaymentsApi(
      Monitoring monitoring, Simulation simulation, String host, int port, double requestsPerSecond)
      throws IOException {
    this.monitoring = monitoring;
    this.log = monitoring.logger(PaymentsApi.class);
    this.simulation = simulation;
    this.gateway = new PaymentGateway(simulation);
    this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
    server.setExecutor(workers);
    // The seed's Express middleware, for the JDK server: the JDK runs filters per context.
    VigilHttpServerFilter http = VigilHttpServerFilter.create(monitoring);
    server.createContext("/api/payments", this::payments).getFilters().add(http);
    server
        .createContext(
            "/api/plans",
            exchange ->
                respond(exchange, 200, "{\"plans\":[\"basic\",\"premium\",\"enterprise\"]}"))
        .getFilters()
        .add(http);
    server.createContext("/api/users/", this::user).getFilters().add(http);
    SplittableRandom random = simulation.split();
    customers = Daemon.named("api-customers").newThread(() -> customers(random, requestsPerSecond));
  }

  void start() {
    server.start();
    customers.start();
  }

  /** Where the API listens (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops the simulated customers and waits for their requests in flight, so counts settle. */
  public void drain() throws InterruptedException {
    running = false;
    customers.interrupt();
    customers.join();
    try {
      CompletableFuture.allOf(inFlight.toArray(new CompletableFuture<?>[0]))
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("API requests did not settle: " + e, e);
    }
  }

  public GroundTruth truth() {
    return truth;
  }

  public Monitoring monitoring() {
    return monitoring;
  }

  /** The seed's {@code processPayment}, call for call. */
  Map<String, Object> processPayment(String userId, String plan, BigDecimal amount, String currency)
      throws InterruptedException {
    log.info("Processing payment", Map.of("userId", userId, "plan", plan, "amount", amount));
    PaymentGateway.Payment payment = null;
    try {
      payment = gateway.createPayment(userId, plan, amount);
      PaymentGateway.Result result = gateway.waitForConfirmation(payment);
      if (result.status().equals("succeeded")) {
        monitoring.trackKpi(Kpi.paymentConversion(result.paymentMethod(), plan, amount, currency));
        truth.inc("payments.success");
        truth.inc("payments.success." + result.paymentMethod() + "." + plan);
        log.info(
            "Payment successful",
            Map.of("userId", userId, "paymentId", payment.id(), "plan", plan, "amount", amount));
        return Map.of("success", true, "paymentId", payment.id());
      }
      throw new PaymentDeclinedException(
          result.status(), result.failureCode(), result.paymentMethod());
    } catch (RuntimeException error) {
      String paymentId = payment == null ? "unknown" : payment.id();
      String method =
          error instanceof PaymentDeclinedException
              ? ((PaymentDeclinedException) error).paymentMethod
              : "card";
      String errorType =
          error instanceof PaymentDeclinedException
              ? ((PaymentDeclinedException) error).code
              : Kpi.errorType(error);
      monitoring.trackKpi(Kpi.paymentFailure(paymentId, method, errorType));
      truth.inc("payments.failure");
      truth.inc("payments.failure." + method + "." + errorType);
      // the specification alerts on every failed payment; repeats merge within the cool-down
      monitoring
          .alerts()
          .alertPaymentFailure(
              paymentId, error, Map.of("userId", userId, "plan", plan, "amount", amount));
      log.error(
          "Payment failed",
          error,
          Map.of("userId", userId, "paymentId", paymentId, "plan", plan, "amount", amount));
      throw error;
    }
  }

  /** The gateway said no. */
  static final class PaymentDeclinedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;
    final String paymentMethod;

    PaymentDeclinedException(String status, @Nullable String code, String paymentMethod) {
      super("Payment failed: " + status + (code == null ? "" : " (" + code + ")"));
      this.code = code == null ? status : code;
      this.paymentMethod = paymentMethod;
    }
  }

  private void payments(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      respond(exchange, 405, "{\"error\":\"use POST\"}");
      return;
    }
    Map<String, String> form =
        form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String plan = form.getOrDefault("plan", "basic");
    BigDecimal price = USD_PRICES.get(plan);
    if (price == null) {
      respond(exchange, 400, "{\"error\":\"unknown plan\"}");
      return;
    }
    try {
      Map<String, Object> result =
          processPayment(form.getOrDefault("userId", "anonymous"), plan, price, "USD");
      respond(
          exchange, 200, "{\"success\":true,\"paymentId\":\"" + result.get("paymentId") + "\"}");
    } catch (PaymentDeclinedException e) {
      respond(exchange, 402, "{\"success\":false,\"error\":\"" + e.code + "\"}");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(exchange, 503, "{\"error\":\"shutting down\"}");
    } catch (RuntimeException e) {
      monitoring.handleError(e, Map.of("route", "/api/payments", "plan", plan));
      respond(exchange, 502, "{\"success\":false,\"error\":\"gateway unavailable\"}");
    }
  }

  private void user(HttpExchange exchange) throws IOException {
    String id = exchange.getRequestURI().getPath().substring("/api/users/".length());
    if (!id.matches("\\d+")) {
      respond(exchange, 404, "{\"error\":\"no such user\"}");
      return;
    }
    respond(exchange, 200, "{\"id\":" + id + ",\"plan\":\"premium\"}");
  }

  private void customers(SplittableRandom random, double requestsPerSecond) {
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    try {
      while (running) {
        long user = 1 + random.nextInt(400);
        HttpRequest request;
        double roll = random.nextDouble();
        if (roll < 0.5) {
          String plan = PLANS[random.nextInt(PLANS.length)];
          request =
              HttpRequest.newBuilder(URI.create(base + "/api/payments"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("userId=" + user + "&plan=" + plan))
                  .timeout(Duration.ofSeconds(30))
                  .build();
        } else if (roll < 0.9) {
          request = HttpRequest.newBuilder(URI.create(base + "/api/users/" + user)).build();
        } else {
          request = HttpRequest.newBuilder(URI.create(base + "/api/plans")).build();
        }
        CompletableFuture<HttpResponse<Void>> call =
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        inFlight.add(call);
        call.whenComplete(
            (r, e) -> {
              truth.inc(e == null ? "http.responses" : "http.errors");
              if (r != null) {
                truth.inc("http.status." + r.statusCode());
              }
              inFlight.remove(call);
            });
        simulation.pass(1000 / requestsPerSecond);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> result = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        result.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return result;
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    try (exchange) {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    customers.interrupt();
    server.stop(0);
    Daemon.stop(workers);
    monitoring.close();
  }
}
