package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.DateTime;
import dev.gatehouse.cedar.value.Duration;
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
 * Evaluates expressions for one request against one entity store, with Cedar's semantics.
 *
 * <p>Errors are thrown as {@link EvaluationException}: operands of the wrong type, a missing
 * attribute or tag, an attribute of an entity that does not exist, integer overflow, and failed
 * extension functions. {@code &&}, {@code ||} and {@code if} evaluate their operands lazily, so an
 * operand that is not needed cannot raise an error. {@code ==} never fails.
 */
public final class Evaluator {
  private final Entities entities;
  private final EntityValue principal;
  private final EntityValue action;
  private final EntityValue resource;
  private final RecordValue context;

  public Evaluator(Request request, Entities entities) {
    this.entities = entities;
    this.principal = new EntityValue(request.principal());
    this.action = new EntityValue(request.action());
    this.resource = new EntityValue(request.resource());
    this.context = request.context();
  }

  /**
   * Evaluates {@code e}.
   *
   * @throws EvaluationException on any Cedar evaluation error
   */
  public Value eval(Expr e) {
    try {
      return evalNode(e);
    } catch (EvaluationException err) {
      // The innermost expression with a span positions the error; outer ones pass it on.
      throw err.at(e.span());
    }
  }

  private Value evalNode(Expr e) {
    return switch (e) {
      case Expr.BoolLit b -> BoolValue.of(b.value());
      case Expr.LongLit l -> LongValue.of(l.value());
      case Expr.StringLit s -> new StringValue(s.value());
      case Expr.EntityLit u -> new EntityValue(u.uid());
      case Expr.VarRef v ->
          switch (v.var()) {
            case PRINCIPAL -> principal;
            case ACTION -> action;
            case RESOURCE -> resource;
            case CONTEXT -> context;
          };
      case Expr.SlotRef s -> throw new EvaluationException("template slot `" + s.slot().text() + "` was not linked");
      case Expr.And a -> {
        if (!bool(eval(a.left()))) {
          yield BoolValue.FALSE;
        }
        yield BoolValue.of(bool(eval(a.right())));
      }
      case Expr.Or o -> {
        if (bool(eval(o.left()))) {
          yield BoolValue.TRUE;
        }
        yield BoolValue.of(bool(eval(o.right())));
      }
      case Expr.If i -> bool(eval(i.cond())) ? eval(i.then()) : eval(i.otherwise());
      case Expr.Unary u -> unary(u);
      case Expr.Binary b -> Operators.binary(entities, b.op(), eval(b.left()), eval(b.right()));
      case Expr.GetAttr g -> getAttr(entities, eval(g.target()), g.attr());
      case Expr.HasAttr h -> BoolValue.of(hasAttr(entities, eval(h.target()), h.attr()));
      case Expr.Like l -> {
        Value v = eval(l.target());
        if (!(v instanceof StringValue s)) {
          throw EvaluationException.typeError("string", v);
        }
        yield BoolValue.of(l.pattern().matches(s.value()));
      }
      case Expr.Is i -> {
        Value v = eval(i.target());
        if (!(v instanceof EntityValue ev)) {
          throw EvaluationException.typeError("entity", v);
        }
        yield BoolValue.of(ev.uid().type().equals(i.type()));
      }
      case Expr.SetLit s -> {
        Set<Value> out = new LinkedHashSet<>();
        for (Expr x : s.elements()) {
          out.add(eval(x));
        }
        yield new SetValue(out);
      }
      case Expr.RecordLit r -> {
        Map<String, Value> out = new LinkedHashMap<>();
        for (Map.Entry<String, Expr> f : r.fields().entrySet()) {
          out.put(f.getKey(), eval(f.getValue()));
        }
        yield new RecordValue(out);
      }
      case Expr.ExtCall c -> {
        List<Value> args = new ArrayList<>(c.args().size());
        for (Expr x : c.args()) {
          args.add(eval(x));
        }
        yield Extensions.call(c.function(), args);
      }
    };
  }

  /** Evaluates {@code e} and requires a boolean. */
  public boolean evalBool(Expr e) {
    Value v = eval(e);
    try {
      return bool(v);
    } catch (EvaluationException err) {
      throw err.at(e.span());
    }
  }

  static boolean bool(Value v) {
    if (v instanceof BoolValue b) {
      return b.value();
    }
    throw EvaluationException.typeError("bool", v);
  }

  private Value unary(Expr.Unary u) {
    return unary(u.op(), eval(u.arg()));
  }

  static Value unary(dev.gatehouse.cedar.ast.UnaryOp op, Value v) {
    return switch (op) {
      case NOT -> BoolValue.of(!bool(v));
      case NEG -> {
        if (!(v instanceof LongValue l)) {
          throw EvaluationException.typeError("long", v);
        }
        if (l.value() == Long.MIN_VALUE) {
          throw new EvaluationException("integer overflow while attempting to negate the value " + l.value());
        }
        yield LongValue.of(-l.value());
      }
      case IS_EMPTY -> {
        if (!(v instanceof SetValue s)) {
          throw EvaluationException.typeError("set", v);
        }
        yield BoolValue.of(s.elements().isEmpty());
      }
    };
  }

  static Value getAttr(Entities entities, Value target, String attr) {
    if (target instanceof RecordValue r) {
      Value v = r.get(attr);
      if (v == null) {
        throw new EvaluationException("record does not have the attribute `" + attr + "`");
      }
      return v;
    }
    if (target instanceof EntityValue ev) {
      Entity ent = entities.get(ev.uid());
      if (ent == null) {
        throw new EvaluationException("entity `" + ev.uid() + "` does not exist");
      }
      Value v = ent.attrs().get(attr);
      if (v == null) {
        throw new EvaluationException("`" + ev.uid() + "` does not have the attribute `" + attr + "`");
      }
      return v;
    }
    throw EvaluationException.typeError("entity or record", target);
  }

  static boolean hasAttr(Entities entities, Value target, String attr) {
    if (target instanceof RecordValue r) {
      return r.fields().containsKey(attr);
    }
    if (target instanceof EntityValue ev) {
      Entity ent = entities.get(ev.uid());
      return ent != null && ent.attrs().containsKey(attr);
    }
    throw EvaluationException.typeError("entity or record", target);
  }

  static int compare(Value a, Value b) {
    if (a instanceof LongValue x && b instanceof LongValue y) {
      return Long.compare(x.value(), y.value());
    }
    if (a instanceof DateTime x && b instanceof DateTime y) {
      return x.compareTo(y);
    }
    if (a instanceof Duration x && b instanceof Duration y) {
      return x.compareTo(y);
    }
    if (a instanceof LongValue) {
      throw EvaluationException.typeError("long", b);
    }
    throw EvaluationException.typeError("long", a);
  }
}
