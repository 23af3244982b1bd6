package dev.gatehouse.server.policy;

import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenID AuthZEN Authorization API 1.0 mapped onto Cedar.
 *
 * <ul>
 *   <li>{@code subject} {type, id} → the principal {@code type::"id"}; {@code resource} likewise;
 *   <li>{@code action.name} → {@code Action::"name"} (a full uid such as
 *       {@code Photos::Action::"view"} is taken as is);
 *   <li>{@code subject.properties} and {@code resource.properties} → attributes added to that
 *       entity for this decision (merged over a stored one, which keeps its other attributes and
 *       parents), refused for entities of the projected namespace, which are read-only;
 *   <li>{@code context} and {@code action.properties} → the Cedar context record ({@code context}
 *       wins where both name a key);
 *   <li>a subject that is also the resource: the properties of both, the subject's winning;
 *   <li>fields this server does not know are ignored (Authorization API 1.0 §4: receivers
 *       "MUST ignore" unknown fields); the admin and Cedar APIs stay strict.
 * </ul>
 *
 * @see <a href="https://openid.net/specs/authorization-api-1_0.html">Authorization API 1.0</a>
 */
final class AuthZen {

  /** How a batch of evaluations is run (AuthZEN §7.1.2 {@code evaluations_semantic}). */
  enum Semantic { EXECUTE_ALL, DENY_ON_FIRST_DENY, PERMIT_ON_FIRST_PERMIT }

  /** An Access Evaluations request: the evaluations and how to run them. */
  record Batch(List<Item> items, Semantic semantic, boolean single) {}

  /**
   * One evaluation of a batch: a request, or why it could not be read. AuthZEN §7.2.1: errors
   * of individual evaluations are answered in the payload (decision false, the error in the
   * context), not by failing the whole batch.
   */
  record Item(DecisionRequest request, String error) {}

  private AuthZen() {}

  /** An Access Evaluation request (AuthZEN §6.1). */
  static DecisionRequest evaluation(Json.Obj o, String namespace) {
    return map(namespace, o.get("subject"), o.get("action"), o.get("resource"), o.get("context"));
  }

  /**
   * An Access Evaluations request (AuthZEN §7.1): top-level {@code subject}, {@code action},
   * {@code resource} and {@code context} are defaults that each item of {@code evaluations} may
   * override. Without {@code evaluations} (or with none), it is a single evaluation.
   */
  static Batch evaluations(Json.Obj o, String namespace) {
    Semantic semantic = Semantic.EXECUTE_ALL;
    Json options = o.get("options");
    if (options != null && !(options instanceof Json.Null)) {
      if (!(options instanceof Json.Obj opts)) {
        throw new Uids.BadRequest("`options` must be an object");
      }
      Json s = opts.get("evaluations_semantic");
      if (s != null) {
        if (!(s instanceof Json.Str str)) {
          throw new Uids.BadRequest("`options.evaluations_semantic` must be a string");
        }
        semantic = switch (str.value()) {
          case "execute_all" -> Semantic.EXECUTE_ALL;
          case "deny_on_first_deny" -> Semantic.DENY_ON_FIRST_DENY;
          case "permit_on_first_permit" -> Semantic.PERMIT_ON_FIRST_PERMIT;
          default -> throw new Uids.BadRequest("`options.evaluations_semantic` must be"
              + " execute_all, deny_on_first_deny or permit_on_first_permit");
        };
      }
    }
    Json evals = o.get("evaluations");
    if (evals == null || evals instanceof Json.Null
        || (evals instanceof Json.Arr a && a.items().isEmpty())) {
      return new Batch(List.of(new Item(map(namespace, o.get("subject"), o.get("action"),
          o.get("resource"), o.get("context")), null)), semantic, true);
    }
    if (!(evals instanceof Json.Arr arr)) {
      throw new Uids.BadRequest("`evaluations` must be an array");
    }
    if (arr.items().size() > DecisionJson.MAX_BATCH) {
      throw new Uids.BadRequest("at most " + DecisionJson.MAX_BATCH + " evaluations at once");
    }
    List<Item> out = new ArrayList<>();
    for (Json item : arr.items()) {
      try {
        if (!(item instanceof Json.Obj e)) {
          throw new Uids.BadRequest("an evaluation must be an object");
        }
        out.add(new Item(map(namespace, or(e.get("subject"), o.get("subject")),
            or(e.get("action"), o.get("action")), or(e.get("resource"), o.get("resource")),
            or(e.get("context"), o.get("context"))), null));
      } catch (Uids.BadRequest ex) {
        out.add(new Item(null, ex.getMessage()));
      }
    }
    return new Batch(out, semantic, false);
  }

