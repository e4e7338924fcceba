package dev.vigil.redis.internal;

import dev.vigil.spi.ExtensionContext;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Wires the store into one Monitoring: the link, the flusher, the agreement, the close hook. */
public final class RedisExtension {
  private RedisExtension() {}

  public static void install(RedisConfig config, ExtensionContext context) {
    String replica = replicaId();
    RedisLink link = new RedisLink(config, context);
    RedisShare share = new RedisShare(config, context, link, replica);
    if (!context.activeUserWindows().isEmpty()) {
      share.collector(context.shareUserActivity(share));
    }
    if (context.alertsEnabled()) {
      context.agreeOnAlerts(
          new RedisAgreement(
              link, new Keys(config.namespace(), context.service()), replica, context));
      context.shareAlertThresholds(share);
    }
    context.onClose(
        () -> {
          share.stop(config.timeout().multipliedBy(2).plus(Duration.ofSeconds(1)));
          link.close();
        });
    share.start();
    context
        .logger("dev.vigil.redis")
        .info(
            "Vigil: sharing distinct users, top spenders and alerts of service '"
                + context.service()
                + "' through Redis at "
                + config.where()
                + ", namespace '"
                + config.namespace()
                + "'");
  }

  /** Who this replica is in Redis: host, process and a random part (two JVMs on one host). */
  static String replicaId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      host = "host";
    }
    return host
        + ":"
        + ProcessHandle.current().pid()
        + ":"
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }
}
