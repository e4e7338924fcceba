package dev.vigil.alert.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body as text, keeping at most {@code limit} bytes and discarding the rest: only
 * the start of a receiver's answer matters (Telegram's {@code retry_after}, an error description),
 * and a misbehaving receiver must not make Vigil buffer megabytes.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<String> {
  private final int limit;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final CompletableFuture<String> result = new CompletableFuture<>();

  private LimitedBody(int limit) {
    this.limit = limit;
  }

  static HttpResponse.BodyHandler<String> handler(int limit) {
    return info -> new LimitedBody(limit);
  }

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    for (ByteBuffer buffer : items) {
      int room = limit - kept.size();
      int n = Math.min(room, buffer.remaining());
      if (n > 0) {
        byte[] bytes = new byte[n];
        buffer.get(bytes);
        kept.write(bytes, 0, n);
      }
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(new String(kept.toByteArray(), StandardCharsets.UTF_8));
  }
}
