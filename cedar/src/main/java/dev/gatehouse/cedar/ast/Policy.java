package dev.gatehouse.cedar.ast;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Cedar policy or template: effect, scope, conditions and annotations.
 *
 * <p>A policy whose scope mentions a {@link Slot} is a template; {@link #link} fills its slots.
 *
 * @param id the policy id ({@code policy0}, ... for a parsed policy set)
 * @param effect permit or forbid
 * @param annotations annotations in textual order; keys are unique
 * @param principal the principal constraint
 * @param action the action constraint
 * @param resource the resource constraint
 * @param conditions {@code when}/{@code unless} clauses in textual order
 * @param spans where the policy and its scope constraints were written, or {@code null} when it
 *     was not parsed from text; ignored by {@code equals} and {@code hashCode}
 */
public record Policy(
    String id,
    Effect effect,
    List<Annotation> annotations,
    ScopeConstraint principal,
    ScopeConstraint action,
    ScopeConstraint resource,
    List<Condition> conditions,
    Spans spans) {

  /**
   * Where a parsed policy sits in the policy text: the whole policy (from its first annotation to
   * its semicolon) and each constraint of its scope (e.g. {@code principal in Group::"a"}).
   */
  public record Spans(SourceSpan policy, SourceSpan principal, SourceSpan action,
      SourceSpan resource) {
    public Spans {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(resource, "resource");
    }
  }

  /** Creates a policy without source spans. */
  public Policy(String id, Effect effect, List<Annotation> annotations, ScopeConstraint principal,
      ScopeConstraint action, ScopeConstraint resource, List<Condition> conditions) {
    this(id, effect, annotations, principal, action, resource, conditions, null);
  }

  public Policy {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(effect, "effect");
    annotations = List.copyOf(annotations);
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    conditions = List.copyOf(conditions);
  }

  /** Returns the slots this policy uses; empty for a static policy. */
  public Set<Slot> slots() {
    EnumSet<Slot> s = EnumSet.noneOf(Slot.class);
    addSlot(principal, s);
    addSlot(resource, s);
    return s;
  }

  /** Returns whether this policy is a template (has slots). */
  public boolean isTemplate() {
    return !slots().isEmpty();
  }

  /** Returns a copy with another id. */
  public Policy withId(String newId) {
    return new Policy(newId, effect, annotations, principal, action, resource, conditions, spans);
  }

  /** Returns where the whole policy was written, or {@code null} when it was not parsed from text. */
  public SourceSpan span() {
    return spans == null ? null : spans.policy();
  }

  /** Equality of everything but the source spans. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Policy p
        && id.equals(p.id)
        && effect == p.effect
        && annotations.equals(p.annotations)
        && principal.equals(p.principal)
        && action.equals(p.action)
        && resource.equals(p.resource)
        && conditions.equals(p.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, effect, annotations, principal, action, resource, conditions);
  }

  /** Returns the value of annotation {@code key}, or null. */
  public String annotation(String key) {
    for (Annotation a : annotations) {
      if (a.key().equals(key)) {
        return a.value();
      }
    }
    return null;
  }

  /**
   * Returns the static policy made from this template by filling its slots.
   *
   * @throws IllegalArgumentException if a slot the template uses has no value
   */
  public Policy link(String linkId, EntityUid principalValue, EntityUid resourceValue) {
    return new Policy(
        linkId,
        effect,
        annotations,
        fill(principal, Slot.PRINCIPAL, principalValue),
        action,
        fill(resource, Slot.RESOURCE, resourceValue),
        conditions,
        spans);
  }

  private static ScopeConstraint fill(ScopeConstraint c, Slot slot, EntityUid value) {
    EntityRef ref =
        switch (c) {
          case ScopeConstraint.Eq eq -> eq.entity();
          case ScopeConstraint.In in -> in.entity();
          case ScopeConstraint.IsIn isIn -> isIn.entity();
          default -> null;
        };
    if (!(ref instanceof Slot)) {
      return c;
    }
    if (value == null) {
      throw new IllegalArgumentException("no value given for slot `" + slot.text() + "`");
    }
    return switch (c) {
      case ScopeConstraint.Eq eq -> new ScopeConstraint.Eq(value);
      case ScopeConstraint.In in -> new ScopeConstraint.In(value);
      case ScopeConstraint.IsIn isIn -> new ScopeConstraint.IsIn(isIn.type(), value);
      default -> c;
    };
  }

  private static void addSlot(ScopeConstraint c, Set<Slot> out) {
    switch (c) {
      case ScopeConstraint.Eq eq when eq.entity() instanceof Slot s -> out.add(s);
      case ScopeConstraint.In in when in.entity() instanceof Slot s -> out.add(s);
      case ScopeConstraint.IsIn isIn when isIn.entity() instanceof Slot s -> out.add(s);
      default -> {}
    }
  }
}
