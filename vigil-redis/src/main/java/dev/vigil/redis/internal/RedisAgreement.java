package dev.vigil.redis.internal;

import dev.vigil.KpiCounter;
import dev.vigil.MetricCatalog;
import dev.vigil.spi.AlertAgreement;
import dev.vigil.spi.ExtensionContext;
import dev.vigil.spi.Notification;
import java.time.Duration;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * One notification per incident across replicas: {@code SET key replica NX PX hold}, and a {@code
 * GET} in the same round trip to tell "another replica holds it" from "this one already does" (a
 * replica's cool-down summary follows its own first notification). Fails open: with Redis down or
 * slow the notification is sent, counted in {@code
 * vigil_redis_local_fallbacks_total{figure="alert_agreement"}}, and a warning says so.
 */
final class RedisAgreement implements AlertAgreement {
  private final RedisLink link;
  private final Keys keys;
  private final String replica;
  private final ExtensionContext context;
  private final KpiCounter fallbacks;

  RedisAgreement(RedisLink link, Keys keys, String replica, ExtensionContext context) {
    this.link = link;
    this.keys = keys;
    this.replica = replica;
    this.context = context;
    this.fallbacks = context.counter(MetricCatalog.REDIS_LOCAL_FALLBACKS);
  }

  @Override
  public Claim claim(String channel, Notification notification, Duration hold) {
    if (link.knownDown()) {
      return unavailable("Redis is down");
    }
    String key = keys.alert(channel, notification.key());
    long millis = Math.max(1, hold.toMillis());
    try {
      boolean claimed;
      boolean held;
      try (AbstractPipeline p = link.client().pipelined()) {
        Response<String> set = p.set(key, replica, SetParams.setParams().nx().px(millis));
        Response<String> holder = p.get(key);
        p.sync();
        claimed = "OK".equals(set.get());
        held = replica.equals(holder.get());
      }
      if (!claimed && held) {
        link.client().pexpire(key, millis); // this replica's summary: hold it a cool-down more
      }
      link.succeeded();
      return claimed || held ? Claim.OWNER : Claim.DUPLICATE;
    } catch (RuntimeException e) {
      link.failed(RedisLink.CLAIM, e);
      return unavailable(RedisLink.reason(e));
    }
  }

  private Claim unavailable(String why) {
    fallbacks.inc("alert_agreement");
    context.warn(
        "redis|agreement",
        "Vigil sent an alert without agreeing with the other replicas ("
            + why
            + "): other replicas may send it too. See vigil_redis_up.");
    return Claim.UNAVAILABLE;
  }
}
