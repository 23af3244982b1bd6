package dev.gatehouse.cedar.json;

import dev.gatehouse.cedar.DeepStack;
import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.ast.Annotation;
import dev.gatehouse.cedar.ast.BinaryOp;
import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.Effect;
import dev.gatehouse.cedar.ast.EntityRef;
import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Pattern;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.ast.Slot;
import dev.gatehouse.cedar.ast.UnaryOp;
import dev.gatehouse.cedar.ast.Var;
import dev.gatehouse.cedar.eval.Extensions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cedar's JSON policy format (the "EST"), both ways.
 *
 * <p>A policy is {@code {"effect", "principal", "action", "resource", "conditions",
 * "annotations"}}; expressions are single-key objects such as {@code {"==": {"left", "right"}}},
 * {@code {"Value": ..}}, {@code {"Var": "principal"}} or {@code {"ip": [args]}}.
 *
 * @see <a href="https://docs.cedarpolicy.com/policies/json-format.html">JSON policy format</a>
 */
public final class PolicyJson {
  private final ValueJson vj;

  private PolicyJson(String src) {
    this.vj = new ValueJson(src);
  }

  // ------------------------------------------------------------------ AST -> JSON

  /** Returns the JSON form of a policy or template. */
  public static Json toJson(Policy p) {
    return DeepStack.callIf(!DeepStack.active() && DeepStack.deep(List.of(p)), () -> policyJson(p));
  }

  private static Json policyJson(Policy p) {
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("effect", Json.str(p.effect().text()));
    m.put("principal", scope(p.principal()));
    m.put("action", scope(p.action()));
    m.put("resource", scope(p.resource()));
    List<Json> conds = new ArrayList<>();
    for (Condition c : p.conditions()) {
      Map<String, Json> cm = new LinkedHashMap<>();
      cm.put("kind", Json.str(c.when() ? "when" : "unless"));
      cm.put("body", toJson(c.body()));
      conds.add(Json.obj(cm));
    }
    m.put("conditions", Json.arr(conds));
    if (!p.annotations().isEmpty()) {
      Map<String, Json> am = new LinkedHashMap<>();
      for (Annotation a : p.annotations()) {
        am.put(a.key(), Json.str(a.value()));
      }
      m.put("annotations", Json.obj(am));
    }
    return Json.obj(m);
  }

  /** Returns {@code {"staticPolicies": {..}, "templates": {..}, "templateLinks": [..]}}. */
  public static Json toJson(PolicySet ps) {
    return DeepStack.callIf(ps.deep() && !DeepStack.active(), () -> setJson(ps));
  }

  private static Json setJson(PolicySet ps) {
    Map<String, Json> statics = new LinkedHashMap<>();
    ps.staticPolicies().forEach((id, p) -> statics.put(id, policyJson(p)));
    Map<String, Json> templates = new LinkedHashMap<>();
    ps.templates().forEach((id, p) -> templates.put(id, policyJson(p)));
    List<Json> links = new ArrayList<>();
    for (PolicySet.Link link : ps.linkInfo().values()) {
      Map<String, Json> lm = new LinkedHashMap<>();
      lm.put("templateId", Json.str(link.templateId()));
      lm.put("newId", Json.str(link.linkId()));
      Map<String, Json> vals = new LinkedHashMap<>();
      link.values().forEach((slot, uid) -> vals.put(slot.text(), ValueJson.uidJson(uid)));
      lm.put("values", Json.obj(vals));
      links.add(Json.obj(lm));
    }
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("staticPolicies", Json.obj(statics));
    m.put("templates", Json.obj(templates));
    m.put("templateLinks", Json.arr(links));
    return Json.obj(m);
  }

  private static Json scope(ScopeConstraint c) {
    Map<String, Json> m = new LinkedHashMap<>();
    switch (c) {
      case ScopeConstraint.Any a -> m.put("op", Json.str("All"));
      case ScopeConstraint.Eq eq -> {
        m.put("op", Json.str("=="));
        ref(eq.entity(), m);
      }
      case ScopeConstraint.In in -> {
        m.put("op", Json.str("in"));
        ref(in.entity(), m);
      }
      case ScopeConstraint.InSet set -> {
        m.put("op", Json.str("in"));
        List<Json> items = new ArrayList<>();
        set.entities().forEach(u -> items.add(ValueJson.uidJson(u)));
        m.put("entities", Json.arr(items));
      }
      case ScopeConstraint.Is is -> {
        m.put("op", Json.str("is"));
        m.put("entity_type", Json.str(is.type().name()));
      }
      case ScopeConstraint.IsIn isIn -> {
        m.put("op", Json.str("is"));
        m.put("entity_type", Json.str(isIn.type().name()));
        Map<String, Json> in = new LinkedHashMap<>();
        ref(isIn.entity(), in);
        m.put("in", Json.obj(in));
      }
    }
    return Json.obj(m);
  }

