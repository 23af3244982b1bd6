package dev.gatehouse.cedar.validation;

import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A type of the validator's lattice, as upstream's typechecker uses it ({@code types.rs}).
 *
 * <p>Booleans have the singleton types {@link True} and {@link False} below {@link Bool}, so
 * that conditions known to be false can short-circuit typechecking. Entity types are least upper
 * bounds of entity type names; in strict mode such a bound only ever holds one name. {@link
 * Never} is the bottom type (an empty set's elements).
 */
sealed interface Type {

  /** The bottom type. */
  record Never() implements Type {
    @Override
    public String toString() {
      return "__cedar::internal::Never";
    }
  }

  /** The singleton type of {@code true}. */
  record True() implements Type {
    @Override
    public String toString() {
      return "__cedar::internal::True";
    }
  }

  /** The singleton type of {@code false}. */
  record False() implements Type {
    @Override
    public String toString() {
      return "__cedar::internal::False";
    }
  }

  /** Any boolean. */
  record Bool() implements Type {
    @Override
    public String toString() {
      return "Bool";
    }
  }

  /** 64-bit integers. */
  record Long() implements Type {
    @Override
    public String toString() {
      return "Long";
    }
  }

  /** Strings. */
  record Str() implements Type {
    @Override
    public String toString() {
      return "String";
    }
  }

  /** Sets; a {@code null} element type stands for "any set" and only appears as an expectation. */
  record SetOf(Type element) implements Type {
    @Override
    public String toString() {
      return element == null ? "Set<__cedar::internal::Any>" : "Set<" + element + ">";
    }
  }

  /**
   * Records. Closed records list every attribute a value may have; open ones (the result of a
   * lub, or "any record" as an expectation) may have more.
   */
  record Rec(Map<String, Attr> attrs, boolean open) implements Type {
    public Rec {
      attrs = Collections.unmodifiableMap(new TreeMap<>(attrs));
    }

    @Override
    public String toString() {
      return (open ? "__cedar::internal::OpenRecord" : "")
          + attrs.entrySet().stream()
              .map(e -> e.getKey() + (e.getValue().required() ? "" : "?") + ": " + e.getValue().type())
              .collect(Collectors.joining(", ", "{", "}"));
    }
  }

  /** An attribute of a record or entity type. */
  record Attr(Type type, boolean required) {}

  /** A reference to an entity of one of these (non-action) entity types. */
  record Entity(SortedSet<String> lub) implements Type {
    public Entity {
      lub = Collections.unmodifiableSortedSet(new TreeSet<>(lub));
    }

    static Entity of(String name) {
      TreeSet<String> s = new TreeSet<>();
      s.add(name);
      return new Entity(s);
    }

    /** The only entity type of this bound, or {@code null} when it has several. */
    String single() {
      return lub.size() == 1 ? lub.first() : null;
    }

    @Override
    public String toString() {
      return lub.size() == 1 ? lub.first() : "__cedar::internal::Union<" + String.join(", ", lub) + ">";
    }
  }

  /** A reference to an action entity of this action entity type ({@code Action}, {@code NS::Action}). */
  record ActionEntity(String name) implements Type {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Any entity; only appears as an expectation in strict mode. */
  record AnyEntity() implements Type {
    @Override
    public String toString() {
      return "__cedar::internal::AnyEntity";
    }
  }

  /** An extension type ({@code ipaddr}, {@code decimal}, {@code datetime}, {@code duration}). */
  record Ext(String name) implements Type {
    @Override
    public String toString() {
      return name;
    }
  }

  Type NEVER = new Never();
  Type TRUE = new True();
  Type FALSE = new False();
  Type BOOL = new Bool();
  Type LONG = new Long();
  Type STRING = new Str();
  Type ANY_ENTITY = new AnyEntity();
  Type ANY_SET = new SetOf(null);
  Type ANY_RECORD = new Rec(Map.of(), true);

  /** The singleton boolean type of {@code b}. */
  static Type singleton(boolean b) {
    return b ? TRUE : FALSE;
  }

  /** Whether this is {@link True}, {@link False} or {@link Bool}. */
  default boolean isBoolean() {
    return this instanceof True || this instanceof False || this instanceof Bool;
  }
}
