package dev.gatehouse.cedar.parser;

import dev.gatehouse.cedar.ast.Expr;
import java.util.ArrayDeque;
import java.util.List;

/** Computes the depth of an expression tree without recursion, so deep input cannot overflow the stack. */
public final class ExprDepth {
  private ExprDepth() {}

  /** Returns the number of nodes on the longest root-to-leaf path of {@code root}. */
  public static int of(Expr root) {
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 1});
    int max = 0;
    while (!stack.isEmpty()) {
      Object[] top = stack.pop();
      Expr e = (Expr) top[0];
      int d = (Integer) top[1];
      max = Math.max(max, d);
      for (Expr c : children(e)) {
        stack.push(new Object[] {c, d + 1});
      }
    }
    return max;
  }

  /** Returns the direct subexpressions of {@code e}. */
  public static List<Expr> children(Expr e) {
    return switch (e) {
      case Expr.BoolLit x -> List.of();
      case Expr.LongLit x -> List.of();
      case Expr.StringLit x -> List.of();
      case Expr.EntityLit x -> List.of();
      case Expr.VarRef x -> List.of();
      case Expr.SlotRef x -> List.of();
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
    };
  }
}
