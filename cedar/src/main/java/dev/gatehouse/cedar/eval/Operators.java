package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.ast.EntityUid;
import java.util.ArrayList;
import java.util.List;
import dev.gatehouse.cedar.ast.BinaryOp;
import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.EntityValue;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;

/** The binary operators and built-in methods, applied to already evaluated operands. */
final class Operators {
  private Operators() {}

  static Value binary(Entities entities, BinaryOp op, Value l, Value r) {
    return switch (op) {
      case EQ -> BoolValue.of(l.equals(r));
      case NEQ -> BoolValue.of(!l.equals(r));
      case LT -> BoolValue.of(Evaluator.compare(l, r) < 0);
      case LE -> BoolValue.of(Evaluator.compare(l, r) <= 0);
      case GT -> BoolValue.of(Evaluator.compare(l, r) > 0);
      case GE -> BoolValue.of(Evaluator.compare(l, r) >= 0);
      case ADD, SUB, MUL -> arith(op, l, r);
      case IN -> BoolValue.of(in(entities, l, r));
      case CONTAINS -> BoolValue.of(set(l).elements().contains(r));
      case CONTAINS_ALL -> {
        SetValue a = set(l);
        SetValue b = set(r);
        yield BoolValue.of(a.elements().containsAll(b.elements()));
      }
      case CONTAINS_ANY -> {
        SetValue a = set(l);
        SetValue b = set(r);
        boolean any = false;
        for (Value v : b.elements()) {
          if (a.elements().contains(v)) {
            any = true;
            break;
          }
        }
        yield BoolValue.of(any);
      }
      case HAS_TAG -> {
        EntityValue e = entity(l);
        String key = string(r);
        Entity ent = entities.get(e.uid());
        yield BoolValue.of(ent != null && ent.tags().containsKey(key));
      }
      case GET_TAG -> {
        EntityValue e = entity(l);
        String key = string(r);
        Entity ent = entities.get(e.uid());
        if (ent == null) {
          throw new EvaluationException("entity `" + e.uid() + "` does not exist");
        }
        Value v = ent.tags().get(key);
        if (v == null) {
          throw new EvaluationException("`" + e.uid() + "` does not have the tag `" + key + "`");
        }
        yield v;
      }
    };
  }

  /** Returns whether {@code lhs in rhs}, where rhs is an entity or a set of entities. */
  static boolean in(Entities entities, Value lhs, Value rhs) {
    if (!(lhs instanceof EntityValue l)) {
      throw EvaluationException.typeError("entity", lhs);
    }
    if (rhs instanceof EntityValue r) {
      return entities.isIn(l.uid(), r.uid());
    }
    if (rhs instanceof SetValue s) {
      // Upstream converts every element to an entity first, so a non-entity element is an error.
      List<EntityUid> uids = new ArrayList<>(s.elements().size());
      for (Value v : s.elements()) {
        if (!(v instanceof EntityValue ev)) {
          throw EvaluationException.typeError("entity", v);
        }
        uids.add(ev.uid());
      }
      for (EntityUid u : uids) {
        if (entities.isIn(l.uid(), u)) {
          return true;
        }
      }
      return false;
    }
    throw EvaluationException.typeError("set or entity", rhs);
  }

  private static Value arith(BinaryOp op, Value l, Value r) {
    if (!(l instanceof LongValue a)) {
      throw EvaluationException.typeError("long", l);
    }
    if (!(r instanceof LongValue b)) {
      throw EvaluationException.typeError("long", r);
    }
    try {
      long v =
          switch (op) {
            case ADD -> Math.addExact(a.value(), b.value());
            case SUB -> Math.subtractExact(a.value(), b.value());
            default -> Math.multiplyExact(a.value(), b.value());
          };
      return LongValue.of(v);
    } catch (ArithmeticException e) {
      throw new EvaluationException(
          "integer overflow while attempting to " + op.name().toLowerCase() + " the values " + a.value() + " and " + b.value());
    }
  }

  private static SetValue set(Value v) {
    if (v instanceof SetValue s) {
      return s;
    }
    throw EvaluationException.typeError("set", v);
  }

  private static EntityValue entity(Value v) {
    if (v instanceof EntityValue e) {
      return e;
    }
    throw EvaluationException.typeError("entity", v);
  }

  private static String string(Value v) {
    if (v instanceof StringValue s) {
      return s.value();
    }
    throw EvaluationException.typeError("string", v);
  }
}
