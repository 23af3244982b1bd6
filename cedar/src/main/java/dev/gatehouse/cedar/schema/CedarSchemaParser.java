package dev.gatehouse.cedar.schema;

import dev.gatehouse.cedar.schema.RawSchema.ActionDecl;
import dev.gatehouse.cedar.schema.RawSchema.ActionRef;
import dev.gatehouse.cedar.schema.RawSchema.Attr;
import dev.gatehouse.cedar.schema.RawSchema.CommonDecl;
import dev.gatehouse.cedar.schema.RawSchema.EntityDecl;
import dev.gatehouse.cedar.schema.RawSchema.NameKind;
import dev.gatehouse.cedar.schema.RawSchema.Named;
import dev.gatehouse.cedar.schema.RawSchema.Pos;
import dev.gatehouse.cedar.schema.RawSchema.Rec;
import dev.gatehouse.cedar.schema.RawSchema.TypeExpr;
import dev.gatehouse.cedar.schema.SchemaLexer.Kind;
import dev.gatehouse.cedar.schema.SchemaLexer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser for the Cedar schema syntax ({@code .cedarschema}).
 *
 * <p>It follows upstream's grammar ({@code cedar-policy-validator/src/cedar_schema/grammar.lalrpop}):
 * <pre>
 * Schema    := {Namespace}
 * Namespace := Annotations 'namespace' Path '{' {Decl} '}' | Decl
 * Decl      := Entity | Action | TypeDecl
 * Entity    := Annotations 'entity' Idents ['in' EntOrTyps] [['='] RecType] ['tags' Type] ';'
 *            | Annotations 'entity' Idents 'enum' '[' STR {',' STR} ']' ';'
 * Action    := Annotations 'action' Names ['in' RefOrRefs] [AppliesTo] ';'
 * TypeDecl  := Annotations 'type' IDENT '=' Type ';'
 * Type      := Path | 'Set' '&lt;' Type '&gt;' | RecType
 * </pre>
 * Annotations are parsed and dropped: they never change validation.
 *
 * @see <a href="https://docs.cedarpolicy.com/schema/human-readable-schema-grammar.html">Cedar
 *     schema grammar</a>
 */
final class CedarSchemaParser {

  /** Nesting limit for types, so that hostile input fails cleanly instead of overflowing the stack. */
  static final int MAX_DEPTH = 64;

  /**
   * Words that cannot be identifiers. Unlike in policies, {@code __cedar} may appear as a path
   * component: it names the builtin types ({@code __cedar::Long}).
   */
  private static final Set<String> RESERVED =
      Set.of("true", "false", "if", "then", "else", "in", "is", "like", "has");

  private final List<Token> tokens;
  private int i;
  private int depth;
  private final RawSchema out = new RawSchema();

  private CedarSchemaParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** Parses schema text into declarations, or throws {@link SchemaException}. */
  static RawSchema parse(String text) {
    CedarSchemaParser p = new CedarSchemaParser(SchemaLexer.tokenize(text));
    p.schema();
    return p.out;
  }

  private void schema() {
    Set<String> seenNamespaces = new HashSet<>();
    while (peek().kind() != Kind.EOF) {
      annotations();
      if (peek().is("namespace")) {
        Token start = next();
        String ns = path();
        if (!seenNamespaces.add(ns)) {
          throw error(start, "duplicate namespace `" + ns + "`");
        }
        if (ns.equals("__cedar") || ns.startsWith("__cedar::")) {
          throw error(start, "the `__cedar` namespace is reserved");
        }
        out.namespaces.add(ns);
        expect("{");
        while (!peek().is("}")) {
          if (peek().kind() == Kind.EOF) {
            throw error(peek(), "expected `}`, found end of input");
          }
          annotations();
          decl(ns);
        }
        next();
      } else {
        decl("");
      }
    }
  }

  private void decl(String ns) {
    Token t = peek();
    if (t.is("entity")) {
      next();
      entity(ns, pos(t));
    } else if (t.is("action")) {
      next();
      action(ns, pos(t));
    } else if (t.is("type")) {
      next();
      Token name = expectIdent();
      expect("=");
      TypeExpr type = type();
      expect(";");
      out.commons.add(new CommonDecl(ns, name.text(), type, pos(name)));
    } else {
      throw error(t, "expected `entity`, `action`, `type` or `namespace`, found " + t.describe());
    }
  }

