package dev.gatehouse.cedar.format;

import dev.gatehouse.cedar.DeepStack;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.ast.Annotation;
import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.EntityRef;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Names;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.ast.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints policies and expressions as Cedar text.
 *
 * <p>The law it keeps: {@code parse(format(p))} equals {@code p} (ids aside). Parentheses are
 * added only where Cedar's precedence needs them; a negated literal prints as {@code -(5)} because
 * {@code -5} parses as one literal.
 */
public final class PolicyFormatter {
  // Precedence levels, low to high.
  private static final int IF = 0;
  private static final int OR = 1;
  private static final int AND = 2;
  private static final int REL = 3;
  private static final int ADD = 4;
  private static final int MUL = 5;
  private static final int UNARY = 6;
  private static final int MEMBER = 7;
  private static final int PRIMARY = 8;

  private static final Set<String> FUNCTION_STYLE = Set.of("ip", "decimal", "datetime", "duration");

  private PolicyFormatter() {}

  /** Returns the text of all static policies and templates of {@code ps}, in declaration order. */
  public static String format(PolicySet ps) {
    return DeepStack.callIf(ps.deep() && !DeepStack.active(), () -> formatSet(ps));
  }

  private static String formatSet(PolicySet ps) {
    List<Policy> all = new ArrayList<>(ps.staticPolicies().values());
    all.addAll(ps.templates().values());
    all.sort((a, b) -> compareIds(a.id(), b.id()));
    StringBuilder b = new StringBuilder();
    for (Policy p : all) {
      if (!b.isEmpty()) {
        b.append('\n');
      }
      b.append(formatPolicy(p)).append('\n');
    }
    return b.toString();
  }

  private static int compareIds(String a, String b) {
    if (a.startsWith("policy") && b.startsWith("policy")) {
      try {
        return Long.compare(Long.parseLong(a.substring(6)), Long.parseLong(b.substring(6)));
      } catch (NumberFormatException e) {
        // fall through to text order
      }
    }
    return a.compareTo(b);
  }

  /** Returns the text of one policy, ending with {@code ;}. */
  public static String format(Policy p) {
    return DeepStack.callIf(!DeepStack.active() && DeepStack.deep(List.of(p)), () -> formatPolicy(p));
  }

  private static String formatPolicy(Policy p) {
    StringBuilder b = new StringBuilder();
    for (Annotation a : p.annotations()) {
      b.append('@').append(a.key()).append('(').append(Names.quote(a.value())).append(")\n");
    }
    b.append(p.effect().text()).append(" (\n");
    b.append("  ").append(scope("principal", p.principal())).append(",\n");
    b.append("  ").append(scope("action", p.action())).append(",\n");
    b.append("  ").append(scope("resource", p.resource())).append("\n)");
    for (Condition c : p.conditions()) {
      String kw = c.when() ? "when" : "unless";
      String body = format(c.body());
      if (kw.length() + body.length() + 6 <= WIDTH || !(c.body() instanceof Expr.And || c.body() instanceof Expr.Or)) {
        b.append('\n').append(kw).append(" { ").append(body).append(" }");
      } else {
        b.append('\n').append(kw).append(" {\n").append(chain(c.body())).append("\n}");
      }
    }
    return b.append(';').toString();
  }

  /** The width beyond which a condition's top-level {@code &&} or {@code ||} chain is broken into lines. */
  private static final int WIDTH = 80;

  /** Prints a left-nested {@code &&} or {@code ||} chain one operand per line, operator at line end. */
  private static String chain(Expr e) {
    boolean and = e instanceof Expr.And;
    java.util.ArrayDeque<Expr> items = new java.util.ArrayDeque<>();
    Expr cur = e;
    while (and ? cur instanceof Expr.And : cur instanceof Expr.Or) {
      if (cur instanceof Expr.And a) {
        items.push(a.right());
        cur = a.left();
      } else {
        Expr.Or o = (Expr.Or) cur;
        items.push(o.right());
        cur = o.left();
      }
    }
    items.push(cur);
    StringBuilder b = new StringBuilder();
    boolean first = true;
    for (Expr item : items) {
      if (!first) {
        b.append(and ? " &&\n" : " ||\n");
      }
      b.append("  ");
      // The first operand sits at the chain's own level; later ones one level up (left-assoc).
      print(item, first ? (and ? AND : OR) : (and ? REL : AND), b);
      first = false;
    }
    return b.toString();
  }

  private static String scope(String var, ScopeConstraint c) {
    return switch (c) {
      case ScopeConstraint.Any a -> var;
      case ScopeConstraint.Eq eq -> var + " == " + ref(eq.entity());
      case ScopeConstraint.In in -> var + " in " + ref(in.entity());
      case ScopeConstraint.InSet set -> {
        List<String> items = new ArrayList<>();
        set.entities().forEach(u -> items.add(uid(u)));
        yield var + " in [" + String.join(", ", items) + "]";
      }
      case ScopeConstraint.Is is -> var + " is " + is.type().name();
      case ScopeConstraint.IsIn isIn -> var + " is " + isIn.type().name() + " in " + ref(isIn.entity());
    };
  }

  private static String ref(EntityRef r) {
    return switch (r) {
      case EntityUid u -> uid(u);
      case Slot s -> s.text();
    };
  }

  private static String uid(EntityUid u) {
    return u.type().name() + "::" + Names.quote(u.id());
  }

  /** Returns the text of an expression. */
  public static String format(Expr e) {
    StringBuilder b = new StringBuilder();
    print(e, IF, b);
    return b.toString();
  }

