package dev.vigil.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Cluster for a test: three primaries (no replicas), each a Debian {@code
 * redis-server} in cluster mode on free ports of 127.0.0.1 with persistence off and its node table
 * in a directory of its own, joined by {@code redis-cli --cluster create}, the slots shared out
 * evenly. A primary can be killed and started again (empty, with its slots), and a slot moved to
 * another primary with its keys, to test what a client does when the cluster fails or reshards.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start(dir)) {
 *   Monitoring m = ...VIGIL_REDIS_URL=cluster.url()...;   // redis+cluster://127.0.0.1:p1,...
 *   int owner = cluster.primaryOf("vigil");               // serves slot of hash tag {vigil}
 *   cluster.kill(owner);
 *   cluster.restart(owner);
 * }
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(60);

  private final Path workDir;
  private final List<RedisServer> nodes;

  private RedisCluster(Path workDir, List<RedisServer> nodes) {
    this.workDir = workDir;
    this.nodes = nodes;
  }

  /** Starts three primaries, makes them one cluster and waits until every node says it is ok. */
  public static RedisCluster start(Path workDir) {
    Path cli = Executables.require("redis-cli", "redis-tools");
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(RedisServer.startClusterNode(workDir.resolve("node-" + i)));
      }
      RedisCluster cluster = new RedisCluster(workDir, nodes);
      List<String> command = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
      for (RedisServer n : nodes) {
        command.add("127.0.0.1:" + n.port());
      }
      command.add("--cluster-yes");
      cluster.run(command);
      cluster.awaitHealthy();
      return cluster;
    } catch (RuntimeException | AssertionError e) {
      nodes.forEach(RedisServer::close);
      throw e;
    }
  }

  /** {@code redis+cluster://127.0.0.1:<port>,...}: every primary, as seed nodes. */
  public String url() {
    StringJoiner seeds = new StringJoiner(",", "redis+cluster://", "");
    for (RedisServer n : nodes) {
      seeds.add("127.0.0.1:" + n.port());
    }
    return seeds.toString();
  }

  public RedisServer node(int index) {
    return nodes.get(index);
  }

  public int size() {
    return nodes.size();
  }

  /** The primary that serves the slot of keys tagged {@code {hashTag}}, by index. */
  public int primaryOf(String hashTag) {
    long slot = slotOf(hashTag);
    RedisServer any = live();
    for (Object range : list(any.command("CLUSTER", "SLOTS"))) {
      List<?> r = (List<?>) range;
      if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
        long port = (Long) ((List<?>) r.get(2)).get(1);
        for (int i = 0; i < nodes.size(); i++) {
          if (nodes.get(i).port() == port) {
            return i;
          }
        }
      }
    }
    throw new AssertionError("no primary serves slot " + slot + ": " + info(any));
  }

  /** The slot of keys tagged {@code {hashTag}}. */
  public long slotOf(String hashTag) {
    return (Long) live().command("CLUSTER", "KEYSLOT", "{" + hashTag + "}");
  }

  /** Sends a command to the primary that serves keys tagged {@code {hashTag}}. */
  public @Nullable Object command(String hashTag, String... args) {
    return nodes.get(primaryOf(hashTag)).command(args);
  }

  /** Empties every primary. */
  public void flushAll() {
    for (RedisServer n : nodes) {
      n.command("FLUSHALL");
    }
  }

  /** Kills a primary (SIGKILL): its slots have no server until it is back. */
  public void kill(int index) {
    nodes.get(index).kill();
  }

  /**
   * Starts a killed primary again on its port, empty, with its node table (so with its slots), and
   * waits until the cluster is ok again.
   */
  public void restart(int index) {
    nodes.get(index).restart();
    awaitHealthy();
  }

  /**
   * Moves the slot of keys tagged {@code {hashTag}}, with its keys, to primary {@code to}, as
   * {@code redis-cli --cluster reshard} does: IMPORTING and MIGRATING, MIGRATE, then SETSLOT NODE
   * on every primary. A client then gets MOVED from the old primary.
   */
  public void moveSlot(String hashTag, int to) {
    int from = primaryOf(hashTag);
    if (from == to) {
      return;
    }
    String slot = Long.toString(slotOf(hashTag));
    RedisServer source = nodes.get(from);
    RedisServer target = nodes.get(to);
    String sourceId = (String) source.command("CLUSTER", "MYID");
    String targetId = (String) target.command("CLUSTER", "MYID");
    target.command("CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId);
    source.command("CLUSTER", "SETSLOT", slot, "MIGRATING", targetId);
    while (true) {
      List<Object> keys = list(source.command("CLUSTER", "GETKEYSINSLOT", slot, "1000"));
      if (keys.isEmpty()) {
        break;
      }
      List<String> migrate =
          new ArrayList<>(
              List.of(
                  "MIGRATE",
                  "127.0.0.1",
                  Integer.toString(target.port()),
                  "",
                  "0",
                  "10000",
                  "KEYS"));
      for (Object k : keys) {
        migrate.add((String) k);
      }
      source.command(migrate.toArray(new String[0]));
    }
    for (RedisServer n : nodes) {
      n.command("CLUSTER", "SETSLOT", slot, "NODE", targetId);
    }
    await("slot " + slot + " served by primary " + to)
        .atMost(READY)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                nodes.stream().allMatch(n -> ownerPort(n, Long.parseLong(slot)) == target.port()));
  }

  private static long ownerPort(RedisServer n, long slot) {
    for (Object range : list(n.command("CLUSTER", "SLOTS"))) {
      List<?> r = (List<?>) range;
      if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
        return (Long) ((List<?>) r.get(2)).get(1);
      }
    }
    return -1;
  }

  /** Waits until every node answers and says {@code cluster_state:ok}. */
  public void awaitHealthy() {
    try {
      await("every node of the Redis Cluster ok")
          .atMost(READY)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> nodes.stream().allMatch(n -> info(n).contains("cluster_state:ok")));
    } catch (RuntimeException | AssertionError e) {
      StringBuilder logs = new StringBuilder();
      for (RedisServer n : nodes) {
        logs.append("\n--- node on port ").append(n.port()).append(":\n").append(n.log());
      }
      throw new AssertionError("the Redis Cluster did not become ok: " + e + logs, e);
    }
  }

  private static String info(RedisServer n) {
    return String.valueOf(n.command("CLUSTER", "INFO"));
  }

  private RedisServer live() {
    for (RedisServer n : nodes) {
      if (n.answers(Duration.ofSeconds(2))) {
        return n;
      }
    }
    throw new AssertionError("no node of the Redis Cluster answers");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(@Nullable Object reply) {
    return reply == null ? List.of() : (List<Object>) reply;
  }

  private void run(List<String> command) {
    Path log = workDir.resolve("redis-cli.log");
    try {
      Files.createDirectories(workDir);
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            command + " failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    for (RedisServer n : nodes) {
      n.close();
    }
  }
}
