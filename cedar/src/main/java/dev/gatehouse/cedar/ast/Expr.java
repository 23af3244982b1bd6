package dev.gatehouse.cedar.ast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Cedar expression.
 *
 * <p>Syntactic sugar is removed by the parser: {@code e has a.b} becomes {@code e has a && e.a has
 * b}, {@code e is T in x} becomes {@code e is T && e in x}. Everything else maps one to one onto
 * the surface syntax, so the formatter can print any tree back.
 */
public sealed interface Expr {
  /** {@code true} or {@code false}. */
  record BoolLit(boolean value) implements Expr {}

  /** A 64-bit integer literal. */
  record LongLit(long value) implements Expr {}

  /** A string literal (escapes already resolved). */
  record StringLit(String value) implements Expr {
    public StringLit {
      Objects.requireNonNull(value, "value");
    }
  }

  /** An entity literal {@code Type::"id"}. */
  record EntityLit(EntityUid uid) implements Expr {
    public EntityLit {
      Objects.requireNonNull(uid, "uid");
    }
  }

  /** A request variable. */
  record VarRef(Var var) implements Expr {
    public VarRef {
      Objects.requireNonNull(var, "var");
    }
  }

  /** A template slot; only allowed in a policy's scope, kept here so templates can be expressed. */
  record SlotRef(Slot slot) implements Expr {
    public SlotRef {
      Objects.requireNonNull(slot, "slot");
    }
  }

  /** {@code !e}, {@code -e} and {@code e.isEmpty()}. */
  record Unary(UnaryOp op, Expr arg) implements Expr {
    public Unary {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(arg, "arg");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }

  /** A binary operator or built-in two-argument method such as {@code contains}. */
  record Binary(BinaryOp op, Expr left, Expr right) implements Expr {
    public Binary {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }

  /** {@code left && right}, short-circuiting. */
  record And(Expr left, Expr right) implements Expr {
    public And {
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }

  /** {@code left || right}, short-circuiting. */
  record Or(Expr left, Expr right) implements Expr {
    public Or {
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }

  /** {@code if cond then then else otherwise}. */
  record If(Expr cond, Expr then, Expr otherwise) implements Expr {
    public If {
      Objects.requireNonNull(cond, "cond");
      Objects.requireNonNull(then, "then");
      Objects.requireNonNull(otherwise, "otherwise");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }

  /** {@code e.attr} or {@code e["attr"]}. */
  record GetAttr(Expr target, String attr) implements Expr {
    public GetAttr {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(attr, "attr");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }

  /** {@code e has attr} for one attribute. */
  record HasAttr(Expr target, String attr) implements Expr {
    public HasAttr {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(attr, "attr");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }

  /** {@code e like "pattern"}. */
  record Like(Expr target, Pattern pattern) implements Expr {
    public Like {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }

  /** {@code e is Type}. */
  record Is(Expr target, EntityType type) implements Expr {
    public Is {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(type, "type");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }

  /** A set literal {@code [a, b]}. */
  record SetLit(List<Expr> elements) implements Expr {
    public SetLit {
      elements = List.copyOf(elements);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }

  /** A record literal {@code {a: 1, "b": 2}}; keys are unique, textual order kept. */
  record RecordLit(Map<String, Expr> fields) implements Expr {
    public RecordLit {
      fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }

  /**
   * A call of an extension function, in function style ({@code ip("1.2.3.4")}) or method style
   * ({@code a.lessThan(b)}, where {@code a} is the first argument).
   */
  record ExtCall(String function, List<Expr> args) implements Expr {
    public ExtCall {
      Objects.requireNonNull(function, "function");
      args = List.copyOf(args);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && ExprStructure.equal(this, e);
    }

    @Override
    public int hashCode() {
      return ExprStructure.hash(this);
    }
  }
}
