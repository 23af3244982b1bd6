package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.Entity;
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

  static Value binary(Evaluator ev, BinaryOp op, Value l, Value r) {
    return switch (op) {
      case EQ -> BoolValue.of(l.equals(r));
      case NEQ -> BoolValue.of(!l.equals(r));
      case LT -> BoolValue.of(Evaluator.compare(l, r) < 0);
      case LE -> BoolValue.of(Evaluator.compare(l, r) <= 0);
      case GT -> BoolValue.of(Evaluator.compare(l, r) > 0);
      case GE -> BoolValue.of(Evaluator.compare(l, r) >= 0);
      case ADD, SUB, MUL -> arith(op, l, r);
      case IN -> BoolValue.of(ev.in(l, r));
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
        Entity ent = ev.entities().get(e.uid());
        yield BoolValue.of(ent != null && ent.tags().containsKey(key));
      }
      case GET_TAG -> {
        EntityValue e = entity(l);
        String key = string(r);
        Entity ent = ev.entities().get(e.uid());
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
