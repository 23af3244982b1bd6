package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.ast.BinaryOp;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.SourceSpan;
import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.EntityValue;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An expression compiled to a tree of closures, for evaluating the same policy over many requests.
 *
 * <p>Same semantics as {@link Evaluator} (the reference), with work moved to compile time:
 * literals become values once, constant sets and records are built once, and extension calls on
 * constant arguments (such as {@code ip("10.0.0.0/8")}) are computed once. A constant call that
 * fails still fails only when it is evaluated, as Cedar requires.
 *
 * <p>A node that can fail by itself catches the error on its way out and positions it at its
 * expression's {@link SourceSpan} unless an inner node already did ({@link
 * EvaluationException#at}), so errors point where the reference {@link Evaluator} points. The
 * catch costs nothing until something throws.
 */
public final class CompiledExpr {
  private final Node root;
  private final SourceSpan rootSpan;

  private CompiledExpr(Node root, SourceSpan rootSpan) {
    this.root = root;
    this.rootSpan = rootSpan;
  }

  /** Compiles {@code e}. */
  public static CompiledExpr compile(Expr e) {
    return new CompiledExpr(node(e), e.span());
  }

  /**
   * Evaluates the expression.
   *
   * @throws EvaluationException on any Cedar evaluation error
   */
  public Value eval(Env env) {
    return root.eval(env);
  }

  /**
   * Evaluates the expression and requires a boolean.
   *
   * @throws EvaluationException on any Cedar evaluation error, including a non-boolean result
   */
  public boolean evalBool(Env env) {
    Value v = root.eval(env);
    try {
      return Evaluator.bool(v);
    } catch (EvaluationException err) {
      throw err.at(rootSpan);
    }
  }

  @FunctionalInterface
  private interface Node {
    Value eval(Env env);
  }

  /** A node whose value is known at compile time. */
  private record Const(Value value) implements Node {
    @Override
    public Value eval(Env env) {
      return value;
    }
  }

  // Each case lives in its own method: the compiler recurses once per tree level, so a lean
  // frame here is what lets the deepest tree the parser accepts compile on a default stack.
  private static Node node(Expr e) {
    return switch (e) {
      case Expr.BoolLit x -> new Const(BoolValue.of(x.value()));
      case Expr.LongLit x -> new Const(LongValue.of(x.value()));
      case Expr.StringLit x -> new Const(new StringValue(x.value()));
      case Expr.EntityLit x -> new Const(new EntityValue(x.uid()));
      case Expr.VarRef x ->
          switch (x.var()) {
            case PRINCIPAL -> env -> env.principal;
            case ACTION -> env -> env.action;
            case RESOURCE -> env -> env.resource;
            case CONTEXT -> env -> env.context;
          };
      case Expr.SlotRef x -> slotRef(x);
      case Expr.And x -> and(x);
      case Expr.Or x -> or(x);
      case Expr.If x -> ifThenElse(x);
      case Expr.Unary x -> unary(x);
      case Expr.Binary x -> binary(x);
      case Expr.GetAttr x -> getAttr(x);
      case Expr.HasAttr x -> hasAttr(x);
      case Expr.Like x -> like(x);
      case Expr.Is x -> is(x);
      case Expr.SetLit x -> setLit(x);
      case Expr.RecordLit x -> recordLit(x);
      case Expr.ExtCall x -> extCall(x);
    };
  }

  private static Node slotRef(Expr.SlotRef x) {
    String msg = "template slot `" + x.slot().text() + "` was not linked";
    SourceSpan sp = x.span();
    return env -> {
      throw new EvaluationException(msg).at(sp);
    };
  }

  private static Node and(Expr.And x) {
    Node l = node(x.left());
    Node r = node(x.right());
    SourceSpan sp = x.span();
    return env -> {
      try {
        return Evaluator.bool(l.eval(env)) ? BoolValue.of(Evaluator.bool(r.eval(env))) : BoolValue.FALSE;
      } catch (EvaluationException err) {
        throw err.at(sp);
      }
    };
  }

  private static Node or(Expr.Or x) {
    Node l = node(x.left());
    Node r = node(x.right());
    SourceSpan sp = x.span();
    return env -> {
      try {
        return Evaluator.bool(l.eval(env)) ? BoolValue.TRUE : BoolValue.of(Evaluator.bool(r.eval(env)));
      } catch (EvaluationException err) {
        throw err.at(sp);
      }
    };
  }

  private static Node ifThenElse(Expr.If x) {
    Node c = node(x.cond());
    Node t = node(x.then());
    Node o = node(x.otherwise());
    SourceSpan sp = x.span();
    return env -> {
      try {
        return Evaluator.bool(c.eval(env)) ? t.eval(env) : o.eval(env);
      } catch (EvaluationException err) {
        throw err.at(sp);
      }
    };
  }

  private static Node unary(Expr.Unary x) {
    Node a = node(x.arg());
    var op = x.op();
    SourceSpan sp = x.span();
    return env -> {
      try {
        return Evaluator.unary(op, a.eval(env));
      } catch (EvaluationException err) {
        throw err.at(sp);
      }
    };
  }

