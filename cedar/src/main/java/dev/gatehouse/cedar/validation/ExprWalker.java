package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.SourceSpan;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/** Collects the entity types and entity literals an expression mentions, with where they occur. */
final class ExprWalker {
  private ExprWalker() {}

  /**
   * Adds every entity literal's uid and type, and every {@code is} type, in {@code root}, each
   * with the span of its first occurrence (in textual order) unless the maps have one already.
   */
  static void collect(Expr root, Map<EntityType, SourceSpan> types,
      Map<EntityUid, SourceSpan> uids) {
    // An explicit stack: expression depth is bounded by the parser, but need not fit the Java stack.
    Deque<Expr> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Expr e = todo.pop();
      switch (e) {
        case Expr.EntityLit l -> {
          types.putIfAbsent(l.uid().type(), l.span());
          uids.putIfAbsent(l.uid(), l.span());
        }
        case Expr.Is is -> {
          types.putIfAbsent(is.type(), is.span());
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
        case Expr.SetLit s -> pushReversed(s.elements(), todo);
        case Expr.RecordLit r -> pushReversed(java.util.List.copyOf(r.fields().values()), todo);
        case Expr.ExtCall c -> pushReversed(c.args(), todo);
        default -> {}
      }
    }
  }

  /** Pushes {@code es} so that they pop in list order. */
  private static void pushReversed(java.util.List<Expr> es, Deque<Expr> todo) {
    for (int i = es.size() - 1; i >= 0; i--) {
      todo.push(es.get(i));
    }
  }
}