  private static void ref(EntityRef r, Map<String, Json> m) {
    switch (r) {
      case EntityUid u -> m.put("entity", ValueJson.uidJson(u));
      case Slot s -> m.put("slot", Json.str(s.text()));
    }
  }

  /** Returns the JSON form of an expression. */
  public static Json toJson(Expr e) {
    return switch (e) {
      case Expr.BoolLit x -> single("Value", Json.bool(x.value()));
      case Expr.LongLit x -> single("Value", Json.num(x.value()));
      case Expr.StringLit x -> single("Value", Json.str(x.value()));
      case Expr.EntityLit x -> single("Value", Json.obj(Map.of("__entity", ValueJson.uidJson(x.uid()))));
      case Expr.VarRef x -> single("Var", Json.str(x.var().text()));
      case Expr.SlotRef x -> single("Slot", Json.str(x.slot().text()));
      case Expr.Unary x ->
          single(
              switch (x.op()) {
                case NOT -> "!";
                case NEG -> "neg";
                case IS_EMPTY -> "isEmpty";
              },
              Json.obj(Map.of("arg", toJson(x.arg()))));
      case Expr.Binary x -> single(x.op().text(), leftRight(x.left(), x.right()));
      case Expr.And x -> single("&&", leftRight(x.left(), x.right()));
      case Expr.Or x -> single("||", leftRight(x.left(), x.right()));
      case Expr.If x -> {
        Map<String, Json> m = new LinkedHashMap<>();
        m.put("if", toJson(x.cond()));
        m.put("then", toJson(x.then()));
        m.put("else", toJson(x.otherwise()));
        yield single("if-then-else", Json.obj(m));
      }
      case Expr.GetAttr x -> single(".", leftAttr(x.target(), x.attr()));
      case Expr.HasAttr x -> single("has", leftAttr(x.target(), x.attr()));
      case Expr.Like x -> {
        List<Json> elems = new ArrayList<>();
        List<String> chunks = x.pattern().chunks();
        for (int i = 0; i < chunks.size(); i++) {
          if (i > 0) {
            elems.add(Json.str("Wildcard"));
          }
          if (!chunks.get(i).isEmpty()) {
            elems.add(Json.obj(Map.of("Literal", Json.str(chunks.get(i)))));
          }
        }
        Map<String, Json> m = new LinkedHashMap<>();
        m.put("left", toJson(x.target()));
        m.put("pattern", Json.arr(elems));
        yield single("like", Json.obj(m));
      }
      case Expr.Is x -> {
        Map<String, Json> m = new LinkedHashMap<>();
        m.put("left", toJson(x.target()));
        m.put("entity_type", Json.str(x.type().name()));
        yield single("is", Json.obj(m));
      }
      case Expr.SetLit x -> {
        List<Json> items = new ArrayList<>();
        x.elements().forEach(i -> items.add(toJson(i)));
        yield single("Set", Json.arr(items));
      }
      case Expr.RecordLit x -> {
        Map<String, Json> m = new LinkedHashMap<>();
        x.fields().forEach((k, v) -> m.put(k, toJson(v)));
        yield single("Record", Json.obj(m));
      }
      case Expr.ExtCall x -> {
        List<Json> args = new ArrayList<>();
        x.args().forEach(a -> args.add(toJson(a)));
        yield single(x.function(), Json.arr(args));
      }
    };
  }

  private static Json single(String key, Json value) {
    return Json.obj(Map.of(key, value));
  }

  private static Json leftRight(Expr l, Expr r) {
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("left", toJson(l));
    m.put("right", toJson(r));
    return Json.obj(m);
  }

  private static Json leftAttr(Expr l, String attr) {
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("left", toJson(l));
    m.put("attr", Json.str(attr));
    return Json.obj(m);
  }

  // ------------------------------------------------------------------ JSON -> AST

  /**
   * Parses one policy or template in JSON form.
   *
   * @throws ParseException when the JSON is not a valid policy
   */
  public static Policy parsePolicy(String text, String id) {
    return JsonReader.onSufficientStack(text,
        () -> new PolicyJson(text).policy(JsonReader.parse(text), id));
  }

