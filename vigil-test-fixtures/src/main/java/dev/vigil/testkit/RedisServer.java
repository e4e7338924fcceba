package dev.vigil.testkit;

import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis for a test: the Debian {@code redis-server} on a free port of 127.0.0.1, persistence
 * off ({@code --save '' --appendonly no}), {@code DEBUG} allowed from loopback, stopped when
 * closed. It can be killed and started again on the same port, empty, to test what a client does
 * when Redis crashes and comes back; {@link #command} speaks RESP itself (over TLS for {@link
 * #startTls}), so the test kit needs no Redis client library. {@link RedisCluster} runs several as
 * one Redis Cluster.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start(workDir)) {
 *   Monitoring m = Monitoring.builder("bot").readEnvironment(Map.of("VIGIL_REDIS_URL", redis.url())).build();
 *   redis.kill();      // crash
 *   redis.restart();   // back, empty
 *   assertThat(redis.command("PFCOUNT", "{vigil}:u:*:m:1")).isEqualTo(0L);
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
  private final Path workDir;
  private final int port;
  private final @Nullable String password;
  private final List<String> options;
  private final @Nullable TlsFiles tls;
  private final @Nullable SSLContext tlsClient;
  private @Nullable ExternalProcess process;
  private int starts;

  private RedisServer(
      Path workDir,
      int port,
      @Nullable String password,
      List<String> options,
      @Nullable TlsFiles tls) {
    this.workDir = workDir;
    this.port = port;
    this.password = password;
    this.options = List.copyOf(options);
    this.tls = tls;
    this.tlsClient = tls == null ? null : tls.clientContext();
  }

  /** Starts an empty Redis without a password and waits until it answers PING. */
  public static RedisServer start(Path workDir) {
    return start(workDir, null);
  }

  /** Starts an empty Redis that requires {@code password} ({@code requirepass}). */
  public static RedisServer start(Path workDir, @Nullable String password) {
    RedisServer server = new RedisServer(workDir, FreePort.find(), password, List.of(), null);
    server.launch();
    return server;
  }

  /** Starts an empty Redis on {@code port}: for a Redis that comes up after its clients. */
  public static RedisServer startOn(Path workDir, int port) {
    RedisServer server = new RedisServer(workDir, port, null, List.of(), null);
    server.launch();
    return server;
  }

  /**
   * Starts an empty Redis that speaks TLS only ({@code --port 0 --tls-port}), with {@code tls}'s
   * server certificate, and asks clients for a certificate signed by its CA ({@code
   * tls-auth-clients yes}, Redis' default).
   */
  public static RedisServer startTls(Path workDir, TlsFiles tls) {
    RedisServer server =
        new RedisServer(
            workDir,
            FreePort.find(),
            null,
            List.of(
                "--tls-cert-file", tls.serverCert().toString(),
                "--tls-key-file", tls.serverKey().toString(),
                "--tls-ca-cert-file", tls.caCert().toString(),
                "--tls-auth-clients", "yes"),
            tls);
    server.launch();
    return server;
  }

  /** A node of a {@link RedisCluster}: cluster mode, its node table in {@code workDir}. */
  static RedisServer startClusterNode(Path workDir) {
    RedisServer server =
        new RedisServer(
            workDir,
            FreePort.find(),
            null,
            List.of(
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                workDir.resolve("nodes.conf").toAbsolutePath().toString(),
                "--cluster-port",
                Integer.toString(FreePort.find()),
                "--cluster-node-timeout",
                "2000"),
            null);
    server.launch();
    return server;
  }

  /** A port nothing listens on, for "Redis is down" before it ever ran. */
  public static int unusedPort() {
    return FreePort.find();
  }

  private synchronized void launch() {
    Path binary = Executables.require("redis-server", "redis-server");
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(
        tls == null
            ? List.of("--port", Integer.toString(port))
            : List.of("--port", "0", "--tls-port", Integer.toString(port)));
    command.addAll(
        List.of(
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", workDir.toAbsolutePath().toString(),
            "--enable-debug-command", "local",
            "--daemonize", "no"));
    if (password != null) {
      command.addAll(List.of("--requirepass", password));
    }
    command.addAll(options);
    starts++;
    ExternalProcess p = ExternalProcess.start(command, workDir.resolve("redis-" + starts + ".log"));
    process = p;
    try {
      await("redis-server ready on port " + port)
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                p.assertAlive();
                try {
                  return "PONG".equals(command("PING"));
                } catch (RuntimeException e) {
                  return false;
                }
              });
    } catch (RuntimeException | AssertionError e) {
      String log = p.logText();
      p.close();
      throw new AssertionError("redis-server did not start: " + e + "\nIts log:\n" + log, e);
    }
  }

  public int port() {
    return port;
  }

  /**
   * {@code redis://127.0.0.1:<port>/0}, with the password when there is one; {@code rediss://} for
   * a TLS server.
   */
  public String url() {
    return (tls == null ? "redis://" : "rediss://")
        + (password == null ? "" : ":" + password + "@")
        + "127.0.0.1:"
        + port
        + "/0";
  }

  /** Kills the server (SIGKILL): a crash. Its data is gone (persistence is off). */
  public synchronized void kill() {
    if (process != null) {
      process.kill();
      process = null;
    }
  }

  /** Starts the server again on the same port, empty. */
  public synchronized void restart() {
    kill();
    launch();
  }

  /**
   * Makes the server answer nothing for {@code duration} ({@code DEBUG SLEEP}), sent from a thread
   * of its own so the test goes on while Redis sleeps; returns once Redis has taken the command.
   */
  public void sleep(Duration duration) {
    Thread t =
        new Thread(
            () -> {
              try {
                command("DEBUG", "SLEEP", Double.toString(duration.toMillis() / 1000.0));
              } catch (RuntimeException e) {
                // killed while asleep, or the socket timed out: the test checks what it needs
              }
            },
            "redis-debug-sleep");
    t.setDaemon(true);
    t.start();
    await("redis-server asleep")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> !answers(Duration.ofMillis(50)));
  }

  /** Whether the server answers PING within {@code timeout}. */
  public boolean answers(Duration timeout) {
    try {
      return "PONG".equals(send(timeout, "PING"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Sends one command and returns its answer: a String for a status or bulk reply, a Long for an
   * integer, a List for an array, null for a null reply.
   *
   * @throws IllegalStateException with Redis' message on an error reply
   */
  public @Nullable Object command(String... args) {
    return send(Duration.ofSeconds(30), args);
  }

  private @Nullable Object send(Duration timeout, String... args) {
    try (Socket socket =
        tlsClient == null ? new Socket() : tlsClient.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      if (password != null) {
        write(out, "AUTH", password);
        read(in);
      }
      write(out, args);
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("redis-server on port " + port + ": " + e.getMessage(), e);
    }
  }

  private static void write(OutputStream out, String... args) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String a : args) {
      byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
      b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      b.writeBytes(bytes);
      b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.write(b.toByteArray());
    out.flush();
  }

  private static @Nullable Object read(InputStream in) throws IOException {
    String line = line(in);
    char type = line.charAt(0);
    String rest = line.substring(1);
    switch (type) {
      case '+':
        return rest;
      case '-':
        throw new IllegalStateException(rest);
      case ':':
        return Long.parseLong(rest);
      case '$':
        int n = Integer.parseInt(rest);
        if (n < 0) {
          return null;
        }
        byte[] data = in.readNBytes(n + 2);
        return new String(data, 0, n, StandardCharsets.UTF_8);
      case '*':
        int count = Integer.parseInt(rest);
        if (count < 0) {
          return null;
        }
        List<@Nullable Object> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        return items;
      default:
        throw new IllegalStateException("unexpected reply from Redis: " + line);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\r') {
        in.read(); // \n
        return b.toString(StandardCharsets.UTF_8);
      }
      b.write(c);
    }
    throw new IOException("connection closed by Redis");
  }

  /** What the server logged so far, for failure messages. */
  public synchronized String log() {
    return process == null ? "(not running)" : process.logText();
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.close();
      process = null;
    }
  }
}