  private void entity(String ns, Pos pos) {
    List<Token> names = new ArrayList<>();
    names.add(expectIdent());
    while (accept(",")) {
      names.add(expectIdent());
    }
    List<Named> memberOf = List.of();
    TypeExpr shape = null;
    TypeExpr tags = null;
    List<String> enumIds = null;
    if (accept("enum")) {
      expect("[");
      enumIds = new ArrayList<>();
      do {
        enumIds.add(expectString().text());
      } while (accept(","));
      expect("]");
    } else {
      if (accept("in")) {
        memberOf = entityTypes();
      }
      boolean eq = accept("=");
      if (peek().is("{")) {
        shape = recordType();
      } else if (eq) {
        throw error(peek(), "expected `{`, found " + peek().describe());
      }
      if (accept("tags")) {
        tags = type();
      }
    }
    expect(";");
    for (Token n : names) {
      out.entities.add(new EntityDecl(ns, n.text(), memberOf, shape, tags, enumIds, pos(n)));
    }
  }

  private void action(String ns, Pos pos) {
    List<Token> names = new ArrayList<>();
    names.add(name());
    while (accept(",")) {
      names.add(name());
    }
    List<ActionRef> memberOf = new ArrayList<>();
    if (accept("in")) {
      if (accept("[")) {
        do {
          memberOf.add(actionRef());
        } while (accept(","));
        expect("]");
      } else {
        memberOf.add(actionRef());
      }
    }
    boolean hasAppliesTo = false;
    List<Named> principals = List.of();
    List<Named> resources = List.of();
    TypeExpr context = null;
    if (peek().is("appliesTo")) {
      Token at = next();
      hasAppliesTo = true;
      expect("{");
      boolean seenP = false;
      boolean seenR = false;
      boolean seenC = false;
      while (!peek().is("}")) {
        Token key = next();
        expect(":");
        if (key.is("principal") && !seenP) {
          seenP = true;
          principals = entityTypes();
        } else if (key.is("resource") && !seenR) {
          seenR = true;
          resources = entityTypes();
        } else if (key.is("context") && !seenC) {
          seenC = true;
          context = peek().is("{") ? recordType() : new Named(path(), NameKind.ENTITY_OR_COMMON, pos(key));
        } else {
          throw error(key, "expected `principal`, `resource` or `context`, found " + key.describe());
        }
        if (!accept(",")) {
          break;
        }
      }
      expect("}");
      if (!seenP) {
        throw error(at, "missing `principal` declaration in `appliesTo`");
      }
      if (!seenR) {
        throw error(at, "missing `resource` declaration in `appliesTo`");
      }
    }
    if (accept("attributes")) {
      // Upstream's grammar still accepts an empty `attributes {}`; anything inside is unsupported.
      expect("{");
      if (!peek().is("}")) {
        throw error(peek(), "action attributes are not supported");
      }
      expect("}");
    }
    expect(";");
    for (Token n : names) {
      out.actions.add(
          new ActionDecl(ns, n.text(), memberOf, hasAppliesTo, principals, resources, context, pos(n)));
    }
  }

  /** {@code Path '::' STR | Name}. */
  private ActionRef actionRef() {
    Token first = peek();
    if (first.kind() == Kind.STRING) {
      next();
      return new ActionRef(null, first.text(), pos(first));
    }
    StringBuilder path = new StringBuilder(expectIdent().text());
    while (accept("::")) {
      Token t = next();
      if (t.kind() == Kind.STRING) {
        return new ActionRef(path.toString(), t.text(), pos(first));
      }
      if (t.kind() != Kind.IDENT) {
        throw error(t, "expected identifier or string literal, found " + t.describe());
      }
      if (RESERVED.contains(t.text())) {
        throw error(t, "`" + t.text() + "` is a reserved identifier");
      }
      path.append("::").append(t.text());
    }
    if (path.indexOf("::") >= 0) {
      throw error(first, "expected `::` and a string literal after `" + path + "`");
    }
    return new ActionRef(null, path.toString(), pos(first));
  }

