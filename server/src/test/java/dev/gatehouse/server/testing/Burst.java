package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpCookie;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Many form posts arriving at once, as an attacker's script sends them: every connection is open
 * before the first request is written, so the server sees them together (an HTTP client opening
 * connections on demand spreads them out).
 */
public final class Burst {

  private Burst() {}

  /** Posts {@code n} forms to {@code url} with the browser's cookies; the status codes. */
  public static List<Integer> post(Browser browser, String url, int n,
      IntFunction<Map<String, String>> form) throws Exception {
    URI uri = URI.create(url);
    StringBuilder cookies = new StringBuilder();
    for (HttpCookie c : browser.cookies().getCookieStore().get(uri)) {
      cookies.append(cookies.isEmpty() ? "" : "; ").append(c.getName()).append('=')
          .append(c.getValue());
    }
    List<Socket> sockets = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new Socket(uri.getHost(), uri.getPort()));
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Socket s = sockets.get(i);
        byte[] body = Browser.encode(form.apply(i)).getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
            + uri.getPort() + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: " + body.length + "\r\nCookie: " + cookies
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        sent.add(pool.submit(() -> {
          go.await();
          OutputStream out = s.getOutputStream();
          out.write(head);
          out.write(body);
          out.flush();
          return status(s.getInputStream());
        }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : sent) {
        statuses.add(f.get());
      }
      return statuses;
    } finally {
      pool.shutdownNow();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** The status code of the HTTP/1.1 answer on {@code in}. */
  private static int status(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    String[] parts = line.toString().split(" ");
    return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
  }
}
