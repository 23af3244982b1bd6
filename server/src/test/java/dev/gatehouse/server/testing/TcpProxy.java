package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 (port 0) to a real service, that a test can cut and restore: a real
 * network fault between a node and its PostgreSQL or Redis, without stopping a server other tests
 * share. {@link #cut()} closes the listener and every open connection (peers see resets, new
 * connections are refused); {@link #restore()} listens again on the same port.
 */
public final class TcpProxy implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;
  private int port;

  private TcpProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** A running proxy to {@code host:port}. */
  public static TcpProxy to(String host, int port) {
    TcpProxy p = new TcpProxy(host, port);
    p.listen(0);
    return p;
  }

  public int port() {
    return port;
  }

  /** Refuses new connections and resets the open ones. */
  public synchronized void cut() {
    try {
      if (listener != null) {
        listener.close();
      }
    } catch (IOException ignored) {
      // Closing anyway.
    }
    listener = null;
    for (Socket s : open) {
      try {
        s.setSoLinger(true, 0);
        s.close();
      } catch (IOException ignored) {
        // Already gone.
      }
    }
    open.clear();
  }

  /** Accepts connections again, on the same port. */
  public synchronized void restore() {
    if (listener == null) {
      listen(port);
    }
  }

  private void listen(int onPort) {
    try {
      ServerSocket ss = new ServerSocket();
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
      this.port = ss.getLocalPort();
      this.listener = ss;
      Thread.ofVirtual().start(() -> accept(ss));
    } catch (IOException e) {
      throw new IllegalStateException("proxy cannot listen on " + onPort, e);
    }
  }

  private void accept(ServerSocket ss) {
    while (!ss.isClosed()) {
      Socket client;
      try {
        client = ss.accept();
      } catch (IOException e) {
        return;
      }
      Thread.ofVirtual().start(() -> {
        try {
          Socket server = new Socket(targetHost, targetPort);
          open.add(client);
          open.add(server);
          if (ss.isClosed()) {
            throw new IOException("cut meanwhile");
          }
          Thread.ofVirtual().start(() -> pump(client, server));
          pump(server, client);
        } catch (IOException e) {
          closeQuietly(client);
        }
      });
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // One side went away: close both.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    cut();
  }
}