  private static int prec(Expr e) {
    return switch (e) {
      case Expr.If x -> IF;
      case Expr.Or x -> OR;
      case Expr.And x -> AND;
      case Expr.Binary x ->
          switch (x.op()) {
            case EQ, NEQ, LT, LE, GT, GE, IN -> REL;
            case ADD, SUB -> ADD;
            case MUL -> MUL;
            default -> MEMBER;
          };
      case Expr.HasAttr x -> REL;
      case Expr.Like x -> REL;
      case Expr.Is x -> REL;
      case Expr.Unary x -> x.op() == dev.gatehouse.cedar.ast.UnaryOp.IS_EMPTY ? MEMBER : UNARY;
      case Expr.LongLit x -> x.value() < 0 ? UNARY : PRIMARY;
      case Expr.GetAttr x -> MEMBER;
      case Expr.ExtCall x -> FUNCTION_STYLE.contains(x.function()) || x.args().isEmpty() ? PRIMARY : MEMBER;
      default -> PRIMARY;
    };
  }

  private static void print(Expr e, int min, StringBuilder b) {
    boolean paren = prec(e) < min;
    if (paren) {
      b.append('(');
    }
    switch (e) {
      case Expr.BoolLit x -> b.append(x.value());
      case Expr.LongLit x -> b.append(x.value());
      case Expr.StringLit x -> b.append(Names.quote(x.value()));
      case Expr.EntityLit x -> b.append(uid(x.uid()));
      case Expr.VarRef x -> b.append(x.var().text());
      case Expr.SlotRef x -> b.append(x.slot().text());
      case Expr.If x -> {
        b.append("if ");
        print(x.cond(), IF, b);
        b.append(" then ");
        print(x.then(), IF, b);
        b.append(" else ");
        print(x.otherwise(), IF, b);
      }
      case Expr.Or x -> {
        print(x.left(), OR, b);
        b.append(" || ");
        print(x.right(), AND, b);
      }
      case Expr.And x -> {
        print(x.left(), AND, b);
        b.append(" && ");
        print(x.right(), REL, b);
      }
      case Expr.Binary x -> binary(x, b);
      case Expr.HasAttr x -> {
        print(x.target(), ADD, b);
        b.append(" has ").append(attrName(x.attr()) ? x.attr() : Names.quote(x.attr()));
      }
      case Expr.Like x -> {
        print(x.target(), ADD, b);
        b.append(" like ").append(x.pattern().toLiteral());
      }
      case Expr.Is x -> {
        print(x.target(), ADD, b);
        b.append(" is ").append(x.type().name());
      }
      case Expr.Unary x -> {
        switch (x.op()) {
          case NOT -> {
            b.append('!');
            print(x.arg(), MEMBER, b);
          }
          case NEG -> {
            b.append('-');
            // `-5` would parse as a literal, so a negated literal keeps its parentheses.
            if (x.arg() instanceof Expr.LongLit) {
              b.append('(');
              print(x.arg(), IF, b);
              b.append(')');
            } else {
              print(x.arg(), MEMBER, b);
            }
          }
          case IS_EMPTY -> {
            print(x.arg(), MEMBER, b);
            b.append(".isEmpty()");
          }
        }
      }
      case Expr.GetAttr x -> {
        print(x.target(), MEMBER, b);
        if (attrName(x.attr())) {
          b.append('.').append(x.attr());
        } else {
          b.append('[').append(Names.quote(x.attr())).append(']');
        }
      }
      case Expr.SetLit x -> {
        b.append('[');
        for (int i = 0; i < x.elements().size(); i++) {
          if (i > 0) {
            b.append(", ");
          }
          print(x.elements().get(i), IF, b);
        }
        b.append(']');
      }
      case Expr.RecordLit x -> {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, Expr> f : x.fields().entrySet()) {
          if (!first) {
            b.append(", ");
          }
          first = false;
          b.append(attrName(f.getKey()) ? f.getKey() : Names.quote(f.getKey())).append(": ");
          print(f.getValue(), IF, b);
        }
        b.append('}');
      }
      case Expr.ExtCall x -> {
        if (FUNCTION_STYLE.contains(x.function()) || x.args().isEmpty()) {
          b.append(x.function());
          args(x.args(), 0, b);
        } else {
          print(x.args().get(0), MEMBER, b);
          b.append('.').append(x.function());
          args(x.args(), 1, b);
        }
      }
    }
    if (paren) {
      b.append(')');
    }
  }

  private static void args(List<Expr> args, int from, StringBuilder b) {
    b.append('(');
    for (int i = from; i < args.size(); i++) {
      if (i > from) {
        b.append(", ");
      }
      print(args.get(i), IF, b);
    }
    b.append(')');
  }

  private static void binary(Expr.Binary x, StringBuilder b) {
    switch (x.op()) {
      case EQ, NEQ, LT, LE, GT, GE, IN -> {
        print(x.left(), ADD, b);
        b.append(' ').append(x.op().text()).append(' ');
        print(x.right(), ADD, b);
      }
      case ADD, SUB -> {
        print(x.left(), ADD, b);
        b.append(' ').append(x.op().text()).append(' ');
        print(x.right(), MUL, b);
      }
      case MUL -> {
        print(x.left(), MUL, b);
        b.append(" * ");
        print(x.right(), UNARY, b);
      }
      default -> {
        print(x.left(), MEMBER, b);
        b.append('.').append(x.op().text()).append('(');
        print(x.right(), IF, b);
        b.append(')');
      }
    }
  }

  /** Returns whether {@code s} can be written bare after {@code .}, {@code has} or as a record key. */
  private static boolean attrName(String s) {
    return Names.isIdentifier(s) && !Names.RESERVED.contains(s);
  }
}
