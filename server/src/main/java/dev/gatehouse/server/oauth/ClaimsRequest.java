package dev.gatehouse.server.oauth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code claims} request parameter (OpenID Connect Core §5.5): "a JSON object listing the
 * requested Claims", whose members {@code userinfo} and {@code id_token} map claim names to null
 * or to an object with {@code essential}, {@code value} and {@code values} (§5.5.1).
 *
 * <p>Claims this server does not have are dropped (§5.5: "Any members used that are not
 * understood MUST be ignored"), as are unknown members. An essential claim is no promise: one the
 * user has no value for is simply left out (§5.5.1: "an Authorization Server ... MUST NOT
 * generate an error when Claims are not returned"). Two requests have consequences beyond
 * release: {@code acr} in the ID token (§5.5.1.1, {@link #acr}) and a {@code sub} value
 * ({@link #subject}).
 *
 * @param requested the claims to release by name
 * @param acr the ID token's {@code acr} request, or null
 * @param subject the {@code sub} value requested for the ID token, or null
 */
public record ClaimsRequest(RequestedClaims requested, Acr acr, String subject) {

  /** No claims parameter. */
  public static final ClaimsRequest NONE = new ClaimsRequest(RequestedClaims.NONE, null, null);

  /** Longer than any honest request for every claim this server has, with acr values. */
  static final int MAX_LENGTH = 4000;
  /** Deep enough for {@code value}s that are objects; the parameter has three levels itself. */
  static final int MAX_DEPTH = 8;

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build());

  /**
   * The {@code acr} Claim requested for the ID token (§5.5.1.1).
   *
   * @param essential whether the client made it an Essential Claim
   * @param values the requested values ({@code value}, then {@code values}), in order
   */
  public record Acr(boolean essential, List<String> values) {}

  /** A claims parameter that is not the JSON object §5.5 describes. */
  public static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /** Parses the parameter; null or empty is {@link #NONE}. */
  public static ClaimsRequest parse(String param) {
    if (param == null || param.isEmpty()) {
      return NONE;
    }
    if (param.length() > MAX_LENGTH) {
      throw new Invalid("claims is longer than " + MAX_LENGTH + " characters");
    }
    JsonNode root;
    try {
      root = JSON.readTree(param);
    } catch (IOException e) {
      throw new Invalid("claims is not valid JSON (OpenID Connect Core section 5.5)");
    }
    if (root == null || !root.isObject()) {
      throw new Invalid("claims must be a JSON object (OpenID Connect Core section 5.5)");
    }
    Map<String, JsonNode> userinfo = members(root, "userinfo");
    Map<String, JsonNode> idToken = members(root, "id_token");
    Acr acr = null;
    String subject = null;
    JsonNode acrNode = idToken.get("acr");
    if (acrNode != null) {
      acr = new Acr(acrNode.path("essential").asBoolean(false), strings(acrNode, "acr"));
    }
    JsonNode sub = idToken.get("sub");
    if (sub != null && sub.has("value")) {
      // OIDC Core §2 sub: "It MUST NOT exceed 255 ASCII characters in length."
      if (!sub.get("value").isTextual() || sub.get("value").asText().length() > 255) {
        throw new Invalid("claims: the value of sub must be a string of at most 255"
            + " characters");
      }
      subject = sub.get("value").asText();
    }
    return new ClaimsRequest(new RequestedClaims(RequestedClaims.names(userinfo.keySet()),
        RequestedClaims.names(idToken.keySet())), acr, subject);
  }

  /**
   * The claims of member {@code name} (§5.5: "userinfo" and "id_token"), each checked to be
   * null or an individual claim request (§5.5.1); empty when the member is absent.
   */
  private static Map<String, JsonNode> members(JsonNode root, String name) {
    JsonNode member = root.get(name);
    if (member == null || member.isNull()) {
      return Map.of();
    }
    if (!member.isObject()) {
      throw new Invalid("claims: " + name + " must be a JSON object");
    }
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : member.properties()) {
      JsonNode request = e.getValue();
      // §5.5.1: "the value is either null or a JSON object".
      if (!request.isNull() && !request.isObject()) {
        throw new Invalid("claims: the request for " + printable(e.getKey()) + " in " + name
            + " must be null or a JSON object");
      }
      // §5.5.1: essential is a boolean, values a JSON array.
      if (request.has("essential") && !request.get("essential").isBoolean()) {
        throw new Invalid("claims: essential must be true or false");
      }
      if (request.has("values") && !request.get("values").isArray()) {
        throw new Invalid("claims: values must be a JSON array");
      }
      out.put(e.getKey(), request);
    }
    return out;
  }

  /** {@code value} then the members of {@code values}, which must be strings for {@code claim}. */
  private static List<String> strings(JsonNode request, String claim) {
    List<JsonNode> nodes = new ArrayList<>();
    if (request.has("value")) {
      nodes.add(request.get("value"));
    }
    request.path("values").forEach(nodes::add);
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode n : nodes) {
      if (!n.isTextual()) {
        throw new Invalid("claims: the values of " + claim + " must be strings");
      }
      out.add(n.asText());
    }
    return List.copyOf(out);
  }

  /**
   * This request as a claims parameter again, of what was kept, to carry it through the sign-in
   * pages: {@link #parse} reads it back. Of the acr values only those this server issues are
   * kept; the others have done their part when the request was first read (an essential acr
   * none of whose values is issued here ends the request there).
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode userinfo = root.putObject("userinfo");
    requested.userinfo().forEach(userinfo::putNull);
    ObjectNode idToken = root.putObject("id_token");
    requested.idToken().forEach(idToken::putNull);
    if (acr != null) {
      ObjectNode a = idToken.putObject("acr");
      a.put("essential", acr.essential());
      acr.values().stream().filter(dev.gatehouse.server.session.Acr.SUPPORTED::contains)
          .forEach(a.putArray("values")::add);
    }
    if (subject != null) {
      idToken.putObject("sub").put("value", subject);
    }
    return root.toString();
  }

  public boolean isEmpty() {
    return requested.isEmpty() && acr == null && subject == null;
  }

  private static String printable(String s) {
    return Scopes.printable(s);
  }
}
