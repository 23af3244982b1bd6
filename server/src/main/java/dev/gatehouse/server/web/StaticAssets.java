package dev.gatehouse.server.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The static files of the hosted pages, under {@code /assets/}: the passkey script and the
 * recovery codes' copy and download. Files, not inline scripts, so the pages' CSP allows no inline
 * code; loaded with the page's nonce.
 */
public final class StaticAssets implements HttpService {

  private final byte[] passkeyJs = load("/web/passkey.js");
  private final byte[] recoveryCodesJs = load("/web/recovery-codes.js");

  private static byte[] load(String resource) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/assets/passkey.js", (req, res) -> script(res, passkeyJs))
        .get("/assets/recovery-codes.js", (req, res) -> script(res, recoveryCodesJs));
  }

  private static void script(ServerResponse res, byte[] body) {
    res.status(Status.OK_200);
    res.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8");
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
    res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
    res.send(body);
  }
}
