package dev.vigil.otel.internal;

import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * One export as the sender saw it: the outcome of its last attempt, classified into the bounded
 * {@code reason} values of {@code vigil_otlp_failed_points_total}, and any partial success. The SDK
 * reports only success or failure to the exporter; the response itself reaches the sender.
 */
final class Attempt {
  /** Failures after which the collector certainly did not take the points. */
  private static final Set<String> NOT_DELIVERED =
      Set.of(
          "unreachable",
          "throttled",
          "unavailable",
          "unauthorized",
          "rejected",
          "server_error",
          "tls");

  final long points;
  final long generation;
  final long startNanos;
  private volatile @Nullable String reason;
  private volatile String detail = "";
  private volatile @Nullable PartialSuccess partial;

  Attempt(long points, long generation, long startNanos) {
    this.points = points;
    this.generation = generation;
    this.startNanos = startNanos;
  }

  @Nullable String reason() {
    return reason;
  }

  String detail() {
    return detail;
  }

  @Nullable PartialSuccess partial() {
    return partial;
  }

  /** Whether the points of a failed export may still have arrived (so must not be sent again). */
  boolean mayHaveArrived(String failure) {
    return !NOT_DELIVERED.contains(failure);
  }

  void fail(String why, String what) {
    reason = why;
    detail = what;
  }

  void http(HttpResponse response) {
    int status = response.getStatusCode();
    if (status >= 200 && status < 300) {
      partial = PartialSuccess.parse(response.getResponseBody());
      return;
    }
    fail(httpReason(status), "HTTP " + status);
  }

  void grpc(GrpcResponse response) {
    GrpcStatusCode code = response.getStatusCode();
    if (code == GrpcStatusCode.OK) {
      partial = PartialSuccess.parse(response.getResponseMessage());
      return;
    }
    fail(grpcReason(code), "gRPC " + code);
  }

  void error(Throwable failure) {
    String message = failure.getMessage();
    fail(
        errorReason(failure),
        failure.getClass().getSimpleName() + (message == null ? "" : ": " + message));
  }

  static String httpReason(int status) {
    if (status == 429) {
      return "throttled";
    }
    if (status == 401 || status == 403) {
      return "unauthorized";
    }
    if (status == 502 || status == 503 || status == 504) {
      return "unavailable";
    }
    if (status >= 400 && status < 500) {
      return "rejected";
    }
    return status >= 500 ? "server_error" : "other";
  }

  static String grpcReason(GrpcStatusCode code) {
    switch (code) {
      case RESOURCE_EXHAUSTED:
        return "throttled";
      case UNAVAILABLE:
        return "unavailable";
      case DEADLINE_EXCEEDED:
        return "timeout";
      case UNAUTHENTICATED:
      case PERMISSION_DENIED:
        return "unauthorized";
      case INVALID_ARGUMENT:
      case FAILED_PRECONDITION:
      case OUT_OF_RANGE:
      case UNIMPLEMENTED:
      case NOT_FOUND:
        return "rejected";
      default:
        return "server_error";
    }
  }

  static String errorReason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HttpTimeoutException
          || t instanceof SocketTimeoutException
          || t instanceof InterruptedIOException) {
        return "timeout";
      }
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException) {
        return "unreachable";
      }
      if (t instanceof SSLException) {
        return "tls";
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return failure instanceof IOException ? "io_error" : "other";
  }
}
