package dev.vigil.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Redis of {@code --redis}: Debian's {@code redis-server} on a free port of 127.0.0.1,
 * persistence off, in a temporary directory, stopped when closed.
 *
 * <pre>{@code
 * try (LocalRedis redis = LocalRedis.start(LocalRedis.binary().orElseThrow())) {
 *   environment.put("VIGIL_REDIS_URL", redis.url());
 * }
 * }</pre>
 */
public final class LocalRedis implements AutoCloseable {
  private final Process process;
  private final int port;

  private LocalRedis(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Where {@code redis-server} is installed, if it is. */
  public static Optional<Path> binary() {
    return List.of(Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server"))
        .stream()
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Starts it and waits, up to 10 s, until it accepts connections. */
  public static LocalRedis start(Path binary) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path dir = Files.createTempDirectory("vigil-examples-redis");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    LocalRedis redis = new LocalRedis(process, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!redis.accepts()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        redis.close();
        throw new IOException(
            "redis-server did not start on port " + port + "; see " + dir.resolve("redis.log"));
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20); // a process starting, not a test's timing
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        redis.close();
        throw new IOException("interrupted while redis-server started", e);
      }
    }
    return redis;
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code redis://127.0.0.1:<port>/0}. */
  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
