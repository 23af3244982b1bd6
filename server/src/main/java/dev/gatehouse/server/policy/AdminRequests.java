package dev.gatehouse.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.server.adminapi.AdminTenants;
import dev.gatehouse.server.adminapi.JsonFields;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.HttpError;
import dev.gatehouse.server.http.ProblemException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** Strict readers of the policy admin API's bodies and parameters, each failure a 400 problem. */
final class AdminRequests {

  /** Most items one page of versions or entities lists. */
  static final int PAGE_MAX = 500;

  private final int maxBody;

  AdminRequests(int maxBody) {
    this.maxBody = maxBody;
  }

  /** A JSON object body with only the {@code allowed} fields. */
  JsonNode object(ServerRequest req, Set<String> allowed) {
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, allowed);
    return body;
  }

  /** A string field; null when absent and not {@code required}. */
  static String string(JsonNode body, String field, boolean required) {
    String s = JsonFields.string(body, field);
    if (s == null && required) {
      throw new ProblemException(400, "`" + field + "` is required");
    }
    return s;
  }

  /** The body as text, which must be of {@code mediaType}. */
  String text(ServerRequest req, String mediaType) {
    String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("")
        .toLowerCase(Locale.ROOT);
    if (!type.startsWith(mediaType)) {
      throw new HttpError(415, "unsupported_media_type", "the body must be " + mediaType);
    }
    return new String(Exchange.body(req, maxBody), StandardCharsets.UTF_8);
  }

  /** A JSON object body read by the Cedar JSON reader (entities, decision requests). */
  Json.Obj cedarBody(ServerRequest req) {
    return DecisionJson.object(text(req, "application/json").getBytes(StandardCharsets.UTF_8));
  }

  /** A policy version number (0 or more). */
  static long versionParam(String raw) {
    try {
      long n = Long.parseLong(raw);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ProblemException(400, "a version is a whole number, not `"
          + AdminTenants.printable(raw) + "`");
    }
  }

  /** A whole-number query parameter between {@code min} and {@code max}, {@code dflt} if absent. */
  static int intParam(ServerRequest req, String name, int dflt, int min, int max) {
    String raw = req.query().first(name).orElse(null);
    if (raw == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ProblemException(400, "`" + name + "` must be between " + min + " and " + max);
    }
  }
}