  /**
   * Parses a policy set in JSON form: {@code {"staticPolicies", "templates", "templateLinks"}}.
   *
   * @throws ParseException when the JSON is not a valid policy set
   */
  public static PolicySet parsePolicySet(String text) {
    return JsonReader.onSufficientStack(text, () -> parsePolicySetHere(text));
  }

  private static PolicySet parsePolicySetHere(String text) {
    PolicyJson pj = new PolicyJson(text);
    Json.Obj o = pj.obj(JsonReader.parse(text), "a policy set");
    List<Policy> all = new ArrayList<>();
    for (String key : List.of("staticPolicies", "templates")) {
      if (o.get(key) != null) {
        for (Map.Entry<String, Json> e : pj.obj(o.get(key), "`" + key + "`").fields().entrySet()) {
          Policy p = pj.policy(e.getValue(), e.getKey());
          if (key.equals("staticPolicies") == p.isTemplate()) {
            throw pj.vj.error(e.getValue(), "policy `" + e.getKey() + "` is " + (p.isTemplate() ? "a template" : "not a template"));
          }
          all.add(p);
        }
      }
    }
    PolicySet ps;
    try {
      ps = PolicySet.of(all);
      if (o.get("templateLinks") != null) {
        for (Json l : pj.arr(o.get("templateLinks"), "`templateLinks`").items()) {
          Json.Obj lo = pj.obj(l, "a template link");
          Map<Slot, EntityUid> values = new java.util.EnumMap<>(Slot.class);
          if (lo.get("values") != null) {
            for (Map.Entry<String, Json> v : pj.obj(lo.get("values"), "`values`").fields().entrySet()) {
              Slot slot =
                  switch (v.getKey()) {
                    case "?principal" -> Slot.PRINCIPAL;
                    case "?resource" -> Slot.RESOURCE;
                    default -> throw pj.vj.error(v.getValue(), "invalid slot `" + v.getKey() + "`");
                  };
              values.put(slot, pj.vj.uid(v.getValue()));
            }
          }
          ps = ps.link(pj.str(lo.get("templateId"), "`templateId`"), pj.str(lo.get("newId"), "`newId`"), values);
        }
      }
    } catch (ParseException e) {
      throw e;
    } catch (dev.gatehouse.cedar.CedarException e) {
      throw new ParseException(e.getMessage(), 1, 1);
    }
    return ps;
  }

  /**
   * Parses a policy from a JSON tree.
   *
   * @throws ParseException when the JSON is not a valid policy
   */
  public static Policy fromJson(Json j, String id) {
    return new PolicyJson("").policy(j, id);
  }

  /**
   * Parses an expression from a JSON tree.
   *
   * @throws ParseException when the JSON is not a valid expression
   */
  public static Expr exprFromJson(Json j) {
    return new PolicyJson("").expr(j);
  }

  private Policy policy(Json j, String id) {
    Json.Obj o = obj(j, "a policy");
    String effectText = str(o.get("effect"), "`effect`");
    Effect effect =
        switch (effectText) {
          case "permit" -> Effect.PERMIT;
          case "forbid" -> Effect.FORBID;
          default -> throw vj.error(j, "invalid effect `" + effectText + "`");
        };
    ScopeConstraint principal = scope(o.get("principal"), Slot.PRINCIPAL, false);
    ScopeConstraint action = scope(o.get("action"), null, true);
    ScopeConstraint resource = scope(o.get("resource"), Slot.RESOURCE, false);
    List<Condition> conds = new ArrayList<>();
    if (o.get("conditions") != null) {
      for (Json c : arr(o.get("conditions"), "`conditions`").items()) {
        Json.Obj co = obj(c, "a condition");
        String kind = str(co.get("kind"), "`kind`");
        if (!kind.equals("when") && !kind.equals("unless")) {
          throw vj.error(c, "invalid condition kind `" + kind + "`");
        }
        if (co.get("body") == null) {
          throw vj.error(c, "condition is missing `body`");
        }
        conds.add(new Condition(kind.equals("when"), expr(co.get("body"))));
      }
    }
    List<Annotation> annotations = new ArrayList<>();
    if (o.get("annotations") != null) {
      for (Map.Entry<String, Json> a : obj(o.get("annotations"), "`annotations`").fields().entrySet()) {
        annotations.add(new Annotation(a.getKey(), a.getValue() instanceof Json.Null ? "" : str(a.getValue(), "an annotation value")));
      }
    }
    return new Policy(id, effect, annotations, principal, action, resource, conds);
  }