  private static Json or(Json a, Json b) {
    return a != null ? a : b;
  }

  private static DecisionRequest map(String namespace, Json subject, Json action, Json resource,
      Json context) {
    List<Entity> entities = new ArrayList<>();
    EntityUid principal = entity(subject, "subject", entities);
    EntityUid res = entity(resource, "resource", entities);
    for (Entity e : entities) {
      ProjectedNamespace.refuse(namespace, List.of(e),
          "`" + (e.uid().equals(principal) ? "subject" : "resource") + ".properties`");
    }
    if (!(action instanceof Json.Obj a)) {
      throw new Uids.BadRequest("`action` is required: an object with a `name`");
    }
    if (!(a.get("name") instanceof Json.Str name) || name.value().isEmpty()) {
      throw new Uids.BadRequest("`action.name` must be a non-empty string");
    }
    EntityUid act = DecisionJson.action(name);
    Map<String, Value> ctx = DecisionJson.context(OpenJson.toCedar(context), "context");
    Map<String, Value> props = DecisionJson.context(OpenJson.toCedar(a.get("properties")),
        "action.properties");
    for (Map.Entry<String, Value> p : props.entrySet()) {
      ctx.putIfAbsent(p.getKey(), p.getValue());
    }
    if (entities.size() == 2 && entities.get(0).uid().equals(entities.get(1).uid())) {
      Map<String, Value> both = new LinkedHashMap<>(entities.get(1).attrs());
      both.putAll(entities.get(0).attrs());
      Entity one = new Entity(entities.get(0).uid(), both, Set.of(), Map.of());
      entities.clear();
      entities.add(one);
    }
    return new DecisionRequest(new Request(principal, act, res, new RecordValue(ctx)), entities,
        null, true);
  }

  private static EntityUid entity(Json j, String what, List<Entity> entities) {
    if (!(j instanceof Json.Obj o)) {
      throw new Uids.BadRequest("`" + what + "` is required: an object with `type` and `id`");
    }
    if (!(o.get("type") instanceof Json.Str type) || type.value().isEmpty()
        || !(o.get("id") instanceof Json.Str id)) {
      throw new Uids.BadRequest("`" + what + "` needs a string `type` and a string `id`");
    }
    if (type.value().length() + id.value().length() > Uids.MAX_LENGTH) {
      throw new Uids.BadRequest("`" + what + "` is longer than " + Uids.MAX_LENGTH
          + " characters");
    }
    EntityUid uid = new EntityUid(EntityType.of(type.value()), id.value());
    Json props = o.get("properties");
    if (props != null && !(props instanceof Json.Null)) {
      Map<String, Value> attrs = DecisionJson.context(OpenJson.toCedar(props),
          what + ".properties");
      entities.add(new Entity(uid, attrs, Set.of(), Map.of()));
    }
    return uid;
  }

  /** The response to an evaluation that could not be read. */
  static Map<String, Object> error(String message) {
    return Map.of("decision", false, "context", Map.of("error", Map.of("status", 400,
        "message", message)));
  }

  /** The response of one evaluation: {@code {"decision": bool, "context": {...}}}. */
  static Map<String, Object> response(Decision d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision", d.allow());
    Map<String, Object> ctx = new LinkedHashMap<>();
    if (!d.reasons().isEmpty()) {
      ctx.put("reasons", d.reasonsJson());
    }
    if (!d.errors().isEmpty()) {
      ctx.put("errors", d.errorsJson());
    }
    ctx.put("policy_version", d.policyVersion());
    ctx.put("entity_version", d.entityVersion());
    m.put("context", ctx);
    return m;
  }
}