  private static Node getAttr(Expr.GetAttr x) {
    Node t = node(x.target());
    String attr = x.attr();
    SourceSpan sp = x.span();
    return env -> {
      try {
        return Evaluator.getAttr(env.entities, t.eval(env), attr);
      } catch (EvaluationException err) {
        throw err.at(sp);
      }
    };
  }

  private static Node hasAttr(Expr.HasAttr x) {
    Node t = node(x.target());
    String attr = x.attr();
    SourceSpan sp = x.span();
    return env -> {
      try {
        return BoolValue.of(Evaluator.hasAttr(env.entities, t.eval(env), attr));
      } catch (EvaluationException err) {
        throw err.at(sp);
      }
    };
  }

  private static Node like(Expr.Like x) {
    Node t = node(x.target());
    var pattern = x.pattern();
    SourceSpan sp = x.span();
    return env -> {
      Value v = t.eval(env);
      if (!(v instanceof StringValue s)) {
        throw EvaluationException.typeError("string", v).at(sp);
      }
      return BoolValue.of(pattern.matches(s.value()));
    };
  }

  private static Node is(Expr.Is x) {
    Node t = node(x.target());
    var type = x.type();
    SourceSpan sp = x.span();
    return env -> {
      Value v = t.eval(env);
      if (!(v instanceof EntityValue ev)) {
        throw EvaluationException.typeError("entity", v).at(sp);
      }
      return BoolValue.of(ev.uid().type().equals(type));
    };
  }

  private static Node setLit(Expr.SetLit x) {
    Node[] items = nodes(x.elements());
    if (allConst(items)) {
      Set<Value> vs = new LinkedHashSet<>();
      for (Node n : items) {
        vs.add(((Const) n).value());
      }
      return new Const(new SetValue(vs));
    }
    return env -> {
      Set<Value> vs = new LinkedHashSet<>();
      for (Node n : items) {
        vs.add(n.eval(env));
      }
      return new SetValue(vs);
    };
  }

  private static Node recordLit(Expr.RecordLit x) {
    List<String> keys = new ArrayList<>(x.fields().keySet());
    Node[] vals = nodes(new ArrayList<>(x.fields().values()));
    if (allConst(vals)) {
      Map<String, Value> m = new LinkedHashMap<>();
      for (int i = 0; i < vals.length; i++) {
        m.put(keys.get(i), ((Const) vals[i]).value());
      }
      return new Const(new RecordValue(m));
    }
    return env -> {
      Map<String, Value> m = new LinkedHashMap<>();
      for (int i = 0; i < vals.length; i++) {
        m.put(keys.get(i), vals[i].eval(env));
      }
      return new RecordValue(m);
    };
  }

  private static Node extCall(Expr.ExtCall x) {
    Node[] args = nodes(x.args());
    String fn = x.function();
    if (allConst(args)) {
      List<Value> vs = new ArrayList<>(args.length);
      for (Node n : args) {
        vs.add(((Const) n).value());
      }
      try {
        return new Const(Extensions.call(fn, vs));
      } catch (EvaluationException err) {
        String msg = err.getMessage();
        SourceSpan sp = x.span();
        return env -> {
          throw new EvaluationException(msg).at(sp);
        };
      }
    }
    SourceSpan sp = x.span();
    return env -> {
      List<Value> vs = new ArrayList<>(args.length);
      for (Node n : args) {
        vs.add(n.eval(env));
      }
      try {
        return Extensions.call(fn, vs);
      } catch (EvaluationException err) {
        throw err.at(sp);
      }
    };
  }

  private static Node binary(Expr.Binary x) {
    Node l = node(x.left());
    Node r = node(x.right());
    BinaryOp op = x.op();
    SourceSpan sp = x.span();
    if (op == BinaryOp.IN && r instanceof Const c && c.value() instanceof EntityValue target) {
      // Fast path for the common `e in Type::"id"`.
      EntityUid t = target.uid();
      return env -> {
        Value v = l.eval(env);
        if (!(v instanceof EntityValue ev)) {
          throw EvaluationException.typeError("entity", v).at(sp);
        }
        return BoolValue.of(env.entities.isIn(ev.uid(), t));
      };
    }
    if (op == BinaryOp.EQ) {
      // `==` never fails by itself.
      return env -> BoolValue.of(l.eval(env).equals(r.eval(env)));
    }
    return env -> {
      try {
        return Operators.binary(env.entities, op, l.eval(env), r.eval(env));
      } catch (EvaluationException err) {
        throw err.at(sp);
      }
    };
  }

  private static Node[] nodes(List<Expr> es) {
    Node[] out = new Node[es.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node(es.get(i));
    }
    return out;
  }

  private static boolean allConst(Node[] ns) {
    for (Node n : ns) {
      if (!(n instanceof Const)) {
        return false;
      }
    }
    return true;
  }
}
