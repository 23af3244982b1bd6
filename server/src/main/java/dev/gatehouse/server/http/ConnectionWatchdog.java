package dev.gatehouse.server.http;

import dev.gatehouse.server.config.NetworkConfig;
import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.http.Filter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the connections of one listener that hold a thread without making progress, and caps
 * connections per client address.
 *
 * <p>Helidon 4.5 has no deadline for reading a request header: its idle timeout interrupts only a
 * connection waiting for a request line, and its read timeout applies to client sockets. A client
 * that sends nothing, or a header one byte every few seconds (slowloris), kept its connection
 * forever. This class sees every accepted socket (through the listener's {@link SocketOptions},
 * which Helidon calls for each one) and every request that reached routing (through a {@link
 * Filter}), and once a second closes a connection that
 * <ul>
 *   <li>has not completed a request header within {@code server.idle-timeout-seconds} of being
 *       opened or of its previous response (a silent, slow or idle keep-alive connection), or
 *   <li>has been inside one request longer than {@code server.request-timeout-seconds} (a request
 *       body sent too slowly).
 * </ul>
 * A new connection beyond {@code server.max-connections-per-ip} from one address is closed at once.
 *
 * <p>A new connection is also closed at once when the process is near its file-descriptor limit
 * ({@code ulimit -n}, read on every accept, so a limit lowered on a running process counts too):
 * Helidon's listener treats a failed {@code accept} ("Too many open files") as fatal and stops
 * listening for good, so the node must never let its sockets take the last descriptors. What is
 * kept free is what the process holds besides connections (files, database and Redis
 * connections; counted at every sweep) and {@link #FD_RESERVE} more.
 */
public final class ConnectionWatchdog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatchdog.class);

  /** One open connection: when it last made progress, and whether a request is under way. */
  private static final class Conn {
    final SocketChannel channel;
    final InetAddress client;
    volatile long since = System.nanoTime();
    volatile long requestStart;
    final AtomicInteger active = new AtomicInteger();

    Conn(SocketChannel channel, InetAddress client) {
      this.channel = channel;
      this.client = client;
    }
  }

  private final long idleNanos;
  private final long requestNanos;
  private final int maxPerClient;
  private final int maxConnections;
  private final Map<SocketAddress, Conn> open = new ConcurrentHashMap<>();
  private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper;
  /** Descriptors the process holds that are not this listener's connections (at the last sweep). */
  private volatile long otherDescriptors = -1;
  private volatile long lastFdWarning;
  /** Descriptors kept free beyond those in use: new database connections, files, a log rotation. */
  static final int FD_RESERVE = 64;

  public ConnectionWatchdog(NetworkConfig network, String name) {
    this.idleNanos = network.idleTimeout().toNanos();
    this.requestNanos = network.requestTimeout().toNanos();
    this.maxPerClient = network.maxConnectionsPerIp();
    this.maxConnections = network.maxConnections();
    this.otherDescriptors = FileDescriptors.open();
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gatehouse-watchdog-" + name);
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(100, Math.min(1000, network.idleTimeout().toMillis() / 2));
    sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  /** Watches {@code listener}'s connections and caps how many it holds open. */
  public <B extends ListenerConfig.BuilderBase<B, ?>> B limits(B listener) {
    return listener.connectionOptions(socketOptions()).maxTcpConnections(maxConnections);
  }

  /** Socket options for the listener that register every accepted connection here. */
  private SocketOptions socketOptions() {
    SocketOptions base = SocketOptions.builder().build();
    return new SocketOptions() {
      @Override
      public Map<SocketOption<?>, Object> socketOptions() {
        return base.socketOptions();
      }

      @Override
      public Duration connectTimeout() {
        return base.connectTimeout();
      }

      @Override
      public Duration readTimeout() {
        return base.readTimeout();
      }

      @Override
      public Optional<Integer> socketReceiveBufferSize() {
        return base.socketReceiveBufferSize();
      }

      @Override
      public Optional<Integer> socketSendBufferSize() {
        return base.socketSendBufferSize();
      }

      @Override
      public boolean socketReuseAddress() {
        return base.socketReuseAddress();
      }

      @Override
      public boolean socketKeepAlive() {
        return base.socketKeepAlive();
      }

      @Override
      public boolean tcpNoDelay() {
        return base.tcpNoDelay();
      }

      @Override
      public void configureSocket(Socket socket) {
        base.configureSocket(socket);
      }

      @Override
      public void configureSocket(SocketChannel channel) {
        base.configureSocket(channel);
        accepted(channel);
      }
    };
  }

  /** The filter that tells this watchdog when a connection's requests start and end. */
  public Filter filter() {
    return (chain, req, res) -> {
      Conn c = open.get(req.remotePeer().address());
      if (c == null) {
        chain.proceed();
        return;
      }
      c.requestStart = System.nanoTime();
      c.active.incrementAndGet();
      try {
        chain.proceed();
      } finally {
        c.active.decrementAndGet();
        c.since = System.nanoTime();
      }
    };
  }

  private void accepted(SocketChannel channel) {
    SocketAddress remote;
    try {
      remote = channel.getRemoteAddress();
    } catch (IOException e) {
      return;
    }
    if (!(remote instanceof InetSocketAddress inet)) {
      return;
    }
    InetAddress client = inet.getAddress();
    int n = perClient.computeIfAbsent(client, a -> new AtomicInteger()).incrementAndGet();
    Conn c = new Conn(channel, client);
    Conn previous = open.put(remote, c);
    if (previous != null) {
      // The same client address and port again before the sweep saw the old one closed.
      perClient.computeIfPresent(previous.client, (a, k) -> k.decrementAndGet() <= 0 ? null : k);
    }
    if (maxPerClient > 0 && n > maxPerClient) {
      LOG.warn("event=connection_refused reason=per_ip_limit client={} open={}",
          client.getHostAddress(), n - 1);
      close(remote, c);
      return;
    }
    long limit = FileDescriptors.limit();
    long others = otherDescriptors;
    if (limit > 0 && others >= 0 && others + open.size() + FD_RESERVE > limit) {
      long now = System.nanoTime();
      if (now - lastFdWarning > 1_000_000_000L) {
        lastFdWarning = now;
        LOG.warn("event=connection_refused reason=file_descriptors limit={} open_connections={}"
            + " other_descriptors={}", limit, open.size(), others);
      }
      close(remote, c);
    }
  }

  void sweep() {
    long inUse = FileDescriptors.open();
    if (inUse >= 0) {
      otherDescriptors = Math.max(0, inUse - open.size());
    }
    long now = System.nanoTime();
    for (Map.Entry<SocketAddress, Conn> e : open.entrySet()) {
      Conn c = e.getValue();
      if (!c.channel.isOpen()) {
        forget(e.getKey(), c);
      } else if (c.active.get() == 0 ? now - c.since > idleNanos
          : now - c.requestStart > requestNanos) {
        close(e.getKey(), c);
      }
    }
  }

  private void close(SocketAddress remote, Conn c) {
    try {
      // Helidon's reader fails on the closed channel and ends the connection's thread.
      c.channel.close();
    } catch (IOException ignored) {
      // Closed either way.
    }
    forget(remote, c);
  }

  private void forget(SocketAddress remote, Conn c) {
    if (open.remove(remote, c)) {
      perClient.computeIfPresent(c.client, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
  }

  /** Connections open now (for tests and metrics). */
  public int openConnections() {
    return open.size();
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
