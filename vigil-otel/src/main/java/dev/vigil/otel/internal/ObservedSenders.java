package dev.vigil.otel.internal;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Hands the OTLP exporter its sender through the SDK's public {@link ComponentLoader}, wrapped so
 * that each response and failure is recorded on the {@link Attempt} of the export that sent it. For
 * HTTP it picks the JDK sender even when OkHttp's is on the class path too (for gRPC), so the SDK
 * never has to choose between two.
 */
final class ObservedSenders implements ComponentLoader {
  private static final String JDK_SENDER =
      "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider";

  private final ComponentLoader classPath =
      ComponentLoader.forClassLoader(ObservedSenders.class.getClassLoader());

  // Set by the exporter around delegate.export(..): the SDK's exporter calls send(..) on that same
  // thread, before export(..) returns, and only one export runs at a time (the reader's worker).
  private volatile @Nullable Attempt current;

  void current(@Nullable Attempt attempt) {
    current = attempt;
  }

  /** Whether a gRPC sender (OkHttp's) is on the class path. */
  boolean hasGrpcSender() {
    return classPath.load(GrpcSenderProvider.class).iterator().hasNext();
  }

  @Override
  public <T> Iterable<T> load(Class<T> spiClass) {
    if (spiClass == HttpSenderProvider.class) {
      HttpSenderProvider real = httpProvider();
      if (real == null) {
        return List.of();
      }
      HttpSenderProvider observed = config -> new Http(real.createSender(config));
      return List.of(spiClass.cast(observed));
    }
    if (spiClass == GrpcSenderProvider.class) {
      List<GrpcSenderProvider> found =
          ComponentLoader.loadList(classPath, GrpcSenderProvider.class);
      if (found.isEmpty()) {
        return List.of();
      }
      GrpcSenderProvider real = found.get(0);
      GrpcSenderProvider observed = config -> new Grpc(real.createSender(config));
      return List.of(spiClass.cast(observed));
    }
    return classPath.load(spiClass);
  }

  private @Nullable HttpSenderProvider httpProvider() {
    HttpSenderProvider first = null;
    for (HttpSenderProvider provider : classPath.load(HttpSenderProvider.class)) {
      if (provider.getClass().getName().equals(JDK_SENDER)) {
        return provider;
      }
      if (first == null) {
        first = provider;
      }
    }
    return first;
  }

  private final class Http implements HttpSender {
    private final HttpSender delegate;

    Http(HttpSender delegate) {
      this.delegate = delegate;
    }

    @Override
    public void send(
        MessageWriter messageWriter,
        Consumer<HttpResponse> onResponse,
        Consumer<Throwable> onError) {
      Attempt attempt = current;
      delegate.send(
          messageWriter,
          response -> {
            if (attempt != null) {
              attempt.http(response);
            }
            onResponse.accept(response);
          },
          failure -> {
            if (attempt != null) {
              attempt.error(failure);
            }
            onError.accept(failure);
          });
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }

  private final class Grpc implements GrpcSender {
    private final GrpcSender delegate;

    Grpc(GrpcSender delegate) {
      this.delegate = delegate;
    }

    @Override
    public void send(
        MessageWriter messageWriter,
        Consumer<GrpcResponse> onResponse,
        Consumer<Throwable> onError) {
      Attempt attempt = current;
      delegate.send(
          messageWriter,
          response -> {
            if (attempt != null) {
              attempt.grpc(response);
            }
            onResponse.accept(response);
          },
          failure -> {
            if (attempt != null) {
              attempt.error(failure);
            }
            onError.accept(failure);
          });
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }
}