  private ScopeConstraint scope(Json j, Slot slot, boolean action) {
    if (j == null) {
      throw new ParseException("policy is missing a scope constraint", 1, 1);
    }
    Json.Obj o = obj(j, "a scope constraint");
    String op = str(o.get("op"), "`op`");
    switch (op) {
      case "All" -> {
        return ScopeConstraint.ANY;
      }
      case "==" -> {
        return new ScopeConstraint.Eq(ref(o, slot, action));
      }
      case "in" -> {
        if (action && o.get("entities") != null) {
          List<EntityUid> uids = new ArrayList<>();
          for (Json u : arr(o.get("entities"), "`entities`").items()) {
            uids.add(actionUid(u));
          }
          return new ScopeConstraint.InSet(uids);
        }
        return new ScopeConstraint.In(ref(o, slot, action));
      }
      case "is" -> {
        if (action) {
          throw vj.error(j, "`is` is not allowed in the action scope");
        }
        EntityType type = typeName(o.get("entity_type"), "`entity_type`");
        if (o.get("in") != null) {
          return new ScopeConstraint.IsIn(type, ref(obj(o.get("in"), "`in`"), slot, false));
        }
        return new ScopeConstraint.Is(type);
      }
      default -> throw vj.error(j, "invalid scope operator `" + op + "`");
    }
  }

  private EntityRef ref(Json.Obj o, Slot slot, boolean action) {
    if (o.get("entity") != null) {
      return action ? actionUid(o.get("entity")) : vj.uid(o.get("entity"));
    }
    if (o.get("slot") != null && !action) {
      String s = str(o.get("slot"), "`slot`");
      if (!s.equals(slot.text())) {
        throw vj.error(o, "expected slot `" + slot.text() + "`, found `" + s + "`");
      }
      return slot;
    }
    throw vj.error(o, "scope constraint needs `entity`" + (action ? "" : " or `slot`"));
  }

  private EntityType typeName(Json j, String what) {
    String name = str(j, what);
    if (!dev.gatehouse.cedar.ast.Names.isValidName(name)) {
      throw vj.error(j, "invalid entity type name `" + name + "`");
    }
    return EntityType.of(name);
  }

  private EntityUid actionUid(Json j) {
    EntityUid uid = vj.uid(j);
    if (!uid.type().isAction()) {
      throw vj.error(j, "expected an entity uid with type `Action` in the action scope, found `" + uid + "`");
    }
    return uid;
  }

