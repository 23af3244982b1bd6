import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-loop HTTP/1.1 load driver: requests are due at a fixed arrival rate (request i at
 * {@code start + i / rate}), whether or not earlier ones have been answered, and each response
 * time is measured from the moment its request was due, not from when it was sent, so that a
 * stall shows in the latencies instead of slowing the load down (no coordinated omission, the
 * model of wrk2). Latencies go to an HdrHistogram (1 µs to 60 s, 3 digits).
 *
 * <p>A fixed set of keep-alive connections (OPEN_LOOP_CONNECTIONS, 32) takes the due requests in
 * order; when all are busy, a due request waits for one, and that wait counts in its latency.
 * Requests are written and answers read on plain sockets, a few microseconds of CPU each, so that
 * the driver does not take the cores it is measuring (the JDK's HttpClient cost about as much CPU
 * per request as the server and could not hold half the server's rate here).
 *
 * <p>Run by bench/oauth.sh with OPEN_LOOP; by hand:
 * <pre>
 * java -cp HdrHistogram-2.2.2.jar bench/latency/OpenLoop.java URL RATE SECONDS WARMUP_SECONDS \
 *     BASIC_AUTH FORM_BODY HISTOGRAM_OUT
 * </pre>
 * Prints one {@code OPENLOOP} line (rate, requests, errors, percentiles in ms) and writes the
 * percentile distribution (HdrHistogram's table, ms) to HISTOGRAM_OUT. An error is a connection
 * failure or an answer other than 200.
 */
public final class OpenLoop {

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    double rate = Double.parseDouble(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    String basic = args[4];
    String body = args[5];
    Path out = Path.of(args[6]);
    int connections = Integer.parseInt(System.getenv().getOrDefault("OPEN_LOOP_CONNECTIONS",
        "32"));
    InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
        + uri.getPort() + "\r\nAuthorization: Basic " + basic
        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
        + bodyBytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[head.length + bodyBytes.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(bodyBytes, 0, request, head.length, bodyBytes.length);

    if (warmup > 0) {
      run(address, request, rate, warmup, connections, new Recorder(60_000_000L, 3),
          new AtomicLong());
    }
    Recorder recorder = new Recorder(60_000_000L, 3);
    AtomicLong errors = new AtomicLong();
    long sent = run(address, request, rate, seconds, connections, recorder, errors);
    Histogram h = recorder.getIntervalHistogram();
    try (PrintStream ps = new PrintStream(Files.newOutputStream(out))) {
      h.outputPercentileDistribution(ps, 5, 1000.0);  // µs recorded, ms printed
    }
    System.out.printf(Locale.ROOT, "OPENLOOP rate=%.0f requests=%d answered=%d errors=%d"
        + " connections=%d p50_ms=%.3f p90_ms=%.3f p95_ms=%.3f p99_ms=%.3f p999_ms=%.3f"
        + " max_ms=%.3f%n", rate, sent, h.getTotalCount(), errors.get(), connections, ms(h, 50),
        ms(h, 90), ms(h, 95), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1000.0);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Sends {@code rate} requests a second for {@code seconds} and waits for every answer. */
  private static long run(InetSocketAddress address, byte[] request, double rate, int seconds,
      int connections, Recorder recorder, AtomicLong errors) throws InterruptedException {
    long total = (long) (rate * seconds);
    double interval = 1e9 / rate;
    long start = System.nanoTime() + 20_000_000L;
    AtomicLong next = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      threads.add(Thread.ofPlatform().daemon().start(() -> {
        Connection conn = null;
        long i;
        while ((i = next.getAndIncrement()) < total) {
          long due = start + (long) (i * interval);
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          try {
            if (conn == null) {
              conn = new Connection(address);
            }
            int status = conn.exchange(request);
            if (status != 200) {
              errors.incrementAndGet();
            }
          } catch (IOException e) {
            errors.incrementAndGet();
            if (conn != null) {
              conn.close();
            }
            conn = null;
          }
          // Measured from when the request was due, not when it was sent.
          recorder.recordValue(Math.max(1, (System.nanoTime() - due) / 1_000));
        }
        if (conn != null) {
          conn.close();
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return total;
  }

  /** One keep-alive HTTP/1.1 connection: writes a request, reads one whole answer. */
  private static final class Connection {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final StringBuilder line = new StringBuilder(128);

    Connection(InetSocketAddress address) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      socket.connect(address, 5_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16_384);
    }

    /** Sends {@code request} and reads the answer (Content-Length or chunked); its status. */
    int exchange(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      String status = readLine();
      int code = Integer.parseInt(status.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      String h;
      while (!(h = readLine()).isEmpty()) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).trim());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          close = true;
        }
      }
      if (chunked) {
        long size;
        while ((size = Long.parseLong(readLine().split(";")[0].trim(), 16)) > 0) {
          skip(size);
          readLine();
        }
        while (!readLine().isEmpty()) {
          // trailers
        }
      } else if (length > 0) {
        skip(length);
      }
      if (close) {
        throw new IOException("server closed the connection");
      }
      return code;
    }

    private String readLine() throws IOException {
      line.setLength(0);
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          throw new EOFException();
        }
        if (b != '\r') {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    private void skip(long n) throws IOException {
      while (n > 0) {
        long s = in.skip(n);
        if (s <= 0) {
          if (in.read() < 0) {
            throw new EOFException();
          }
          s = 1;
        }
        n -= s;
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
