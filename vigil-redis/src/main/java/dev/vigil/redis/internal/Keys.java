package dev.vigil.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Redis keys of one namespace. Every key starts with the namespace in braces, {@code {vigil}},
 * Redis Cluster's hash tag: all keys of a namespace live in one slot, so the multi-key commands
 * (PFCOUNT and PFMERGE over many buckets, ZUNIONSTORE) work on a cluster too.
 *
 * <pre>
 * {vigil}:u:s:&lt;service&gt;:m:&lt;epoch minute&gt;   HyperLogLog, the service's users in one minute
 * {vigil}:u:*:h:&lt;epoch hour&gt;              HyperLogLog, every service's users in one hour
 * {vigil}:z:&lt;service&gt;:cost:d:&lt;epoch day&gt;   sorted set, cost per user in one day
 * {vigil}:c:&lt;service&gt;:&lt;name&gt;:&lt;bucket ms&gt;:&lt;n&gt; counter, events in one bucket
 * {vigil}:a:&lt;service&gt;:&lt;channel&gt;:&lt;alert key&gt; string, the replica that sends an alert
 * {vigil}:a:...:&lt;alert key&gt;:n, :t          the others' repeats of it, and since when
 * </pre>
 */
final class Keys {
  private final String tag;
  private final String service;

  Keys(String namespace, String service) {
    this.tag = "{" + namespace + "}";
    this.service = service;
  }

  String users(boolean system, Level level, long index) {
    return tag + (system ? ":u:*:" : ":u:s:" + service + ":") + level.code + ":" + index;
  }

  String spenders(boolean cost, Level level, long index) {
    return tag + ":z:" + service + (cost ? ":cost:" : ":tok:") + level.code + ":" + index;
  }

  String counter(String name, long bucketMillis, long index) {
    return tag + ":c:" + service + ":" + name + ":" + bucketMillis + ":" + index;
  }

  String alert(String channel, String alertKey) {
    String key = alertKey.length() <= 200 ? alertKey : sha256(alertKey);
    return tag + ":a:" + service + ":" + channel + ":" + key;
  }

  String scratch(String replica, int n) {
    return tag + ":tmp:" + replica + ":" + n;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  /** The time buckets of keys. */
  enum Level {
    MINUTE("m", 60_000L),
    HOUR("h", 3_600_000L),
    DAY("d", 86_400_000L);

    final String code;
    final long millis;

    Level(String code, long millis) {
      this.code = code;
      this.millis = millis;
    }

    /**
     * The bucket a window is read in: the coarsest with at least twelve buckets in the window (so a
     * user counts for at most a twelfth longer than the window, as in the local sketches), or
     * minutes for windows under twelve minutes.
     */
    static Level of(long windowMillis) {
      if (windowMillis >= 12 * DAY.millis) {
        return DAY;
      }
      if (windowMillis >= 12 * HOUR.millis) {
        return HOUR;
      }
      return MINUTE;
    }
  }
}
