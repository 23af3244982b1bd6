package dev.gatehouse.cedar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.ast.EntityUid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class EntitiesTest {
  private static EntityUid g(int i) {
    return EntityUid.of("G", Integer.toString(i));
  }

  /** Random parent lists over 12 nodes (some parents missing from the store, cycles allowed). */
  @Provide
  Arbitrary<List<List<Integer>>> graphs() {
    return Arbitraries.integers().between(0, 14).list().ofMaxSize(3).list().ofMinSize(1).ofMaxSize(12);
  }

  @Property(tries = 2000)
  void ancestorsWhenAnyGraphThenEqualNaiveWalk(@ForAll("graphs") List<List<Integer>> parents) {
    List<Entity> es = new ArrayList<>();
    Map<EntityUid, Set<EntityUid>> edges = new HashMap<>();
    for (int i = 0; i < parents.size(); i++) {
      Set<EntityUid> ps = new HashSet<>();
      parents.get(i).forEach(p -> ps.add(g(p)));
      es.add(Entity.of(g(i), ps));
      edges.put(g(i), ps);
    }
    Entities store = Entities.of(es);
    for (int i = 0; i < parents.size(); i++) {
      Set<EntityUid> seen = new HashSet<>();
      ArrayDeque<EntityUid> todo = new ArrayDeque<>(edges.get(g(i)));
      while (!todo.isEmpty()) {
        EntityUid p = todo.pop();
        if (seen.add(p)) {
          todo.addAll(edges.getOrDefault(p, Set.of()));
        }
      }
      assertThat(store.ancestors(g(i))).as("ancestors of %s in %s", i, parents).isEqualTo(seen);
    }
  }

  @Test
  void isInWhenChainThenTransitive() {
    Entities store = Entities.of(List.of(Entity.of(g(0), Set.of(g(1))), Entity.of(g(1), Set.of(g(2))), Entity.of(g(2), Set.of())));
    assertThat(store.isIn(g(0), g(2))).isTrue();
    assertThat(store.isIn(g(2), g(0))).isFalse();
    assertThat(store.isIn(g(5), g(5))).isTrue();
  }

  @Test
  void ofWhenDuplicateUidThenError() {
    assertThatThrownBy(() -> Entities.of(List.of(Entity.of(g(0), Set.of()), Entity.of(g(0), Set.of()))))
        .isInstanceOf(CedarException.class)
        .hasMessageContaining("duplicate");
  }
}
