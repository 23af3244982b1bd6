package dev.gatehouse.cedar.ast;

import java.util.List;
import java.util.Objects;

/** A constraint on the principal, action or resource in a policy's scope. */
public sealed interface ScopeConstraint {
  /** No constraint: {@code principal}. */
  record Any() implements ScopeConstraint {}

  /** {@code principal == E}. */
  record Eq(EntityRef entity) implements ScopeConstraint {
    public Eq {
      Objects.requireNonNull(entity, "entity");
    }
  }

  /** {@code principal in E}. */
  record In(EntityRef entity) implements ScopeConstraint {
    public In {
      Objects.requireNonNull(entity, "entity");
    }
  }

  /** {@code action in [A, B]}: only for actions. */
  record InSet(List<EntityUid> entities) implements ScopeConstraint {
    public InSet {
      entities = List.copyOf(entities);
    }
  }

  /** {@code principal is T}. */
  record Is(EntityType type) implements ScopeConstraint {
    public Is {
      Objects.requireNonNull(type, "type");
    }
  }

  /** {@code principal is T in E}. */
  record IsIn(EntityType type, EntityRef entity) implements ScopeConstraint {
    public IsIn {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(entity, "entity");
    }
  }

  /** The shared unconstrained instance. */
  Any ANY = new Any();
}
