package dev.gatehouse.cedar.parser;

import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.ast.Annotation;
import dev.gatehouse.cedar.ast.BinaryOp;
import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.Effect;
import dev.gatehouse.cedar.ast.EntityRef;
import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Names;
import dev.gatehouse.cedar.ast.Pattern;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.ast.Slot;
import dev.gatehouse.cedar.ast.SourceSpan;
import dev.gatehouse.cedar.ast.UnaryOp;
import dev.gatehouse.cedar.ast.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recursive-descent parser behind {@link PolicyParser}.
 *
 * <p>Grammar (Cedar 4.x, precedence low to high): {@code Expr := Or | if Expr then Expr else Expr};
 * {@code Or := And {|| And}}; {@code And := Relation {&& Relation}}; {@code Relation := Add [RelOp
 * Add] | Add has Path | Add like STR | Add is Name [in Add]}; {@code Add := Mult {(+|-) Mult}};
 * {@code Mult := Unary {* Unary}}; {@code Unary := [! x1..4 | - x1..4] Member}; {@code Member :=
 * Primary {.IDENT [(args)] | [STR]}}.
 *
 * <p>Recursion only happens through {@link #expr()}, which counts its depth against {@link
 * PolicyParser#MAX_NESTING}. A level costs about ten frames (expr, or, and, ... primary), so the
 * limit alone needs more stack than a small thread has: text that may nest deeper than {@link
 * dev.gatehouse.cedar.DeepStack#INLINE_DEPTH} ({@link #mayNestDeeperThan}) is parsed on the
 * {@link dev.gatehouse.cedar.DeepStack}.
 *
 * <p>Every node gets the {@link SourceSpan} from its first token to the last token consumed when
 * it is built; the line and column come from a table of line starts built once per text.
 */
final class Parser {
  /** Extension functions called in function style, with their arity. */
  static final Set<String> EXT_FUNCTIONS = Set.of("ip", "decimal", "datetime", "duration");

  /** Extension functions called in method style. */
  static final Set<String> EXT_METHODS =
      Set.of(
          "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual",
          "isIpv4", "isIpv6", "isLoopback", "isMulticast", "isInRange",
          "offset", "durationSince", "toDate", "toTime",
          "toMilliseconds", "toSeconds", "toMinutes", "toHours", "toDays");

  private final String src;
  private final List<Token> tokens;
  private int pos;
  private int depth;
  /** Offset just past the last token consumed. */
  private int lastEnd;
  /** Offsets where lines start; built on first use. */
  private int[] lineStarts;

  Parser(String src) {
    this.src = src;
    this.tokens = Lexer.tokenize(src);
  }

  /**
   * Whether this text may nest expressions deeper than {@code limit}: an upper bound from the
   * tokens alone (open brackets at any point, plus every {@code if}, which nests without one).
   */
  boolean mayNestDeeperThan(int limit) {
    int open = 0;
    int ifs = 0;
    for (Token t : tokens) {
      if (t.kind() == Token.Kind.PUNCT) {
        switch (t.text()) {
          case "(", "[", "{" -> open++;
          case ")", "]", "}" -> open = Math.max(0, open - 1);
          default -> { }
        }
      } else if (t.kind() == Token.Kind.IDENT && t.text().equals("if")) {
        ifs++;
      }
      if (open + ifs > limit) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code parse} here, or on the deep stack when this text may nest deeply. */
  <T> T onSufficientStack(java.util.function.Supplier<T> parse) {
    if (!dev.gatehouse.cedar.DeepStack.active()
        && mayNestDeeperThan(dev.gatehouse.cedar.DeepStack.INLINE_DEPTH)) {
      return dev.gatehouse.cedar.DeepStack.call(parse);
    }
    return parse.get();
  }

  // ---------------------------------------------------------------- policies

  List<Policy> policies() {
    return policies(null);
  }

  /** Parses policies; when {@code starts} is given, adds the source offset of each policy. */
  List<Policy> policies(List<Integer> starts) {
    List<Policy> out = new ArrayList<>();
    while (peek().kind() != Token.Kind.EOF) {
      if (starts != null) {
        starts.add(peek().start());
      }
      out.add(policy("policy" + out.size()));
    }
    return out;
  }

  Expr standaloneExpr() {
    Expr e = expr();
    if (peek().kind() != Token.Kind.EOF) {
      throw unexpected(peek(), "end of input");
    }
    checkTreeDepth(e);
    return e;
  }

  private Policy policy(String id) {
    Token first = peek();
    List<Annotation> annotations = new ArrayList<>();
    while (peek().is("@")) {
      Token at = next();
      String key = anyIdent("an annotation name");
      String value = "";
      if (peek().is("(")) {
        next();
        value = string(expect(Token.Kind.STRING, "a string"));
        expectPunct(")");
      }
      for (Annotation a : annotations) {
        if (a.key().equals(key)) {
          throw error(at, "duplicate annotation: `@" + key + "`");
        }
      }
      annotations.add(new Annotation(key, value));
    }
    Token effectTok = expect(Token.Kind.IDENT, "`permit` or `forbid`");
    Effect effect =
        switch (effectTok.text()) {
          case "permit" -> Effect.PERMIT;
          case "forbid" -> Effect.FORBID;
          default -> throw error(effectTok, "invalid policy effect `" + effectTok.text() + "`, expected `permit` or `forbid`");
        };
    expectPunct("(");
    Token principalStart = peek();
    ScopeConstraint principal = principalOrResource("principal", Slot.PRINCIPAL);
    SourceSpan principalSpan = span(principalStart);
    expectPunct(",");
    Token actionStart = peek();
    ScopeConstraint action = action();
    SourceSpan actionSpan = span(actionStart);
    expectPunct(",");
    Token resourceStart = peek();
    ScopeConstraint resource = principalOrResource("resource", Slot.RESOURCE);
    SourceSpan resourceSpan = span(resourceStart);
    if (peek().is(",")) {
      next();
    }
    expectPunct(")");
    List<Condition> conditions = new ArrayList<>();
    while (peek().kind() == Token.Kind.IDENT) {
      Token kw = next();
      boolean when;
      if (kw.text().equals("when")) {
        when = true;
      } else if (kw.text().equals("unless")) {
        when = false;
      } else {
        throw error(kw, "invalid condition `" + kw.text() + "`, expected `when` or `unless`");
      }
      expectPunct("{");
      if (peek().is("}")) {
        throw error(peek(), "`" + kw.text() + "` condition has an empty body");
      }
      Expr body = expr();
      checkTreeDepth(body);
      expectPunct("}");
      conditions.add(new Condition(when, body));
    }
    expectPunct(";");
    return new Policy(id, effect, annotations, principal, action, resource, conditions,
        new Policy.Spans(span(first), principalSpan, actionSpan, resourceSpan));
  }

  private ScopeConstraint principalOrResource(String var, Slot slot) {
    Token t = expect(Token.Kind.IDENT, "`" + var + "`");
    if (!t.text().equals(var)) {
      throw error(t, "expected `" + var + "` in the policy scope, found `" + t.text() + "`");
    }
    Token op = peek();
    if (op.is("is")) {
      next();
      EntityType type = entityTypeName();
      if (peek().is("in")) {
        next();
        return new ScopeConstraint.IsIn(type, entityRef(slot));
      }
      return new ScopeConstraint.Is(type);
    }
    if (op.is("==")) {
      next();
      return new ScopeConstraint.Eq(entityRef(slot));
    }
    if (op.is("in")) {
      next();
      return new ScopeConstraint.In(entityRef(slot));
    }
    return ScopeConstraint.ANY;
  }

  private ScopeConstraint action() {
    Token t = expect(Token.Kind.IDENT, "`action`");
    if (!t.text().equals("action")) {
      throw error(t, "expected `action` in the policy scope, found `" + t.text() + "`");
    }
    Token op = peek();
    if (op.is("==")) {
      next();
      return new ScopeConstraint.Eq(actionUid());
    }
    if (op.is("in")) {
      next();
      if (peek().is("[")) {
        next();
        List<EntityUid> uids = new ArrayList<>();
        if (!peek().is("]")) {
          do {
            if (peek().is("]")) {
              break; // trailing comma
            }
            uids.add(actionUid());
          } while (acceptPunct(","));
        }
        expectPunct("]");
        return new ScopeConstraint.InSet(uids);
      }
      return new ScopeConstraint.In(actionUid());
    }
    if (op.is("is")) {
      throw error(op, "`is` is not allowed in the action scope");
    }
    return ScopeConstraint.ANY;
  }

  /** The action scope only takes action entities: their type's last component is `Action`. */
  private EntityUid actionUid() {
    Token at = peek();
    EntityUid uid = entityUid();
    if (!uid.type().isAction()) {
      throw error(at, "expected an entity uid with type `Action` in the action scope, found `" + uid + "`");
    }
    return uid;
  }

  private EntityRef entityRef(Slot slot) {
    Token t = peek();
    if (t.kind() == Token.Kind.SLOT) {
      next();
      if (!t.text().equals(slot.text())) {
        throw error(t, "expected slot `" + slot.text() + "` here, found `" + t.text() + "`");
      }
      return slot;
    }
    return entityUid();
  }

  private EntityUid entityUid() {
    Token start = peek();
    List<String> path = new ArrayList<>();
    path.add(anyIdent("an entity type"));
    while (true) {
      expectPunct("::");
      if (peek().kind() == Token.Kind.STRING) {
        String id = string(next());
        return new EntityUid(typeOf(start, path), id);
      }
      path.add(anyIdent("an identifier or an entity id string"));
    }
  }

  private EntityType entityTypeName() {
    Token start = peek();
    List<String> path = new ArrayList<>();
    path.add(anyIdent("an entity type"));
    while (peek().is("::")) {
      next();
      path.add(anyIdent("an identifier"));
    }
    return typeOf(start, path);
  }

  private EntityType typeOf(Token at, List<String> path) {
    for (String p : path) {
      if (Names.RESERVED.contains(p)) {
        throw error(at, "`" + p + "` is a reserved identifier");
      }
    }
    return EntityType.of(String.join("::", path));
  }

  // ---------------------------------------------------------------- expressions

  Expr expr() {
    if (++depth > PolicyParser.MAX_NESTING) {
      throw error(peek(), "expression nesting exceeds the limit of " + PolicyParser.MAX_NESTING);
    }
    try {
      if (peek().is("if") && peek().kind() == Token.Kind.IDENT) {
        Token first = next();
        Expr c = expr();
        expectWord("then");
        Expr t = expr();
        expectWord("else");
        Expr e = expr();
        return new Expr.If(c, t, e, span(first));
      }
      return or();
    } finally {
      depth--;
    }
  }

  private Expr or() {
    Token first = peek();
    Expr l = and();
    while (peek().is("||")) {
      next();
      Expr r = and();
      l = new Expr.Or(l, r, span(first));
    }
    return l;
  }

  private Expr and() {
    Token first = peek();
    Expr l = relation();
    while (peek().is("&&")) {
      next();
      Expr r = relation();
      l = new Expr.And(l, r, span(first));
    }
    return l;
  }

  private Expr relation() {
    Token first = peek();
    Expr l = add();
    Token t = peek();
    BinaryOp op = null;
    if (t.kind() == Token.Kind.PUNCT) {
      op =
          switch (t.text()) {
            case "==" -> BinaryOp.EQ;
            case "!=" -> BinaryOp.NEQ;
            case "<" -> BinaryOp.LT;
            case "<=" -> BinaryOp.LE;
            case ">" -> BinaryOp.GT;
            case ">=" -> BinaryOp.GE;
            case "=" -> throw error(t, "`=` is not a valid operator, did you mean `==`?");
            default -> null;
          };
    } else if (t.kind() == Token.Kind.IDENT) {
      switch (t.text()) {
        case "in" -> op = BinaryOp.IN;
        case "has" -> {
          next();
          return has(first, l);
        }
        case "like" -> {
          next();
          Token p = expect(Token.Kind.STRING, "a pattern string");
          try {
            return new Expr.Like(l, new Pattern(Unescaper.unescapePattern(body(p))), span(first));
          } catch (Unescaper.BadEscape e) {
            throw error(p, e.getMessage());
          }
        }
        case "is" -> {
          next();
          EntityType type = entityTypeName();
          if (peek().is("in")) {
            next();
            Expr in = add();
            SourceSpan sp = span(first);
            return new Expr.And(new Expr.Is(l, type, sp), new Expr.Binary(BinaryOp.IN, l, in, sp), sp);
          }
          return new Expr.Is(l, type, span(first));
        }
        default -> {}
      }
    }
    if (op == null) {
      return l;
    }
    next();
    Expr r = add();
    Token after = peek();
    if (isRelOp(after)) {
      throw error(after, "multiple relational operators (like `<`, `==`, `in`) must be separated by parentheses");
    }
    return new Expr.Binary(op, l, r, span(first));
  }

  private static boolean isRelOp(Token t) {
    if (t.kind() == Token.Kind.PUNCT) {
      return switch (t.text()) {
        case "==", "!=", "<", "<=", ">", ">=" -> true;
        default -> false;
      };
    }
    return t.kind() == Token.Kind.IDENT
        && (t.text().equals("in") || t.text().equals("has") || t.text().equals("like") || t.text().equals("is"));
  }

  private Expr has(Token first, Expr target) {
    Token t = peek();
    if (t.kind() == Token.Kind.STRING) {
      next();
      return new Expr.HasAttr(target, string(t), span(first));
    }
    List<String> path = new ArrayList<>();
    path.add(attrIdent());
    while (peek().is(".")) {
      next();
      path.add(attrIdent());
    }
    // `e has a.b.c` means `e has a && e.a has b && e.a.b has c`; every part gets the whole span.
    SourceSpan sp = span(first);
    Expr result = new Expr.HasAttr(target, path.get(0), sp);
    Expr prefix = target;
    for (int i = 1; i < path.size(); i++) {
      prefix = new Expr.GetAttr(prefix, path.get(i - 1), sp);
      result = new Expr.And(result, new Expr.HasAttr(prefix, path.get(i), sp), sp);
    }
    return result;
  }

  private Expr add() {
    Token first = peek();
    Expr l = mult();
    while (peek().is("+") || peek().is("-")) {
      BinaryOp op = next().text().equals("+") ? BinaryOp.ADD : BinaryOp.SUB;
      Expr r = mult();
      l = new Expr.Binary(op, l, r, span(first));
    }
    return l;
  }

  private Expr mult() {
    Token first = peek();
    Expr l = unary();
    while (true) {
      Token t = peek();
      if (t.is("*")) {
        next();
        Expr r = unary();
        l = new Expr.Binary(BinaryOp.MUL, l, r, span(first));
      } else if (t.is("/") || t.is("%")) {
        throw error(t, "the operator `" + t.text() + "` is not supported");
      } else {
        return l;
      }
    }
  }

  private Expr unary() {
    Token first = peek();
    if (!(first.is("!") || first.is("-"))) {
      return member();
    }
    String sym = first.text();
    List<Token> ops = new ArrayList<>();
    while (peek().is(sym)) {
      ops.add(next());
    }
    int count = ops.size();
    if (count > 4) {
      throw error(first, "too many occurrences of `" + sym + "`");
    }
    if (sym.equals("!")) {
      Expr e = member();
      for (int i = count - 1; i >= 0; i--) {
        e = new Expr.Unary(UnaryOp.NOT, e, span(ops.get(i)));
      }
      return e;
    }
    Expr e;
    Token lit = peek();
    if (lit.kind() == Token.Kind.INT && !isAccess(peekAt(1))) {
      // `-9223372036854775808` is a literal: the last dash folds into the number.
      next();
      count--;
      e = new Expr.LongLit(negativeLiteral(lit), span(ops.get(count)));
    } else {
      e = member();
    }
    for (int i = count - 1; i >= 0; i--) {
      e = new Expr.Unary(UnaryOp.NEG, e, span(ops.get(i)));
    }
    return e;
  }

  private static boolean isAccess(Token t) {
    return t.is(".") || t.is("[") || t.is("(");
  }

  private long negativeLiteral(Token t) {
    String digits = t.text();
    try {
      return Long.parseLong("-" + digits);
    } catch (NumberFormatException e) {
      throw error(t, "integer literal `-" + digits + "` is out of range");
    }
  }

  private Expr member() {
    Token first = peek();
    Expr e = primary();
    while (true) {
      Token t = peek();
      if (t.is(".")) {
        next();
        Token nameTok = peek();
        String name = attrIdent();
        if (peek().is("(")) {
          List<Expr> args = args();
          e = method(nameTok, e, name, args, span(first));
        } else {
          e = new Expr.GetAttr(e, name, span(first));
        }
      } else if (t.is("[")) {
        next();
        Token s = peek();
        if (s.kind() != Token.Kind.STRING) {
          throw error(s, "invalid index: only string literals may appear between `[` and `]`");
        }
        next();
        expectPunct("]");
        e = new Expr.GetAttr(e, string(s), span(first));
      } else if (t.is("(")) {
        throw error(t, "this expression cannot be called as a function");
      } else {
        return e;
      }
    }
  }

  private Expr method(Token at, Expr receiver, String name, List<Expr> args, SourceSpan sp) {
    switch (name) {
      case "contains", "containsAll", "containsAny", "getTag", "hasTag" -> {
        if (args.size() != 1) {
          throw error(at, "call to `" + name + "` requires exactly 1 argument, but got " + args.size());
        }
        BinaryOp op =
            switch (name) {
              case "contains" -> BinaryOp.CONTAINS;
              case "containsAll" -> BinaryOp.CONTAINS_ALL;
              case "containsAny" -> BinaryOp.CONTAINS_ANY;
              case "getTag" -> BinaryOp.GET_TAG;
              default -> BinaryOp.HAS_TAG;
            };
        return new Expr.Binary(op, receiver, args.get(0), sp);
      }
      case "isEmpty" -> {
        if (!args.isEmpty()) {
          throw error(at, "call to `isEmpty` requires exactly 0 arguments, but got " + args.size());
        }
        return new Expr.Unary(UnaryOp.IS_EMPTY, receiver, sp);
      }
      default -> {
        if (!EXT_METHODS.contains(name)) {
          if (EXT_FUNCTIONS.contains(name)) {
            throw error(at, "`" + name + "` is a function, not a method");
          }
          throw error(at, "`" + name + "` is not a valid method");
        }
        List<Expr> all = new ArrayList<>(args.size() + 1);
        all.add(receiver);
        all.addAll(args);
        return new Expr.ExtCall(name, all, sp);
      }
    }
  }

  private List<Expr> args() {
    expectPunct("(");
    List<Expr> args = new ArrayList<>();
    if (!peek().is(")")) {
      do {
        if (peek().is(")")) {
          break;
        }
        args.add(expr());
      } while (acceptPunct(","));
    }
    expectPunct(")");
    return args;
  }

  private Expr primary() {
    Token t = peek();
    switch (t.kind()) {
      case INT -> {
        next();
        try {
          return new Expr.LongLit(Long.parseLong(t.text()), span(t));
        } catch (NumberFormatException e) {
          throw error(t, "integer literal `" + t.text() + "` is out of range");
        }
      }
      case STRING -> {
        next();
        return new Expr.StringLit(string(t), span(t));
      }
      case SLOT -> throw error(t, "template slot `" + t.text() + "` is only allowed in the policy scope");
      case PUNCT -> {
        switch (t.text()) {
          case "(" -> {
            next();
            Expr e = expr();
            expectPunct(")");
            return e;
          }
          case "[" -> {
            next();
            List<Expr> elems = new ArrayList<>();
            if (!peek().is("]")) {
              do {
                if (peek().is("]")) {
                  break;
                }
                elems.add(expr());
              } while (acceptPunct(","));
            }
            expectPunct("]");
            return new Expr.SetLit(elems, span(t));
          }
          case "{" -> {
            return record();
          }
          default -> throw unexpected(t, "an expression");
        }
      }
      case IDENT -> {
        return nameExpr();
      }
      default -> throw unexpected(t, "an expression");
    }
  }

  private Expr record() {
    Token first = peek();
    expectPunct("{");
    Map<String, Expr> fields = new LinkedHashMap<>();
    if (!peek().is("}")) {
      do {
        if (peek().is("}")) {
          break;
        }
        Token k = next();
        String key;
        if (k.kind() == Token.Kind.STRING) {
          key = string(k);
        } else if (k.kind() == Token.Kind.IDENT && !Names.RESERVED.contains(k.text())) {
          key = k.text();
        } else {
          throw error(k, "invalid record key " + k.describe() + ": expected an identifier or a string");
        }
        expectPunct(":");
        Expr v = expr();
        if (fields.putIfAbsent(key, v) != null) {
          throw error(k, "duplicate key `" + key + "` in record literal");
        }
      } while (acceptPunct(","));
    }
    expectPunct("}");
    return new Expr.RecordLit(fields, span(first));
  }

  private Expr nameExpr() {
    Token start = next();
    String first = start.text();
    switch (first) {
      case "true" -> {
        return new Expr.BoolLit(true, span(start));
      }
      case "false" -> {
        return new Expr.BoolLit(false, span(start));
      }
      case "if", "then", "else" -> throw unexpected(start, "an expression");
      default -> {}
    }
    List<String> path = new ArrayList<>();
    path.add(first);
    while (peek().is("::")) {
      next();
      Token t = peek();
      if (t.kind() == Token.Kind.STRING) {
        next();
        return new Expr.EntityLit(new EntityUid(typeOf(start, path), string(t)), span(start));
      }
      if (t.is("{")) {
        throw error(t, "entity literals with record syntax are not supported");
      }
      path.add(anyIdent("an identifier or an entity id string"));
    }
    if (peek().is("(")) {
      String fn = String.join("::", path);
      if (!EXT_FUNCTIONS.contains(fn)) {
        if (EXT_METHODS.contains(fn)) {
          throw error(start, "`" + fn + "` is a method, not a function");
        }
        throw error(start, "`" + fn + "` is not a valid function");
      }
      List<Expr> args = args();
      return new Expr.ExtCall(fn, args, span(start));
    }
    if (path.size() > 1) {
      throw error(start, "`" + String.join("::", path) + "` is not a valid expression");
    }
    return switch (first) {
      case "principal" -> new Expr.VarRef(Var.PRINCIPAL, span(start));
      case "action" -> new Expr.VarRef(Var.ACTION, span(start));
      case "resource" -> new Expr.VarRef(Var.RESOURCE, span(start));
      case "context" -> new Expr.VarRef(Var.CONTEXT, span(start));
      default -> throw error(start, "invalid variable `" + first + "`: expected `principal`, `action`, `resource` or `context`");
    };
  }

  // ---------------------------------------------------------------- helpers

  private void checkTreeDepth(Expr e) {
    if (ExprDepth.of(e) > PolicyParser.MAX_TREE_DEPTH) {
      throw error(peek(), "expression is nested deeper than the limit of " + PolicyParser.MAX_TREE_DEPTH);
    }
  }

  private String string(Token t) {
    try {
      return Unescaper.unescape(body(t));
    } catch (Unescaper.BadEscape e) {
      throw error(t, e.getMessage());
    }
  }

  private static String body(Token t) {
    return t.text().substring(1, t.text().length() - 1);
  }

  /** An attribute name written bare (after `.`, `has`): any identifier except a reserved one. */
  private String attrIdent() {
    Token t = peek();
    String name = anyIdent("an attribute name");
    if (Names.RESERVED.contains(name)) {
      throw error(t, "this identifier is reserved and cannot be used: `" + name + "`");
    }
    return name;
  }

  private String anyIdent(String what) {
    Token t = peek();
    if (t.kind() != Token.Kind.IDENT) {
      throw unexpected(t, what);
    }
    next();
    return t.text();
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token peekAt(int k) {
    return tokens.get(Math.min(pos + k, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Token.Kind.EOF) {
      pos++;
      lastEnd = t.start() + t.text().length();
    }
    return t;
  }

  /** The span from the start of {@code first} to the end of the last token consumed. */
  private SourceSpan span(Token first) {
    int start = first.start();
    if (lineStarts == null) {
      lineStarts = lineStarts(src);
    }
    // The line is the last line start at or before `start`.
    int lo = 0;
    int hi = lineStarts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (lineStarts[mid] <= start) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return new SourceSpan(start, Math.max(start, lastEnd), lo + 1, start - lineStarts[lo] + 1);
  }

  private static int[] lineStarts(String text) {
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    int[] starts = new int[lines];
    int k = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts[k++] = i + 1;
      }
    }
    return starts;
  }

  private Token expect(Token.Kind kind, String what) {
    Token t = peek();
    if (t.kind() != kind) {
      throw unexpected(t, what);
    }
    return next();
  }

  private void expectPunct(String p) {
    Token t = peek();
    if (!(t.kind() == Token.Kind.PUNCT && t.text().equals(p))) {
      throw unexpected(t, "`" + p + "`");
    }
    next();
  }

  private void expectWord(String w) {
    Token t = peek();
    if (!(t.kind() == Token.Kind.IDENT && t.text().equals(w))) {
      throw unexpected(t, "`" + w + "`");
    }
    next();
  }

  private boolean acceptPunct(String p) {
    if (peek().kind() == Token.Kind.PUNCT && peek().text().equals(p)) {
      next();
      return true;
    }
    return false;
  }

  private ParseException unexpected(Token t, String expected) {
    return error(t, "unexpected " + (t.kind() == Token.Kind.EOF ? "end of input" : "token " + t.describe()) + ", expected " + expected);
  }

  private ParseException error(Token t, String message) {
    return ParseException.at(src, t.start(), message);
  }
}
