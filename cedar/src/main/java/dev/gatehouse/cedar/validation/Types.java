package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.schema.EntityTypeDef;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.schema.SchemaType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lattice operations on {@link Type}: subtyping, least upper bounds, disjointness and
 * attribute lookup, following upstream's {@code types.rs}.
 *
 * <p>Strict mode forbids width subtyping on records and any mixing of entity types, so that
 * {@code [User::"a", Group::"b"]} or {@code if c then 1 else "a"} have no type at all. Checks that
 * an operand "is an entity" or "is a record" use the permissive relation, as upstream does, so
 * that {@code principal.name} is not rejected for naming a concrete entity type.
 */
final class Types {
  private final Schema schema;
  // Concurrent: one Validator may serve many threads (a server caches it per schema).
  private final Map<String, Rec> entityAttrs = new ConcurrentHashMap<>();

  private record Rec(Map<String, Type.Attr> attrs) {}

  Types(Schema schema) {
    this.schema = schema;
  }

  Schema schema() {
    return schema;
  }

  /** The validator type of a schema type; schema records are closed. */
  static Type fromSchema(SchemaType t) {
    return switch (t) {
      case SchemaType.Bool b -> Type.BOOL;
      case SchemaType.Long l -> Type.LONG;
      case SchemaType.Str s -> Type.STRING;
      case SchemaType.SetOf s -> new Type.SetOf(fromSchema(s.element()));
      case SchemaType.Entity e -> Type.Entity.of(e.name());
      case SchemaType.Extension x -> new Type.Ext(x.name());
      case SchemaType.Record r -> recordFromSchema(r);
    };
  }

  static Type.Rec recordFromSchema(SchemaType.Record r) {
    Map<String, Type.Attr> attrs = new LinkedHashMap<>();
    r.attributes().forEach((k, a) -> attrs.put(k, new Type.Attr(fromSchema(a.type()), a.required())));
    return new Type.Rec(attrs, false);
  }

  /** The attributes of an entity type; unknown types have none. */
  Map<String, Type.Attr> attributesOf(String entityType) {
    return entityAttrs.computeIfAbsent(entityType, n -> {
      EntityTypeDef d = schema.entityType(n);
      return new Rec(d == null ? Map.of() : recordFromSchema(d.attributes()).attrs());
    }).attrs();
  }

  boolean isSubtype(Type a, Type b, boolean strict) {
    if (a instanceof Type.Never) {
      return true;
    }
    if (a instanceof Type.True || a instanceof Type.False) {
      return b instanceof Type.Bool || a.equals(b);
    }
    if (a instanceof Type.Bool || a instanceof Type.Long || a instanceof Type.Str || a instanceof Type.Ext) {
      return a.equals(b);
    }
    if (a instanceof Type.SetOf sa && b instanceof Type.SetOf sb) {
      if (sb.element() == null) {
        return true;
      }
      return sa.element() != null && isSubtype(sa.element(), sb.element(), strict);
    }
    if (a instanceof Type.Rec ra && b instanceof Type.Rec rb) {
      if (ra.open() && !rb.open()) {
        return false;
      }
      return (rb.open() && !strict && attrsSubtype(ra.attrs(), rb.attrs(), strict))
          || (ra.attrs().keySet().equals(rb.attrs().keySet()) && attrsSubtype(ra.attrs(), rb.attrs(), strict));
    }
    if (a instanceof Type.ActionEntity && b instanceof Type.ActionEntity) {
      return a.equals(b);
    }
    if (a instanceof Type.Entity ea && b instanceof Type.Entity eb) {
      return strict ? ea.equals(eb) : eb.lub().containsAll(ea.lub());
    }
    if (a instanceof Type.AnyEntity) {
      return b instanceof Type.AnyEntity;
    }
    if ((a instanceof Type.Entity || a instanceof Type.ActionEntity) && b instanceof Type.AnyEntity) {
      return !strict;
    }
    return false;
  }

  private boolean attrsSubtype(Map<String, Type.Attr> a, Map<String, Type.Attr> b, boolean strict) {
    for (Map.Entry<String, Type.Attr> e : b.entrySet()) {
      Type.Attr mine = a.get(e.getKey());
      if (mine == null) {
        return false;
      }
      Type.Attr theirs = e.getValue();
      boolean qualifier = strict ? mine.required() == theirs.required() : mine.required() || !theirs.required();
      if (!qualifier || !isSubtype(mine.type(), theirs.type(), strict)) {
        return false;
      }
    }
    return true;
  }

