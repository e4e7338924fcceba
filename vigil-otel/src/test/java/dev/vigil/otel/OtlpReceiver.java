package dev.vigil.otel;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP receiver on 127.0.0.1 — OTLP/HTTP on the JDK's HTTP server, or OTLP/gRPC on grpc-java
 * — that decodes every request with the official {@code opentelemetry-proto} classes and answers as
 * scripted: success, an HTTP status with {@code Retry-After}, a gRPC status with {@code RetryInfo},
 * a partial success, or no answer until released.
 */
final class OtlpReceiver implements AutoCloseable {
  /** One scripted answer; after the script runs out every request succeeds. */
  record Answer(
      int httpStatus,
      Status.Code grpcStatus,
      String retryAfter,
      long rejected,
      String message,
      boolean hangs) {
    static Answer ok() {
      return new Answer(200, Status.Code.OK, "", 0, "", false);
    }

    static Answer http(int status, String retryAfter) {
      return new Answer(status, Status.Code.OK, retryAfter, 0, "", false);
    }

    static Answer grpc(Status.Code code, long retryDelaySeconds) {
      return new Answer(200, code, Long.toString(retryDelaySeconds), 0, "", false);
    }

    static Answer partial(long rejected, String message) {
      return new Answer(200, Status.Code.OK, "", rejected, message, false);
    }

    static Answer hanging() {
      return new Answer(200, Status.Code.OK, "", 0, "", true);
    }
  }

  /** A request as received. */
  record Received(ExportMetricsServiceRequest request, Map<String, String> headers, long nanos) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Deque<Answer> script = new ConcurrentLinkedDeque<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final HttpServer http;
  private final Server grpc;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  private OtlpReceiver(boolean useGrpc) throws IOException {
    if (useGrpc) {
      http = null;
      ServerInterceptor headers =
          new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                ServerCall<Q, R> call, Metadata metadata, ServerCallHandler<Q, R> next) {
              Map<String, String> copy = new TreeMap<>();
              for (String key : metadata.keys()) {
                if (!key.endsWith("-bin")) {
                  copy.put(
                      key, metadata.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)));
                }
              }
              lastGrpcHeaders = copy;
              return next.startCall(call, metadata);
            }
          };
      grpc =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .executor(executor)
              .addService(ServerInterceptors.intercept(new Service(), headers))
              .build()
              .start();
    } else {
      grpc = null;
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      http.setExecutor(executor);
      http.createContext("/", this::handle);
      http.start();
    }
  }

  private volatile Map<String, String> lastGrpcHeaders = Map.of();

  static OtlpReceiver http() throws IOException {
    return new OtlpReceiver(false);
  }

  static OtlpReceiver grpc() throws IOException {
    return new OtlpReceiver(true);
  }

  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  String endpoint() {
    int port = http != null ? http.getAddress().getPort() : grpc.getPort();
    return "http://127.0.0.1:" + port;
  }

  void script(Answer... answers) {
    script.addAll(List.of(answers));
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** The requests, decoded. */
  List<ExportMetricsServiceRequest> requests() {
    List<ExportMetricsServiceRequest> requests = new ArrayList<>();
    for (Received r : received) {
      requests.add(r.request());
    }
    return requests;
  }

  /** Lets the requests that were told to hang be answered. */
  void release() {
    release.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/v1/metrics")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      InputStream body = exchange.getRequestBody();
      if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body);
      Map<String, String> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
      received.add(new Received(request, headers, System.nanoTime()));
      Answer answer = next();
      if (answer.hangs()) {
        await();
      }
      if (answer.httpStatus() != 200) {
        if (!answer.retryAfter().isEmpty()) {
          exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        exchange.sendResponseHeaders(answer.httpStatus(), -1);
        return;
      }
      byte[] response = response(answer).toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }

  private final class Service extends MetricsServiceGrpc.MetricsServiceImplBase {
    @Override
    public void export(
        ExportMetricsServiceRequest request,
        StreamObserver<ExportMetricsServiceResponse> observer) {
      received.add(new Received(request, lastGrpcHeaders, System.nanoTime()));
      Answer answer = next();
      if (answer.hangs()) {
        await();
      }
      if (answer.grpcStatus() != Status.Code.OK) {
        com.google.rpc.Status status =
            com.google.rpc.Status.newBuilder()
                .setCode(answer.grpcStatus().value())
                .setMessage("scripted " + answer.grpcStatus())
                .addDetails(
                    Any.pack(
                        RetryInfo.newBuilder()
                            .setRetryDelay(
                                com.google.protobuf.Duration.newBuilder()
                                    .setSeconds(Long.parseLong(answer.retryAfter())))
                            .build()))
                .build();
        observer.onError(StatusProto.toStatusRuntimeException(status));
        return;
      }
      observer.onNext(response(answer));
      observer.onCompleted();
    }
  }

  private Answer next() {
    Answer answer = script.poll();
    return answer == null ? Answer.ok() : answer;
  }

  private void await() {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ExportMetricsServiceResponse response(Answer answer) {
    ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
    if (answer.rejected() > 0) {
      b.setPartialSuccess(
          ExportMetricsPartialSuccess.newBuilder()
              .setRejectedDataPoints(answer.rejected())
              .setErrorMessage(answer.message()));
    }
    return b.build();
  }

  @Override
  public void close() {
    release.countDown();
    if (http != null) {
      http.stop(0);
    }
    if (grpc != null) {
      grpc.shutdownNow();
      try {
        grpc.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    executor.shutdownNow();
  }

  /** Every metric of a request by name (one resource and scope per Vigil export). */
  static Map<String, Metric> metrics(ExportMetricsServiceRequest request) {
    Map<String, Metric> metrics = new LinkedHashMap<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          if (metrics.put(m.getName(), m) != null) {
            throw new AssertionError("metric " + m.getName() + " sent twice in one request");
          }
        }
      }
    }
    return metrics;
  }

  /** Attributes as a sorted map of strings. */
  static Map<String, String> attributes(List<KeyValue> attributes) {
    Map<String, String> map = new TreeMap<>();
    for (KeyValue kv : attributes) {
      AnyValue v = kv.getValue();
      map.put(kv.getKey(), v.hasStringValue() ? v.getStringValue() : v.toString().strip());
    }
    return map;
  }
}
