package dev.vigil.benchmarks;

import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.redis.RedisStore;
import dev.vigil.testkit.RedisServer;
import dev.vigil.testkit.SilentServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What sharing distinct users through Redis adds to {@code trackKpi(Kpi.activeUser(id))}: the same
 * call on a Monitoring with {@code vigil-redis} connected to a real local redis-server (its flusher
 * running, on the other core), on one without it, and on one whose flusher waits for the whole run
 * on a Redis that never answers ({@code activeUserFlusherStalled}: the store configured, its buffer
 * full, no flusher or Redis competing for the cores, so what differs from the local call is the
 * caller's own hand-off). Target: at most 1.1 times the local call, and 0 B/op on a repeated id.
 * User ids cycle through 2^20, as in {@link AnalyticsBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RedisActiveUserBenchmark {
  Path dir;
  RedisServer redis;
  SilentServer silent;
  Monitoring local;
  Monitoring shared;
  Monitoring stalled;

  @Setup
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("vigil-redis-bench");
    redis = RedisServer.start(dir);
    silent = SilentServer.start();
    local = monitoring().build();
    shared = monitoring().extension(RedisStore.builder().url(redis.url()).build()).build();
    // Its flusher waits in its first round trip for the whole run: what is left is the caller's.
    stalled =
        monitoring()
            .extension(
                RedisStore.builder()
                    .url("redis://127.0.0.1:" + silent.port() + "/0")
                    .timeout(Duration.ofSeconds(30))
                    .build())
            .build();
  }

  private static Monitoring.Builder monitoring() {
    return Monitoring.builder("bench")
        .metricsEnabled(false)
        .jvmMetrics(false)
        .discoverExtensions(false)
        .topSpendersLogInterval(Duration.ZERO);
  }

  @TearDown
  public void tearDown() {
    silent.close();
    local.close();
    shared.close();
    stalled.close();
    redis.close();
  }

  /** Per-thread position in the user ids. */
  @State(Scope.Thread)
  public static class Cursor {
    int i;

    @Setup(Level.Trial)
    public void start() {
      i = (int) (Thread.currentThread().getId() * 7919) & (AnalyticsBenchmark.USERS - 1);
    }

    String next() {
      int n = i;
      i = (n + 1) & (AnalyticsBenchmark.USERS - 1);
      return AnalyticsBenchmark.USER_IDS[n];
    }
  }

  @Benchmark
  public void activeUserLocal(Cursor cursor) {
    local.trackKpi(Kpi.activeUser(cursor.next()));
  }

  @Benchmark
  public void activeUserShared(Cursor cursor) {
    shared.trackKpi(Kpi.activeUser(cursor.next()));
  }

  /** The store configured, its flusher stalled on a Redis that never answers: the buffer full. */
  @Benchmark
  public void activeUserFlusherStalled(Cursor cursor) {
    stalled.trackKpi(Kpi.activeUser(cursor.next()));
  }

  @Benchmark
  public void repeatedUserLocal() {
    local.trackKpi(Kpi.activeUser("user-42"));
  }

  @Benchmark
  public void repeatedUserShared() {
    shared.trackKpi(Kpi.activeUser("user-42"));
  }
}
