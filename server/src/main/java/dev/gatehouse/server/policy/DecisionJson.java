package dev.gatehouse.server.policy;

import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.DeepStack;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.cedar.json.JsonReader;
import dev.gatehouse.cedar.json.JsonType;
import dev.gatehouse.cedar.json.JsonWriter;
import dev.gatehouse.cedar.json.SchemaHints;
import dev.gatehouse.cedar.json.ValueJson;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import dev.gatehouse.server.oauth.TokenInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads decision requests: {@code {"principal" | "principal_token", "action", "resource",
 * "context"?, "entities"?}}, with entity uids as {@code {"type", "id"}} or {@code Type::"id"}.
 *
 * <p>A principal token is an access token of the tenant: its subject becomes the principal (the
 * client entity when the token was issued to a client for itself, else the user entity), and its
 * scopes, client and subject go into {@code context.token}. An inactive token is not an error of
 * the request: the decision is deny, with that reason.
 */
public final class DecisionJson {

  /** Most requests in one batch. */
  public static final int MAX_BATCH = 100;

  private static final Set<String> FIELDS =
      Set.of("principal", "principal_token", "action", "resource", "context", "entities");

  private final String namespace;
  private final EntityLimits limits;
  private final Function<String, Optional<TokenInfo>> tokens;

  /** Reads requests; {@code tokens} introspects principal tokens at the tenant. */
  public DecisionJson(String namespace, EntityLimits limits,
      Function<String, Optional<TokenInfo>> tokens) {
    this.namespace = namespace;
    this.limits = limits;
    this.tokens = tokens;
  }

