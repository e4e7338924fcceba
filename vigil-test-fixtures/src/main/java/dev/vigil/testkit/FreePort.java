package dev.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A free TCP port on 127.0.0.1, for a program that must be told its port before it starts (such as
 * Prometheus' {@code --web.listen-address}). Another process could take the port between this call
 * and the bind; the kernel hands out ephemeral ports in turn, which makes that unlikely.
 */
public final class FreePort {
  private FreePort() {}

  public static int find() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
