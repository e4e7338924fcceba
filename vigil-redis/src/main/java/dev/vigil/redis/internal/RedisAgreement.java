package dev.vigil.redis.internal;

import dev.vigil.KpiCounter;
import dev.vigil.MetricCatalog;
import dev.vigil.spi.AlertAgreement;
import dev.vigil.spi.ExtensionContext;
import dev.vigil.spi.Notification;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * One notification per incident across replicas: {@code SET key replica NX PX hold}, and a {@code
 * GET} in the same round trip to tell "another replica holds it" from "this one already does" (a
 * replica's cool-down summary follows its own first notification). Fails open: with Redis down or
 * slow the notification is sent, counted in {@code
 * vigil_redis_local_fallbacks_total{figure="alert_agreement"}}, and a warning says so.
 *
 * <p><b>The tally.</b> A replica told "duplicate" adds the occurrences it did not send to the
 * alert's tally ({@code INCRBY}, and the earliest one's time with {@code SET NX}); the replica that
 * sends takes the tally ({@code GETSET} to 0) and counts it in its message, so a cool-down summary
 * says how often the alert happened on every replica. The tally lives two cool-downs: what is
 * reported after the last message of an incident expires with it.
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
    return claimAndTally(channel, notification, hold).claim();
  }

  @Override
  @SuppressWarnings("deprecation") // GETSET: SET ... GET and GETDEL need Redis 6.2
  public Claimed claimAndTally(String channel, Notification notification, Duration hold) {
    if (link.knownDown()) {
      return unavailable("Redis is down");
    }
    String key = keys.alert(channel, notification.key());
    String tally = key + ":n";
    String since = key + ":t";
    long millis = Math.max(1, hold.toMillis());
    long tallyMillis = 2 * millis;
    try {
      boolean claimed;
      boolean held;
      try (AbstractPipeline p = link.pipeline()) {
        Response<String> set = p.set(key, replica, SetParams.setParams().nx().px(millis));
        Response<String> holder = p.get(key);
        p.sync();
        claimed = "OK".equals(set.get());
        held = replica.equals(holder.get());
      }
      Claimed result;
      try (AbstractPipeline p = link.pipeline()) {
        if (claimed || held) {
          if (!claimed) {
            p.pexpire(key, millis); // this replica's summary: hold it a cool-down more
          }
          Response<String> count = p.getSet(tally, "0");
          p.pexpire(tally, tallyMillis);
          Response<String> first = p.get(since);
          p.del(since);
          p.sync();
          long others = parse(count.get());
          Instant earliest = others > 0 ? instant(first.get()) : null;
          result = new Claimed(Claim.OWNER, others, earliest);
        } else {
          Response<Long> added = p.incrBy(tally, notification.occurrences());
          p.pexpire(tally, tallyMillis);
          p.set(
              since,
              Long.toString(notification.firstSeen().toEpochMilli()),
              SetParams.setParams().nx().px(tallyMillis));
          p.sync();
          added.get();
          result = new Claimed(Claim.DUPLICATE, 0, null);
        }
      }
      link.succeeded();
      return result;
    } catch (RuntimeException e) {
      link.failed(RedisLink.CLAIM, e);
      return unavailable(RedisLink.reason(e));
    }
  }

  private static long parse(@Nullable String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value));
    } catch (NumberFormatException e) {
      return 0; // not Vigil's value: count nothing rather than fail the claim
    }
  }

  private static @Nullable Instant instant(@Nullable String millis) {
    if (millis == null) {
      return null;
    }
    try {
      return Instant.ofEpochMilli(Long.parseLong(millis));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private Claimed unavailable(String why) {
    fallbacks.inc("alert_agreement");
    context.warn(
        "redis|agreement",
        "Vigil sent an alert without agreeing with the other replicas ("
            + why
            + "): other replicas may send it too. See vigil_redis_up.");
    return new Claimed(Claim.UNAVAILABLE, 0, null);
  }
}
