package dev.gatehouse.cedar.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Schema declarations as written, before name resolution: what both the Cedar syntax parser
 * and the JSON parser produce, and what {@link SchemaResolver} turns into a {@link Schema}.
 *
 * <p>Names here are as written (possibly unqualified); each declaration remembers its namespace
 * ({@code ""} for the empty namespace) because resolution depends on it.
 */
final class RawSchema {

  /** A place in the source; line 0 means unknown (JSON input). */
  record Pos(int line, int column) {
    static final Pos NONE = new Pos(0, 0);

    SchemaException error(String message) {
      return line == 0 ? new SchemaException(message) : new SchemaException(line, column, message);
    }
  }

  /** How a type name may be resolved. */
  enum NameKind {
    /** A common type, an entity type, or a builtin type, in upstream's order. */
    ENTITY_OR_COMMON,
    /** Only an entity type (JSON {@code "type": "Entity"}, {@code in}, {@code appliesTo}). */
    ENTITY,
    /** Only an extension type (JSON {@code "type": "Extension"}). */
    EXTENSION
  }

  /** A type as written. */
  sealed interface TypeExpr {}

  /** A reference to a type by name. */
  record Named(String name, NameKind kind, Pos pos) implements TypeExpr {}

  /** A builtin primitive written unambiguously (JSON {@code "type": "Long"}). */
  record Prim(SchemaType type) implements TypeExpr {}

  /** {@code Set<T>}. */
  record SetOf(TypeExpr element, Pos pos) implements TypeExpr {}

  /** A record type; attribute order is kept. */
  record Rec(LinkedHashMap<String, Attr> attributes, Pos pos) implements TypeExpr {}

  /** One attribute of a record type. */
  record Attr(TypeExpr type, boolean required) {}

  /** A reference to an action: its type as written ({@code null} means this namespace's {@code Action}) and its id. */
  record ActionRef(String type, String id, Pos pos) {}

  /** {@code type Name = T;} */
  record CommonDecl(String namespace, String name, TypeExpr type, Pos pos) {}

  /** {@code entity Name in [...] = {...} tags T;} or {@code entity Name enum [...];} */
  record EntityDecl(
      String namespace,
      String name,
      List<Named> memberOf,
      TypeExpr shape,
      TypeExpr tags,
      List<String> enumIds,
      Pos pos) {}

  /** {@code action "name" in [...] appliesTo {...};} */
  record ActionDecl(
      String namespace,
      String id,
      List<ActionRef> memberOf,
      boolean hasAppliesTo,
      List<Named> principals,
      List<Named> resources,
      TypeExpr context,
      Pos pos) {}

  final List<String> namespaces = new ArrayList<>();
  final List<CommonDecl> commons = new ArrayList<>();
  final List<EntityDecl> entities = new ArrayList<>();
  final List<ActionDecl> actions = new ArrayList<>();

  static String qualify(String namespace, String name) {
    return namespace.isEmpty() ? name : namespace + "::" + name;
  }
}