  Expr expr(Json j) {
    Json.Obj o = obj(j, "an expression");
    if (o.fields().size() != 1) {
      throw vj.error(j, "an expression object must have exactly one key");
    }
    Map.Entry<String, Json> e = o.fields().entrySet().iterator().next();
    String k = e.getKey();
    Json v = e.getValue();
    return switch (k) {
      case "Value" -> literal(v);
      case "Var" -> {
        String name = str(v, "a variable");
        yield new Expr.VarRef(
            switch (name) {
              case "principal" -> Var.PRINCIPAL;
              case "action" -> Var.ACTION;
              case "resource" -> Var.RESOURCE;
              case "context" -> Var.CONTEXT;
              default -> throw vj.error(v, "invalid variable `" + name + "`");
            });
      }
      case "Slot" -> {
        String s = str(v, "a slot");
        yield new Expr.SlotRef(
            switch (s) {
              case "?principal" -> Slot.PRINCIPAL;
              case "?resource" -> Slot.RESOURCE;
              default -> throw vj.error(v, "invalid slot `" + s + "`");
            });
      }
      case "!" -> new Expr.Unary(UnaryOp.NOT, arg(v));
      case "neg" -> new Expr.Unary(UnaryOp.NEG, arg(v));
      case "isEmpty" -> new Expr.Unary(UnaryOp.IS_EMPTY, arg(v));
      case "&&" -> new Expr.And(side(v, "left"), side(v, "right"));
      case "||" -> new Expr.Or(side(v, "left"), side(v, "right"));
      case "if-then-else" -> new Expr.If(side(v, "if"), side(v, "then"), side(v, "else"));
      case "." -> new Expr.GetAttr(side(v, "left"), str(obj(v, "`.`").get("attr"), "`attr`"));
      case "has" -> new Expr.HasAttr(side(v, "left"), str(obj(v, "`has`").get("attr"), "`attr`"));
      case "like" -> new Expr.Like(side(v, "left"), pattern(obj(v, "`like`").get("pattern")));
      case "is" -> {
        Json.Obj io = obj(v, "`is`");
        Expr left = side(v, "left");
        Expr.Is is = new Expr.Is(left, typeName(io.get("entity_type"), "`entity_type`"));
        yield io.get("in") == null ? is : new Expr.And(is, new Expr.Binary(BinaryOp.IN, left, expr(io.get("in"))));
      }
      case "Set" -> {
        List<Expr> items = new ArrayList<>();
        for (Json x : arr(v, "`Set`").items()) {
          items.add(expr(x));
        }
        yield new Expr.SetLit(items);
      }
      case "Record" -> {
        Map<String, Expr> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Json> f : obj(v, "`Record`").fields().entrySet()) {
          fields.put(f.getKey(), expr(f.getValue()));
        }
        yield new Expr.RecordLit(fields);
      }
      default -> {
        BinaryOp op = binaryOp(k);
        if (op != null) {
          yield new Expr.Binary(op, side(v, "left"), side(v, "right"));
        }
        if (Extensions.isFunction(k)) {
          List<Expr> args = new ArrayList<>();
          for (Json x : arr(v, "the arguments of `" + k + "`").items()) {
            args.add(expr(x));
          }
          yield new Expr.ExtCall(k, args);
        }
        throw vj.error(j, "unknown expression kind `" + k + "`");
      }
    };
  }

  private static BinaryOp binaryOp(String k) {
    for (BinaryOp op : BinaryOp.values()) {
      if (op.text().equals(k)) {
        return op;
      }
    }
    return null;
  }

  private Expr literal(Json v) {
    return switch (v) {
      case Json.Bool b -> new Expr.BoolLit(b.value());
      case Json.Num n -> {
        try {
          yield new Expr.LongLit(n.longValue());
        } catch (NumberFormatException e) {
          throw vj.error(v, "`" + n.text() + "` is not a 64-bit integer");
        }
      }
      case Json.Str s -> new Expr.StringLit(s.value());
      case Json.Arr a -> {
        List<Expr> items = new ArrayList<>();
        a.items().forEach(x -> items.add(literal(x)));
        yield new Expr.SetLit(items);
      }
      case Json.Obj o -> {
        if (o.fields().size() == 1 && o.get("__entity") != null) {
          yield new Expr.EntityLit(vj.uid(o.get("__entity")));
        }
        if (o.fields().size() == 1 && o.get("__extn") instanceof Json.Obj x && x.get("fn") instanceof Json.Str fn && x.get("arg") != null) {
          yield new Expr.ExtCall(fn.value(), List.of(literal(x.get("arg"))));
        }
        Map<String, Expr> fields = new LinkedHashMap<>();
        o.fields().forEach((key, x) -> fields.put(key, literal(x)));
        yield new Expr.RecordLit(fields);
      }
      case Json.Null n -> throw vj.error(v, "`null` is not a valid Cedar value");
    };
  }

  private Pattern pattern(Json j) {
    List<String> chunks = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (Json el : arr(j, "`pattern`").items()) {
      if (el instanceof Json.Str s && s.value().equals("Wildcard")) {
        chunks.add(cur.toString());
        cur.setLength(0);
      } else if (el instanceof Json.Obj o && o.fields().size() == 1 && o.get("Literal") instanceof Json.Str lit) {
        cur.append(lit.value());
      } else {
        throw vj.error(el, "a pattern element is `\"Wildcard\"` or `{\"Literal\": ..}`");
      }
    }
    chunks.add(cur.toString());
    return new Pattern(chunks);
  }

  private Expr arg(Json v) {
    return side(v, "arg");
  }

  private Expr side(Json v, String key) {
    Json.Obj o = obj(v, "an operator object");
    Json x = o.get(key);
    if (x == null) {
      throw vj.error(v, "missing `" + key + "`");
    }
    return expr(x);
  }

  private Json.Obj obj(Json j, String what) {
    if (j instanceof Json.Obj o) {
      return o;
    }
    throw vj.error(j, "expected " + what + " as a JSON object");
  }

  private Json.Arr arr(Json j, String what) {
    if (j instanceof Json.Arr a) {
      return a;
    }
    throw vj.error(j == null ? new Json.Null(-1) : j, "expected " + what + " as a JSON array");
  }

  private String str(Json j, String what) {
    if (j instanceof Json.Str s) {
      return s.value();
    }
    throw vj.error(j == null ? new Json.Null(-1) : j, "expected " + what + " as a JSON string");
  }
}
