package dev.vigil.readme;

import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Stands in for the reader's own channel, the README's PagerChannel, in the contract's snippet. */
public class PagerChannel implements AlertChannel {
  public PagerChannel(URI target) {}

  @Override
  public String name() {
    return "pager";
  }

  @Override
  public CompletionStage<Delivery> deliver(Notification notification) {
    return CompletableFuture.completedFuture(Delivery.sent());
  }
}