  /** The least upper bound of two types, or {@code null} when they have none (a type error). */
  Type lub(Type a, Type b, boolean strict) {
    if (isSubtype(a, b, strict)) {
      return b;
    }
    if (isSubtype(b, a, strict)) {
      return a;
    }
    if (a.isBoolean() && b.isBoolean()) {
      return Type.BOOL;
    }
    if (a instanceof Type.SetOf sa && b instanceof Type.SetOf sb) {
      if (sa.element() == null || sb.element() == null) {
        return Type.ANY_SET;
      }
      Type e = lub(sa.element(), sb.element(), strict);
      return e == null ? null : new Type.SetOf(e);
    }
    if (a instanceof Type.Rec ra && b instanceof Type.Rec rb) {
      return recordLub(ra, rb, strict);
    }
    if (a instanceof Type.ActionEntity && b instanceof Type.ActionEntity) {
      return strict ? null : Type.ANY_ENTITY;
    }
    if (a instanceof Type.Entity ea && b instanceof Type.Entity eb) {
      if (strict) {
        return null;
      }
      TreeSet<String> u = new TreeSet<>(ea.lub());
      u.addAll(eb.lub());
      return new Type.Entity(u);
    }
    boolean entityA = a instanceof Type.Entity || a instanceof Type.ActionEntity || a instanceof Type.AnyEntity;
    boolean entityB = b instanceof Type.Entity || b instanceof Type.ActionEntity || b instanceof Type.AnyEntity;
    if (entityA && entityB) {
      return strict ? null : Type.ANY_ENTITY;
    }
    return null;
  }

  private Type recordLub(Type.Rec a, Type.Rec b, boolean strict) {
    if (strict && !a.attrs().keySet().equals(b.attrs().keySet())) {
      return null;
    }
    Map<String, Type.Attr> out = new LinkedHashMap<>();
    for (Map.Entry<String, Type.Attr> e : a.attrs().entrySet()) {
      Type.Attr other = b.attrs().get(e.getKey());
      if (other == null) {
        continue;
      }
      Type t = lub(e.getValue().type(), other.type(), strict);
      boolean sameQualifier = e.getValue().required() == other.required();
      if (t == null || (strict && !sameQualifier)) {
        if (strict) {
          return null;
        }
        continue;
      }
      out.put(e.getKey(), new Type.Attr(t, e.getValue().required() && other.required()));
    }
    Set<String> all = new TreeSet<>(a.attrs().keySet());
    all.addAll(b.attrs().keySet());
    boolean open = a.open() || b.open() || !out.keySet().equals(all);
    return new Type.Rec(out, open);
  }

  /** Whether no value has both types; conservative: only entity types are ever disjoint. */
  static boolean disjoint(Type a, Type b) {
    Set<String> la = entityNames(a);
    Set<String> lb = entityNames(b);
    if (la == null || lb == null) {
      return false;
    }
    for (String n : la) {
      if (lb.contains(n)) {
        return false;
      }
    }
    return true;
  }

  /** The entity type names of an entity or action entity type, or {@code null} for other types. */
  static Set<String> entityNames(Type t) {
    if (t instanceof Type.Entity e) {
      return e.lub();
    }
    if (t instanceof Type.ActionEntity a) {
      return Set.of(a.name());
    }
    return null;
  }

  /**
   * The type of attribute {@code attr} of an entity or record type, or {@code null} when it is
   * known not to exist or its type cannot be known (any entity).
   */
  Type.Attr lookupAttr(Type t, String attr) {
    return switch (t) {
      case Type.Rec r -> r.attrs().get(attr);
      case Type.Entity e -> entityLubAttrs(e).get(attr);
      default -> null;
    };
  }

  /** The attributes every entity type of a bound has, with the lub of their types. */
  Map<String, Type.Attr> entityLubAttrs(Type.Entity e) {
    Map<String, Type.Attr> acc = null;
    for (String n : e.lub()) {
      Map<String, Type.Attr> next = attributesOf(n);
      if (acc == null) {
        acc = next;
      } else {
        Type.Rec l = (Type.Rec) recordLub(new Type.Rec(acc, false), new Type.Rec(next, false), false);
        acc = l.attrs();
      }
    }
    return acc == null ? Map.of() : acc;
  }

  /** Whether a value of type {@code t} could have attribute {@code attr}. */
  boolean mayHaveAttr(Type t, String attr) {
    return switch (t) {
      case Type.Never n -> true;
      case Type.AnyEntity a -> true;
      case Type.Rec r -> r.open() || r.attrs().containsKey(attr);
      case Type.Entity e -> {
        for (String n : e.lub()) {
          if (schema.entityType(n) == null || attributesOf(n).containsKey(attr)) {
            yield true;
          }
        }
        yield false;
      }
      default -> false;
    };
  }
}
