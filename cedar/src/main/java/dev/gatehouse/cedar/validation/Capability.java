package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.ast.Expr;
import java.util.HashSet;
import java.util.Set;

/**
 * A fact learned from a condition that evaluated to {@code true}: "{@code e has a}" or "{@code
 * e.hasTag(t)}". Facts are keyed by the expression's syntax, as upstream does, so {@code
 * principal has a && principal.a} is safe but {@code principal has a && resource.a} is not.
 */
sealed interface Capability {
  /** {@code target has attr} held. */
  record Attr(Expr target, String attr) implements Capability {}

  /** {@code target.hasTag(tag)} held. */
  record Tag(Expr target, Expr tag) implements Capability {}

  static Set<Capability> union(Set<Capability> a, Set<Capability> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    Set<Capability> s = new HashSet<>(a);
    s.addAll(b);
    return s;
  }

  static Set<Capability> intersect(Set<Capability> a, Set<Capability> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Set.of();
    }
    Set<Capability> s = new HashSet<>(a);
    s.retainAll(b);
    return s;
  }
}
