package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/** Collects the entity types and entity literals an expression mentions. */
final class ExprWalker {
  private ExprWalker() {}

  /** Adds every entity literal's uid and type, and every {@code is} type, in {@code root}. */
  static void collect(Expr root, Set<EntityType> types, Set<EntityUid> uids) {
    // An explicit stack: expression depth is bounded by the parser, but need not fit the Java stack.
    Deque<Expr> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Expr e = todo.pop();
      switch (e) {
        case Expr.EntityLit l -> {
          types.add(l.uid().type());
          uids.add(l.uid());
        }
        case Expr.Is is -> {
          types.add(is.type());
          todo.push(is.target());
        }
        case Expr.Unary u -> todo.push(u.arg());
        case Expr.Binary b -> {
          todo.push(b.right());
          todo.push(b.left());
        }
        case Expr.And a -> {
          todo.push(a.right());
          todo.push(a.left());
        }
        case Expr.Or o -> {
          todo.push(o.right());
          todo.push(o.left());
        }
        case Expr.If i -> {
          todo.push(i.otherwise());
          todo.push(i.then());
          todo.push(i.cond());
        }
        case Expr.GetAttr g -> todo.push(g.target());
        case Expr.HasAttr h -> todo.push(h.target());
        case Expr.Like l -> todo.push(l.target());
        case Expr.SetLit s -> s.elements().forEach(todo::push);
        case Expr.RecordLit r -> r.fields().values().forEach(todo::push);
        case Expr.ExtCall c -> c.args().forEach(todo::push);
        default -> {}
      }
    }
  }
}
