package dev.gatehouse.cedar.ast;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Structural equality and hashing of expressions without recursion.
 *
 * <p>Records' generated {@code equals} and {@code hashCode} recurse through several frames per
 * tree level and overflow the stack on trees a few hundred levels deep, which the parser accepts.
 * The composite {@link Expr} records delegate here instead; the work list keeps the stack flat.
 */
final class ExprStructure {
  private ExprStructure() {}

  /** Returns whether {@code a} and {@code b} are the same tree. */
  static boolean equal(Expr a, Expr b) {
    ArrayDeque<Expr> left = new ArrayDeque<>();
    ArrayDeque<Expr> right = new ArrayDeque<>();
    left.push(a);
    right.push(b);
    while (!left.isEmpty()) {
      Expr x = left.pop();
      Expr y = right.pop();
      if (x == y) {
        continue;
      }
      if (x.getClass() != y.getClass() || !sameNode(x, y)) {
        return false;
      }
      if (x instanceof Expr.RecordLit rx) {
        Map<String, Expr> fy = ((Expr.RecordLit) y).fields();
        for (Map.Entry<String, Expr> f : rx.fields().entrySet()) {
          left.push(f.getValue());
          right.push(fy.get(f.getKey()));
        }
        continue;
      }
      List<Expr> cx = children(x);
      List<Expr> cy = children(y);
      for (int i = 0; i < cx.size(); i++) {
        left.push(cx.get(i));
        right.push(cy.get(i));
      }
    }
    return true;
  }

  /** Returns a hash consistent with {@link #equal}. */
  static int hash(Expr root) {
    ArrayDeque<Expr> todo = new ArrayDeque<>();
    todo.push(root);
    int h = 1;
    while (!todo.isEmpty()) {
      Expr e = todo.pop();
      h = 31 * h + localHash(e);
      // Record fields are unordered: their values do not feed the (ordered) hash.
      if (!(e instanceof Expr.RecordLit)) {
        List<Expr> cs = children(e);
        for (int i = cs.size() - 1; i >= 0; i--) {
          todo.push(cs.get(i));
        }
      }
    }
    return h;
  }

  /** Compares everything but the subexpressions; record keys and child counts included. */
  private static boolean sameNode(Expr x, Expr y) {
    return switch (x) {
      case Expr.BoolLit a -> a.value() == ((Expr.BoolLit) y).value();
      case Expr.LongLit a -> a.value() == ((Expr.LongLit) y).value();
      case Expr.StringLit a -> a.value().equals(((Expr.StringLit) y).value());
      case Expr.EntityLit a -> a.uid().equals(((Expr.EntityLit) y).uid());
      case Expr.VarRef a -> a.var() == ((Expr.VarRef) y).var();
      case Expr.SlotRef a -> a.slot() == ((Expr.SlotRef) y).slot();
      case Expr.Unary a -> a.op() == ((Expr.Unary) y).op();
      case Expr.Binary a -> a.op() == ((Expr.Binary) y).op();
      case Expr.And a -> true;
      case Expr.Or a -> true;
      case Expr.If a -> true;
      case Expr.GetAttr a -> a.attr().equals(((Expr.GetAttr) y).attr());
      case Expr.HasAttr a -> a.attr().equals(((Expr.HasAttr) y).attr());
      case Expr.Like a -> a.pattern().equals(((Expr.Like) y).pattern());
      case Expr.Is a -> a.type().equals(((Expr.Is) y).type());
      case Expr.SetLit a -> a.elements().size() == ((Expr.SetLit) y).elements().size();
      case Expr.RecordLit a -> a.fields().keySet().equals(((Expr.RecordLit) y).fields().keySet());
      case Expr.ExtCall a -> a.function().equals(((Expr.ExtCall) y).function()) && a.args().size() == ((Expr.ExtCall) y).args().size();
    };
  }

  private static int localHash(Expr e) {
    int kind = e.getClass().getSimpleName().hashCode();
    int own =
        switch (e) {
          case Expr.BoolLit a -> Boolean.hashCode(a.value());
          case Expr.LongLit a -> Long.hashCode(a.value());
          case Expr.StringLit a -> a.value().hashCode();
          case Expr.EntityLit a -> a.uid().hashCode();
          case Expr.VarRef a -> a.var().hashCode();
          case Expr.SlotRef a -> a.slot().hashCode();
          case Expr.Unary a -> a.op().hashCode();
          case Expr.Binary a -> a.op().hashCode();
          case Expr.GetAttr a -> a.attr().hashCode();
          case Expr.HasAttr a -> a.attr().hashCode();
          case Expr.Like a -> a.pattern().hashCode();
          case Expr.Is a -> a.type().hashCode();
          case Expr.SetLit a -> a.elements().size();
          case Expr.RecordLit a -> a.fields().keySet().hashCode();
          case Expr.ExtCall a -> Objects.hash(a.function(), a.args().size());
          default -> 0;
        };
    return 31 * kind + own;
  }

  /** Returns the direct subexpressions in a fixed order (record values in key iteration order). */
  private static List<Expr> children(Expr e) {
    return switch (e) {
      case Expr.Unary x -> List.of(x.arg());
      case Expr.Binary x -> List.of(x.left(), x.right());
      case Expr.And x -> List.of(x.left(), x.right());
      case Expr.Or x -> List.of(x.left(), x.right());
      case Expr.If x -> List.of(x.cond(), x.then(), x.otherwise());
      case Expr.GetAttr x -> List.of(x.target());
      case Expr.HasAttr x -> List.of(x.target());
      case Expr.Like x -> List.of(x.target());
      case Expr.Is x -> List.of(x.target());
      case Expr.SetLit x -> x.elements();
      case Expr.RecordLit x -> List.copyOf(x.fields().values());
      case Expr.ExtCall x -> x.args();
      default -> List.of();
    };
  }
}
