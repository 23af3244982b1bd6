package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.EntityUid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the policies whose principal constraint can match a request without looking at every
 * policy: {@code principal == E} policies are filed under E, {@code principal in E} under E, and
 * the rest (unconstrained or {@code is}) are always candidates.
 *
 * <p>Candidates come back as a bitmap over policy positions, so the authorizer still visits
 * policies in policy-set order.
 */
final class PolicyIndex {
  private final int size;
  private final long[] always;
  private final Map<EntityUid, long[]> byEq;
  private final Map<EntityUid, long[]> byIn;

  PolicyIndex(List<CompiledPolicy> policies) {
    this.size = policies.size();
    int words = (size + 63) >>> 6;
    this.always = new long[words];
    this.byEq = new HashMap<>();
    this.byIn = new HashMap<>();
    for (int i = 0; i < size; i++) {
      CompiledPolicy p = policies.get(i);
      switch (p.principalKind()) {
        case 1 -> set(byEq.computeIfAbsent(p.principalEntity(), k -> new long[words]), i);
        case 2 -> set(byIn.computeIfAbsent(p.principalEntity(), k -> new long[words]), i);
        default -> set(always, i);
      }
    }
  }

  private static void set(long[] bits, int i) {
    bits[i >>> 6] |= 1L << (i & 63);
  }

  /** Returns the positions of candidate policies for a principal with the given ancestors. */
  long[] candidates(EntityUid principal, Set<EntityUid> ancestors) {
    long[] out = always.clone();
    or(out, byEq.get(principal));
    or(out, byIn.get(principal));
    if (!byIn.isEmpty()) {
      for (EntityUid a : ancestors) {
        or(out, byIn.get(a));
      }
    }
    return out;
  }

  private static void or(long[] out, long[] bits) {
    if (bits != null) {
      for (int w = 0; w < out.length; w++) {
        out[w] |= bits[w];
      }
    }
  }
}
