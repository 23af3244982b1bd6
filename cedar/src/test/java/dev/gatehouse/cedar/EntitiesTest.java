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
      assertThat(store.ancestors(g(i))).as("ancestors of %s in %s", i, parents)
          .isEqualTo(naive(edges, g(i)));
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

  /** The naive walk over {@code edges}: what an overlay must agree with. */
  private static Set<EntityUid> naive(Map<EntityUid, Set<EntityUid>> edges, EntityUid u) {
    Set<EntityUid> seen = new HashSet<>();
    ArrayDeque<EntityUid> todo = new ArrayDeque<>(edges.getOrDefault(u, Set.of()));
    while (!todo.isEmpty()) {
      EntityUid p = todo.pop();
      if (seen.add(p)) {
        todo.addAll(edges.getOrDefault(p, Set.of()));
      }
    }
    return seen;
  }

  @Property(tries = 1000)
  void overlayWhenAnyGraphsThenEqualsNaiveWalkOfTheMergedGraph(
      @ForAll("graphs") List<List<Integer>> baseParents,
      @ForAll("graphs") List<List<Integer>> moreParents) {
    List<Entity> base = new ArrayList<>();
    Map<EntityUid, Set<EntityUid>> edges = new HashMap<>();
    for (int i = 0; i < baseParents.size(); i++) {
      Set<EntityUid> ps = new HashSet<>();
      baseParents.get(i).forEach(p -> ps.add(g(p)));
      base.add(Entity.of(g(i), ps));
      edges.put(g(i), ps);
    }
    Entities store = Entities.of(base);
    // Ask the base first, so that the overlay meets remembered sets it must not trust blindly.
    for (int i = 0; i < 15; i++) {
      store.ancestors(g(i));
      store.depth(g(i));
    }
    List<Entity> more = new ArrayList<>();
    for (int i = 0; i < moreParents.size(); i++) {
      if (i % 2 == 0) {
        continue; // odd uids only: some replace base entities, some are new
      }
      Set<EntityUid> ps = new HashSet<>();
      moreParents.get(i).forEach(p -> ps.add(g(p)));
      more.add(Entity.of(g(i + 3), ps));
      edges.put(g(i + 3), ps);
    }
    Entities over = store.overlay(more);
    for (int i = 0; i < 16; i++) {
      assertThat(over.ancestors(g(i))).as("ancestors of %s", i).isEqualTo(naive(edges, g(i)));
    }
  }

  /** GH-06: a 9,000-long chain used to cost 40 million set entries (OutOfMemoryError). */
  @Test
  void ofWhenLongParentChainThenLinearWorkPerQuery() {
    int n = 50_000;
    List<Entity> es = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      es.add(Entity.of(g(i), i == n - 1 ? Set.of() : Set.of(g(i + 1))));
    }
    long start = System.nanoTime();
    Entities store = Entities.of(es);
    assertThat(store.isIn(g(0), g(n - 1))).isTrue();
    assertThat(store.ancestors(g(0))).hasSize(n - 1);
    assertThat(store.depth(g(0))).isEqualTo(n - 1);
    assertThat(store.overlay(List.of(Entity.of(g(-1), Set.of(g(0))))).depth(g(-1))).isEqualTo(n);
    assertThat(System.nanoTime() - start).as("nanoseconds").isLessThan(5_000_000_000L);
  }

  @Test
  void depthWhenCycleThenFiniteAndWhenDiamondThenLongestPath() {
    Entities cycle = Entities.of(List.of(Entity.of(g(0), Set.of(g(1))), Entity.of(g(1), Set.of(g(2))), Entity.of(g(2), Set.of(g(0)))));
    assertThat(cycle.depth(g(0))).isEqualTo(2);
    Entities diamond = Entities.of(List.of(Entity.of(g(0), Set.of(g(1), g(2))), Entity.of(g(1), Set.of(g(3))), Entity.of(g(2), Set.of()), Entity.of(g(3), Set.of(g(4)))));
    assertThat(diamond.depth(g(0))).isEqualTo(3);
    assertThat(diamond.depth(g(9))).isZero();
  }

  @Test
  void overlayWhenReplacingThenSizeAndAllCountEachUidOnce() {
    Entities store = Entities.of(List.of(Entity.of(g(0), Set.of()), Entity.of(g(1), Set.of())));
    Entities over = store.overlay(List.of(Entity.of(g(1), Set.of(g(0))), Entity.of(g(2), Set.of())));
    assertThat(over.size()).isEqualTo(3);
    assertThat(over.all()).hasSize(3);
    assertThat(over.isIn(g(1), g(0))).isTrue();
    assertThat(store.isIn(g(1), g(0))).isFalse();
  }
}