  /** Parses a JSON body. */
  static Json.Obj object(byte[] body) {
    Json j;
    try {
      j = JsonReader.parse(new String(body, StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new Uids.BadRequest("the body is not valid JSON: " + e.getMessage());
    }
    if (!(j instanceof Json.Obj o)) {
      throw new Uids.BadRequest("the body must be a JSON object");
    }
    return o;
  }

  /** One request of {@code /v1/authorize}. */
  public DecisionRequest request(Json j) {
    if (!(j instanceof Json.Obj o)) {
      throw new Uids.BadRequest("a decision request must be a JSON object");
    }
    for (String f : o.fields().keySet()) {
      if (!FIELDS.contains(f)) {
        throw new Uids.BadRequest("unknown field `" + f + "`; known: action, context, entities,"
            + " principal, principal_token, resource");
      }
    }
    EntityUid action = action(required(o, "action"));
    EntityUid resource = Uids.from(required(o, "resource"), "resource");
    Map<String, Value> context = context(o.get("context"), "context");
    List<Entity> entities = entities(o.get("entities"));
    EntityUid principal;
    Json token = o.get("principal_token");
    if (token != null) {
      if (o.get("principal") != null) {
        throw new Uids.BadRequest("give either `principal` or `principal_token`, not both");
      }
      if (!(token instanceof Json.Str s)) {
        throw new Uids.BadRequest("`principal_token` must be a string");
      }
      Optional<TokenInfo> info = tokens.apply(s.value());
      if (info.isEmpty()) {
        return DecisionRequest.refused("`principal_token` is not an active access token of this"
            + " tenant");
      }
      principal = principalOf(info.get());
      if (context.containsKey("token")) {
        throw new Uids.BadRequest("`context.token` is set from `principal_token`; do not give"
            + " both");
      }
      context.put("token", tokenRecord(info.get()));
    } else {
      principal = Uids.from(required(o, "principal"), "principal");
    }
    return new DecisionRequest(new Request(principal, action, resource,
        new RecordValue(context)), entities, null);
  }

  /** The requests of {@code /v1/authorize/batch}: {@code {"requests": [...]}}. */
  public List<DecisionRequest> batch(Json.Obj o) {
    if (o.fields().size() != 1 || !(o.get("requests") instanceof Json.Arr arr)) {
      throw new Uids.BadRequest("the body must be {\"requests\": [...]}");
    }
    if (arr.items().size() > MAX_BATCH) {
      throw new Uids.BadRequest("at most " + MAX_BATCH + " requests in one batch");
    }
    List<DecisionRequest> out = new ArrayList<>(arr.items().size());
    int i = 0;
    for (Json item : arr.items()) {
      try {
        out.add(request(item));
      } catch (Uids.BadRequest e) {
        throw new Uids.BadRequest("requests[" + i + "]: " + e.getMessage());
      }
      i++;
    }
    return out;
  }

  /** The principal a token stands for: its client, or the user it was issued for. */
  EntityUid principalOf(TokenInfo t) {
    if (t.subject() == null || t.subject().isEmpty() || t.subject().equals(t.clientId())) {
      return ClientEntitySource.uid(namespace, t.clientId());
    }
    return EntityUid.of(namespace + "::User", t.subject());
  }

  private static RecordValue tokenRecord(TokenInfo t) {
    Map<String, Value> m = new LinkedHashMap<>();
    m.put("sub", new StringValue(t.subject() == null ? "" : t.subject()));
    m.put("client_id", new StringValue(t.clientId()));
    List<Value> scopes = new ArrayList<>();
    t.scope().forEach(s -> scopes.add(new StringValue(s)));
    m.put("scopes", SetValue.of(scopes));
    return new RecordValue(m);
  }

  /** An action: a uid, or a bare name meaning {@code Action::"name"}. */
  static EntityUid action(Json j) {
    if (j instanceof Json.Str s && !s.value().contains("::\"")) {
      if (s.value().isEmpty() || s.value().length() > Uids.MAX_LENGTH) {
        throw new Uids.BadRequest("`action` must be 1 to " + Uids.MAX_LENGTH + " characters");
      }
      return EntityUid.of("Action", s.value());
    }
    return Uids.from(j, "action");
  }

  static Json required(Json.Obj o, String field) {
    Json j = o.get(field);
    if (j == null || j instanceof Json.Null) {
      throw new Uids.BadRequest("`" + field + "` is required");
    }
    return j;
  }

  /**
   * A context record (mutable copy); absent means empty. Converting recurses once or twice a
   * level: deeply nested values convert on the {@link DeepStack}.
   */
  static Map<String, Value> context(Json j, String what) {
    return DeepStack.callIf(j != null && !DeepStack.active()
        && Json.deeperThan(j, JsonWriter.INLINE_DEPTH), () -> contextHere(j, what));
  }

  private static Map<String, Value> contextHere(Json j, String what) {
    if (j == null || j instanceof Json.Null) {
      return new LinkedHashMap<>();
    }
    if (!(j instanceof Json.Obj)) {
      throw new Uids.BadRequest("`" + what + "` must be a JSON object");
    }
    try {
      if (!(ValueJson.toValue(j, JsonType.ANY, "") instanceof RecordValue r)) {
        throw new Uids.BadRequest("`" + what + "` must be a record, not an entity or extension"
            + " value");
      }
      return new LinkedHashMap<>(r.fields());
    } catch (ParseException e) {
      throw new Uids.BadRequest("`" + what + "`: " + e.description());
    } catch (CedarException e) {
      throw new Uids.BadRequest("`" + what + "`: " + e.getMessage());
    }
  }

  /** Per-request entities in Cedar's entities JSON; none of the projected namespace. */
  List<Entity> entities(Json j) {
    if (j == null || j instanceof Json.Null) {
      return List.of();
    }
    if (!(j instanceof Json.Arr a)) {
      throw new Uids.BadRequest("`entities` must be an array of Cedar entities");
    }
    limits.checkCount(a.items().size());
    String text = JsonWriter.write(j);
    limits.checkBytes(text.length());
    List<Entity> out;
    try {
      out = EntitiesJson.parseList(text, SchemaHints.NONE);
    } catch (ParseException e) {
      throw new Uids.BadRequest("`entities`: " + e.description());
    } catch (CedarException e) {
      throw new Uids.BadRequest("`entities`: " + e.getMessage());
    }
    ProjectedNamespace.refuse(namespace, out, "`entities`");
    return out;
  }
}
