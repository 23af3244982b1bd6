package dev.gatehouse.cedar.value;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** A Cedar set: unordered, without duplicates, elements of any types. */
public record SetValue(Set<Value> elements) implements Value {
  public static final SetValue EMPTY = new SetValue(Set.of());

  public SetValue {
    elements = Collections.unmodifiableSet(new LinkedHashSet<>(elements));
  }

  /** Returns a set of the given values (duplicates dropped). */
  public static SetValue of(Collection<? extends Value> values) {
    return new SetValue(new LinkedHashSet<>(values));
  }

  @Override
  public String typeName() {
    return "set";
  }

  @Override
  public String toString() {
    return elements.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
