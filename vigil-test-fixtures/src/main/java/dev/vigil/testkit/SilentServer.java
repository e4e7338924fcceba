package dev.vigil.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP server on a free port of 127.0.0.1 that accepts every connection, reads whatever it is sent
 * and never answers: a dependency that hangs, for proving that a client gives up by its timeout and
 * that nobody else waits for it. Closing it closes every connection.
 *
 * <pre>{@code
 * try (SilentServer redis = SilentServer.start()) {
 *   // VIGIL_REDIS_URL=redis://127.0.0.1:<redis.port()>/0: every round trip waits for its timeout
 *   await().until(() -> redis.bytesReceived() > 0);
 * }
 * }</pre>
 */
public final class SilentServer implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong received = new AtomicLong();
  private volatile boolean closed;

  private SilentServer(ServerSocket server) {
    this.server = server;
  }

  public static SilentServer start() {
    try {
      SilentServer s = new SilentServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      Thread acceptor = new Thread(s::acceptAll, "silent-server-" + s.port());
      acceptor.setDaemon(true);
      acceptor.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void acceptAll() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        connections.add(socket);
        accepted.incrementAndGet();
        Thread reader = new Thread(() -> drain(socket), "silent-server-reader");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void drain(Socket socket) {
    byte[] buffer = new byte[8192];
    try (InputStream in = socket.getInputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        received.addAndGet(n);
      }
    } catch (IOException e) {
      // closed by either side
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** Bytes received so far, over every connection. */
  public long bytesReceived() {
    return received.get();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
