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
 *
 * <p>Every node records the {@link SourceSpan} of the text it was parsed from (a desugared node
 * gets the span of the construct it came from), or {@code null} when it was not parsed from text
 * (JSON policies, trees built in code). Equality and hashing ignore spans.
 */
public sealed interface Expr {
  /** Returns where this expression was written in the policy text, or {@code null}. */
  SourceSpan span();

  /** {@code true} or {@code false}. */
  record BoolLit(boolean value, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public BoolLit(boolean value) {
      this(value, null);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BoolLit b && b.value == value;
    }

    @Override
    public int hashCode() {
      return Boolean.hashCode(value);
    }
  }

  /** A 64-bit integer literal. */
  record LongLit(long value, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public LongLit(long value) {
      this(value, null);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LongLit l && l.value == value;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(value);
    }
  }

  /** A string literal (escapes already resolved). */
  record StringLit(String value, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public StringLit(String value) {
      this(value, null);
    }

    public StringLit {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StringLit l && l.value.equals(value);
    }

    @Override
    public int hashCode() {
      return value.hashCode();
    }
  }

  /** An entity literal {@code Type::"id"}. */
  record EntityLit(EntityUid uid, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public EntityLit(EntityUid uid) {
      this(uid, null);
    }

    public EntityLit {
      Objects.requireNonNull(uid, "uid");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof EntityLit l && l.uid.equals(uid);
    }

    @Override
    public int hashCode() {
      return uid.hashCode();
    }
  }

  /** A request variable. */
  record VarRef(Var var, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public VarRef(Var var) {
      this(var, null);
    }

    public VarRef {
      Objects.requireNonNull(var, "var");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof VarRef v && v.var == var;
    }

    @Override
    public int hashCode() {
      return var.hashCode();
    }
  }

  /** A template slot; only allowed in a policy's scope, kept here so templates can be expressed. */
  record SlotRef(Slot slot, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public SlotRef(Slot slot) {
      this(slot, null);
    }

    public SlotRef {
      Objects.requireNonNull(slot, "slot");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SlotRef r && r.slot == slot;
    }

    @Override
    public int hashCode() {
      return slot.hashCode();
    }
  }

  /** {@code !e}, {@code -e} and {@code e.isEmpty()}. */
  record Unary(UnaryOp op, Expr arg, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public Unary(UnaryOp op, Expr arg) {
      this(op, arg, null);
    }

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
  record Binary(BinaryOp op, Expr left, Expr right, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public Binary(BinaryOp op, Expr left, Expr right) {
      this(op, left, right, null);
    }

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
  record And(Expr left, Expr right, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public And(Expr left, Expr right) {
      this(left, right, null);
    }

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
  record Or(Expr left, Expr right, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public Or(Expr left, Expr right) {
      this(left, right, null);
    }

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
  record If(Expr cond, Expr then, Expr otherwise, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public If(Expr cond, Expr then, Expr otherwise) {
      this(cond, then, otherwise, null);
    }

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
  record GetAttr(Expr target, String attr, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public GetAttr(Expr target, String attr) {
      this(target, attr, null);
    }

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
  record HasAttr(Expr target, String attr, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public HasAttr(Expr target, String attr) {
      this(target, attr, null);
    }

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
  record Like(Expr target, Pattern pattern, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public Like(Expr target, Pattern pattern) {
      this(target, pattern, null);
    }

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
  record Is(Expr target, EntityType type, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public Is(Expr target, EntityType type) {
      this(target, type, null);
    }

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
  record SetLit(List<Expr> elements, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public SetLit(List<Expr> elements) {
      this(elements, null);
    }

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
  record RecordLit(Map<String, Expr> fields, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public RecordLit(Map<String, Expr> fields) {
      this(fields, null);
    }

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
  record ExtCall(String function, List<Expr> args, SourceSpan span) implements Expr {
    /** Creates the node without a source span. */
    public ExtCall(String function, List<Expr> args) {
      this(function, args, null);
    }

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