  /** {@code Path | '[' [Path {',' Path}] ']'}. */
  private List<Named> entityTypes() {
    List<Named> types = new ArrayList<>();
    if (accept("[")) {
      if (!peek().is("]")) {
        do {
          Token t = peek();
          types.add(new Named(path(), NameKind.ENTITY, pos(t)));
        } while (accept(","));
      }
      expect("]");
    } else {
      Token t = peek();
      types.add(new Named(path(), NameKind.ENTITY, pos(t)));
    }
    return types;
  }

  private TypeExpr type() {
    if (++depth > MAX_DEPTH) {
      throw error(peek(), "type is nested too deeply");
    }
    try {
      Token t = peek();
      if (t.is("{")) {
        return recordType();
      }
      if (t.is("Set") && tokens.get(i + 1).is("<")) {
        next();
        next();
        TypeExpr element = type();
        expect(">");
        return new RawSchema.SetOf(element, pos(t));
      }
      return new Named(path(), NameKind.ENTITY_OR_COMMON, pos(t));
    } finally {
      depth--;
    }
  }

  private Rec recordType() {
    if (++depth > MAX_DEPTH) {
      throw error(peek(), "type is nested too deeply");
    }
    Token open = expect("{");
    LinkedHashMap<String, Attr> attrs = new LinkedHashMap<>();
    while (!peek().is("}")) {
      annotations();
      Token n = name();
      boolean optional = accept("?");
      expect(":");
      TypeExpr t = type();
      // Upstream collects attributes into a map: a repeated name silently replaces the earlier one.
      attrs.remove(n.text());
      attrs.put(n.text(), new Attr(t, !optional));
      if (!accept(",")) {
        break;
      }
    }
    expect("}");
    depth--;
    return new Rec(attrs, pos(open));
  }

  private void annotations() {
    Set<String> keys = new HashSet<>();
    while (accept("@")) {
      Token key = expectAnyIdent();
      if (!keys.add(key.text())) {
        throw error(key, "duplicate annotations: `" + key.text() + "`");
      }
      if (accept("(")) {
        expectString();
        expect(")");
      }
    }
  }

  private String path() {
    StringBuilder b = new StringBuilder(expectIdent().text());
    while (peek().is("::") && tokens.get(i + 1).kind() == Kind.IDENT) {
      next();
      b.append("::").append(expectIdent().text());
    }
    return b.toString();
  }

  private Token name() {
    if (peek().kind() == Kind.IDENT) {
      return expectIdent();
    }
    Token t = next();
    if (t.kind() != Kind.STRING) {
      throw error(t, "expected identifier or string literal, found " + t.describe());
    }
    return t;
  }

  /** An identifier that is not one of Cedar's reserved words (upstream's {@code Ident}). */
  private Token expectIdent() {
    Token t = expectAnyIdent();
    if (RESERVED.contains(t.text())) {
      throw error(t, "`" + t.text() + "` is a reserved identifier");
    }
    return t;
  }

  /** Any identifier, reserved words included (upstream's {@code AnyIdent}, for annotation keys). */
  private Token expectAnyIdent() {
    Token t = next();
    if (t.kind() != Kind.IDENT) {
      throw error(t, "expected identifier, found " + t.describe());
    }
    return t;
  }

  private Token expectString() {
    Token t = next();
    if (t.kind() != Kind.STRING) {
      throw error(t, "expected string literal, found " + t.describe());
    }
    return t;
  }

  private Token expect(String punct) {
    Token t = next();
    if (!(t.kind() == Kind.PUNCT && t.text().equals(punct))) {
      throw error(t, "expected `" + punct + "`, found " + t.describe());
    }
    return t;
  }

  private boolean accept(String punctOrIdent) {
    if (peek().is(punctOrIdent)) {
      i++;
      return true;
    }
    return false;
  }

  private Token peek() {
    return tokens.get(i);
  }

  private Token next() {
    Token t = tokens.get(i);
    // INVARIANT: the last token is EOF and is never consumed, so i stays in range.
    if (t.kind() != Kind.EOF) {
      i++;
    }
    return t;
  }

  private static Pos pos(Token t) {
    return new Pos(t.line(), t.column());
  }

  private static SchemaException error(Token t, String message) {
    return new SchemaException(t.line(), t.column(), message);
  }
}
