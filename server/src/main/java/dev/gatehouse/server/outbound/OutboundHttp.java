package dev.gatehouse.server.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The one way the server POSTs to a URL a tenant registered: the target is resolved and judged by
 * the {@link OutboundGuard}, the connection goes to the address that was judged (the name is not
 * resolved again, so DNS rebinding cannot move it), TLS still verifies the certificate against the
 * host name, redirects are not followed (a 3xx is an answer like any non-2xx), and the whole call
 * has one deadline.
 *
 * <p>HTTP/1.1 with {@code Connection: close}; only the status line of the answer is read. The
 * JDK's {@code HttpClient} cannot be given a resolved address for a name, which pinning needs.
 */
public final class OutboundHttp {

  /** What came of a call. */
  public sealed interface Outcome {}

  /** The target answered with {@code status}. */
  public record Answered(int status) implements Outcome {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** The {@link OutboundGuard} refused the target; no connection was made. */
  public record Refused(String reason) implements Outcome {}

  /**
   * No answer: the name did not resolve, the connection failed or timed out, TLS failed. The
   * detail is for the operator's log only: shown to a tenant it would tell open ports from closed
   * ones.
   */
  public record Failed(String detail) implements Outcome {}

  private static final int MAX_STATUS_LINE = 1024;

  private final OutboundGuard guard;
  /** The TLS trust to verify receivers with; null: the JDK's default (its cacerts). */
  private final SSLContext tlsContext;

  public OutboundHttp(OutboundGuard guard) {
    this(guard, null);
  }

  /** With the trust of {@code tlsContext} instead of the JDK's default. */
  public OutboundHttp(OutboundGuard guard, SSLContext tlsContext) {
    this.guard = guard;
    this.tlsContext = tlsContext;
  }

  public OutboundGuard guard() {
    return guard;
  }

  /**
   * What a tenant may be told of an outcome: the status its receiver answered, that the target is
   * not allowed, or only that delivery failed.
   */
  public static String publicError(Outcome o) {
    return switch (o) {
      case Answered a -> "HTTP " + a.status();
      case Refused r -> "refused: " + r.reason();
      case Failed f -> "delivery failed";
    };
  }

  /** POSTs {@code body} to {@code url} with {@code headers}, within {@code timeout} in all. */
  public Outcome post(String url, Map<String, String> headers, byte[] body, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if ((h.getKey() + h.getValue()).chars().anyMatch(c -> c == '\r' || c == '\n')) {
        throw new IllegalArgumentException("header `" + h.getKey() + "` holds a line break");
      }
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      return new Refused("the URL is not valid");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean tls = scheme.equals("https");
    if (!tls && !scheme.equals("http") || uri.getHost() == null) {
      return new Refused("only http(s) URLs with a host are called");
    }
    String host = uri.getHost();
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    List<InetAddress> addresses;
    try {
      addresses = guard.resolve(host);
    } catch (OutboundGuard.Refused e) {
      return new Refused(e.getMessage());
    } catch (IOException e) {
      return new Failed("cannot resolve " + host + ": " + e);
    }
    IOException last = null;
    for (InetAddress address : addresses) {
      try (Socket socket = connect(address, port, deadline)) {
        Socket s = tls ? tls(socket, host, port, deadline) : socket;
        write(s.getOutputStream(), uri, host, port, tls, headers, body);
        return new Answered(status(s, deadline));
      } catch (IOException e) {
        last = e;
        if (remaining(deadline) <= 0) {
          break;
        }
      }
    }
    return new Failed(host + ":" + port + ": " + last);
  }

  private static Socket connect(InetAddress address, int port, long deadline) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(address, port), timeoutMillis(deadline));
      s.setSoTimeout(timeoutMillis(deadline));
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** TLS over the pinned connection, verifying the certificate for {@code host}. */
  private Socket tls(Socket plain, String host, int port, long deadline) throws IOException {
    SSLContext context;
    try {
      context = tlsContext != null ? tlsContext : SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
    SSLParameters p = s.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    if (!host.startsWith("[") && !host.matches("[0-9.]+")) {
      p.setServerNames(List.of(new SNIHostName(host)));
    }
    s.setSSLParameters(p);
    s.setSoTimeout(timeoutMillis(deadline));
    s.startHandshake();
    return s;
  }

  private static void write(OutputStream out, URI uri, String host, int port, boolean tls,
      Map<String, String> headers, byte[] body) throws IOException {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    StringBuilder head = new StringBuilder(256)
        .append("POST ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host)
        .append(port == (tls ? 443 : 80) ? "" : ":" + port).append("\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n")
        .append("Connection: close\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** Reads the status line ({@code HTTP/1.1 204 No Content}) before the deadline. */
  private static int status(Socket s, long deadline) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (true) {
      s.setSoTimeout(timeoutMillis(deadline));
      int c = in.read();
      if (c < 0 || line.size() > MAX_STATUS_LINE) {
        throw new IOException("no HTTP status line");
      }
      if (c == '\n') {
        break;
      }
      line.write(c);
    }
    String[] parts = line.toString(StandardCharsets.ISO_8859_1).strip().split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
      throw new IOException("not an HTTP/1.x answer");
    }
    return Integer.parseInt(parts[1]);
  }

  private static long remaining(long deadline) {
    return deadline - System.nanoTime();
  }

  private static int timeoutMillis(long deadline) throws SocketTimeoutException {
    long ms = remaining(deadline) / 1_000_000;
    if (ms <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(ms, Integer.MAX_VALUE);
  }
}
