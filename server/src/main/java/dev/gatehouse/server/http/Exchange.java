package dev.gatehouse.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.json.CompactJson;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/** Reading requests and writing JSON responses, with the limits every endpoint shares. */
public final class Exchange {

  /** JSON reading with explicit limits: nesting, string and document sizes. */
  public static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static final int MAX_DEPTH = 32;
  /**
   * As long as the largest body any endpoint takes (the policy admin API's), so that a string
   * is never refused below the limit of what it carries (512 KiB of policy text, escaped): the
   * body limit of each endpoint is what bounds its strings.
   */
  public static final int MAX_STRING_LENGTH = 4 * 1024 * 1024;
  static final int MAX_NUMBER_LENGTH = 20;

  static {
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_STRING_LENGTH)
        .maxNumberLength(MAX_NUMBER_LENGTH).build());
  }

  private Exchange() {}

  /** The body, at most {@code limit} bytes; 413 beyond that. */
  public static byte[] body(ServerRequest req, int limit) {
    long declared = req.headers().contentLength().orElse(-1);
    if (declared > limit) {
      throw new HttpError(413, "invalid_request", "the request body is larger than " + limit
          + " bytes");
    }
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] data;
      if (declared >= 0) {
        // The usual case: Content-Length bytes, read into one array of that size
        // (readNBytes(limit + 1) alone would allocate a 16 KiB buffer and a copy per request).
        data = in.readNBytes((int) declared);
        int next = data.length == declared ? in.read() : -1;
        if (next < 0) {
          return data;
        }
        // A decoded entity longer than its Content-Length: read on, up to the limit.
        byte[] rest = in.readNBytes(limit - data.length);
        byte[] all = new byte[data.length + 1 + rest.length];
        System.arraycopy(data, 0, all, 0, data.length);
        all[data.length] = (byte) next;
        System.arraycopy(rest, 0, all, data.length + 1, rest.length);
        data = all;
      } else {
        data = in.readNBytes(limit + 1);
      }
      if (data.length > limit) {
        throw new HttpError(413, "invalid_request", "the request body is larger than " + limit
            + " bytes");
      }
      return data;
    } catch (IOException | RuntimeException e) {
      if (e instanceof HttpError he) {
        throw he;
      }
      throw new HttpError(400, "invalid_request", "the request body could not be read");
    }
  }

  /** The form parameters of a POST with {@code application/x-www-form-urlencoded}. */
  public static Map<String, String> form(ServerRequest req, int limit) {
    String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("")
        .toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      throw new HttpError(415, "invalid_request",
          "the body must be application/x-www-form-urlencoded");
    }
    return Form.parse(body(req, limit));
  }

  /** A JSON object body (admin API). */
  public static JsonNode jsonObject(ServerRequest req, int limit) {
    String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("")
        .toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/json")) {
      throw new HttpError(415, "unsupported_media_type", "the body must be application/json");
    }
    byte[] body = body(req, limit);
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new HttpError(400, "invalid_request", "the body must be a JSON object");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new HttpError(400, "invalid_request", exceeded(e));
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "invalid_request", "the body is not valid JSON: "
          + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new HttpError(400, "invalid_request", "the body is not valid JSON");
    }
  }

  /**
   * The one limit the body exceeded, in our words: Jackson's message names its own API
   * (StreamReadConstraints...), and naming all three limits sent callers after the wrong one.
   */
  static String exceeded(StreamConstraintsException e) {
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (m.startsWith("String value length")) {
      return "the JSON body has a string longer than " + MAX_STRING_LENGTH + " characters";
    }
    if (m.startsWith("Number value length")) {
      return "the JSON body has a number longer than " + MAX_NUMBER_LENGTH + " digits";
    }
    if (m.startsWith("Document nesting depth")) {
      return "the JSON body nests arrays and objects deeper than " + MAX_DEPTH + " levels";
    }
    return "the JSON body exceeds a limit: " + firstLine(m.replaceAll("\\(.*", ""));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }

  public static void json(ServerResponse res, int status, Object body) {
    send(res, status, "application/json", body);
  }

  public static void send(ServerResponse res, int status, String contentType, Object body) {
    try {
      byte[] bytes = body instanceof byte[] b ? b : CompactJson.tryWrite(body);
      if (bytes == null) {
        bytes = JSON.writeValueAsBytes(body);
      }
      res.status(Status.create(status));
      res.header(HeaderNames.CONTENT_TYPE, contentType);
      res.send(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends bytes, or for a HEAD request only the header fields a GET would carry (RFC 9110
   * §9.3.2): "The server SHOULD send the same header fields in response to a HEAD request as it
   * would have sent if the request method had been GET", and Content-Length, if sent, MUST be
   * the length GET's content would have (§8.6).
   */
  public static void sendOrHead(ServerRequest req, ServerResponse res, int status,
      String contentType, byte[] bytes) {
    if (req.prologue().method() != Method.HEAD) {
      send(res, status, contentType, bytes);
      return;
    }
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, contentType);
    res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length));
    res.send();
  }

  /** Token responses and errors must not be cached (RFC 6749 §5.1). */
  public static void noStore(ServerResponse res) {
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header(HeaderNames.PRAGMA, "no-cache");
  }
}
