package dev.vigil.benchmarks;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.redis.RedisStore;
import dev.vigil.testkit.RedisServer;
import dev.vigil.testkit.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How many distinct user ids per second the Redis flusher writes into a local redis-server: one
 * thread tracks {@code --ids} distinct ids as fast as it can, for {@code --rounds} rounds of fresh
 * ids; the flusher takes them from its buffer, de-duplicates them and writes them with pipelined,
 * variadic PFADDs (this minute's HyperLogLog of the service and of the namespace). Reported per
 * round: ids written per second from the first call to the last id written, ids dropped (buffer
 * full), flushes, and PFCOUNT against the truth. Target: at least 500,000 ids per second.
 *
 * <pre>
 * java -cp vigil-benchmarks/target/benchmarks.jar dev.vigil.benchmarks.RedisFlushThroughput \
 *     --ids 2000000 --rounds 3
 * </pre>
 */
public final class RedisFlushThroughput {
  private RedisFlushThroughput() {}

  public static void main(String[] args) throws Exception {
    int ids = 2_000_000;
    int rounds = 3;
    int buffer = 1 << 20;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--ids":
          ids = Integer.parseInt(args[i + 1]);
          break;
        case "--rounds":
          rounds = Integer.parseInt(args[i + 1]);
          break;
        case "--buffer":
          buffer = Integer.parseInt(args[i + 1]);
          break;
        default:
          throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("vigil-redis-throughput");
    try (RedisServer redis = RedisServer.start(dir);
        Monitoring m =
            Monitoring.builder("bench")
                .metricsHost("127.0.0.1")
                .metricsPort(0)
                .jvmMetrics(false)
                .discoverExtensions(false)
                .topSpendersLogInterval(Duration.ZERO)
                .extension(RedisStore.builder().url(redis.url()).bufferSize(buffer).build())
                .build()
                .start()) {
      System.out.printf(
          Locale.ROOT,
          "round,ids,seconds,ids_written_per_second,dropped,flushes,written_total,pfcount%n");
      for (int r = 0; r < rounds; r++) {
        double flushedBefore = flushed(m);
        double droppedBefore = dropped(m);
        double flushesBefore = flushes(m);
        String prefix = "r" + r + "-user-";
        long start = System.nanoTime();
        for (int i = 0; i < ids; i++) {
          m.trackKpi(Kpi.activeUser(prefix + i));
        }
        while (flushed(m) - flushedBefore + dropped(m) - droppedBefore < ids) {
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double written = flushed(m) - flushedBefore;
        long minute = Math.floorDiv(System.currentTimeMillis(), 60_000);
        Object count =
            redis.command(
                "PFCOUNT", "{vigil}:u:s:bench:m:" + (minute - 1), "{vigil}:u:s:bench:m:" + minute);
        System.out.printf(
            Locale.ROOT,
            "%d,%d,%.2f,%.0f,%.0f,%.0f,%.0f,%s%n",
            r,
            ids,
            seconds,
            written / seconds,
            dropped(m) - droppedBefore,
            flushes(m) - flushesBefore,
            flushed(m),
            count);
      }
    }
  }

  private static double flushed(Monitoring m) {
    return Scrape.of(m.metricsAddress())
        .matching("vigil_redis_ids_flushed_total", "kind", "activity")
        .stream()
        .mapToDouble(Scrape.Sample::value)
        .sum();
  }

  private static double dropped(Monitoring m) {
    return Scrape.of(m.metricsAddress()).sum("vigil_redis_ids_dropped_total");
  }

  private static double flushes(Monitoring m) {
    return Scrape.of(m.metricsAddress()).sum("vigil_redis_flush_duration_seconds_count");
  }
}
