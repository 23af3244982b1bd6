package dev.gatehouse.server.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal browser for the hosted pages: keeps cookies, does not follow redirects on its own,
 * reads hidden form fields and submits forms, so tests walk the pages the way a person would.
 */
public final class Browser {

  private static final Pattern HIDDEN = Pattern.compile(
      "<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
  private static final Pattern ACTION = Pattern.compile("<form method=\"post\"[^>]* action=\"([^\"]*)\"");

  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http = HttpClient.newBuilder()
      .cookieHandler(cookies)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  public CookieManager cookies() {
    return cookies;
  }

  public TestServer.Response get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  public TestServer.Response post(String url, Map<String, String> form) {
    return send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build());
  }

  /** Follows redirects from {@code url} while they stay on {@code origin}; the last answer. */
  public TestServer.Response follow(String url, String origin) {
    TestServer.Response r = get(url);
    return followFrom(r, url, origin);
  }

  /** Continues following the redirects of {@code r}, an answer from {@code url}. */
  public TestServer.Response followFrom(TestServer.Response r, String url, String origin) {
    for (int i = 0; i < 10 && isRedirect(r); i++) {
      String location = URI.create(url).resolve(r.header("Location")).toString();
      if (!location.startsWith(origin)) {
        return r;
      }
      url = location;
      r = get(location);
    }
    return r;
  }

  public static boolean isRedirect(TestServer.Response r) {
    return r.status() >= 300 && r.status() < 400 && r.header("Location") != null;
  }

  /** The hidden fields of the first form on the page, unescaped. */
  public static Map<String, String> hiddenFields(String html) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = HIDDEN.matcher(html);
    while (m.find()) {
      out.put(unescape(m.group(1)), unescape(m.group(2)));
    }
    return out;
  }

  public static String formAction(String html) {
    Matcher m = ACTION.matcher(html);
    if (!m.find()) {
      throw new AssertionError("no form on the page: " + html);
    }
    return unescape(m.group(1));
  }

  private static String unescape(String s) {
    return s.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'").replace("&#96;", "`")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  public TestServer.Response send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new TestServer.Response(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String encode(Map<String, String> form) {
    StringBuilder b = new StringBuilder();
    form.forEach((k, v) -> {
      if (!b.isEmpty()) {
        b.append('&');
      }
      b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return b.toString();
  }
}
