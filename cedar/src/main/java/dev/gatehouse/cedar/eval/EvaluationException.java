package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.ast.SourceSpan;

/**
 * An error while evaluating a policy: a type error, a missing attribute or entity, an overflow, or
 * a failed extension function. The policy that raised it is skipped by the authorizer.
 *
 * <p>Both evaluators position the error at the innermost expression that raised it (when that
 * expression was parsed from text): the node catches it on its way out and calls {@link #at}.
 */
public final class EvaluationException extends CedarException {
  private static final long serialVersionUID = 1L;

  private final SourceSpan span;

  public EvaluationException(String message) {
    this(message, null);
  }

  private EvaluationException(String message, SourceSpan span) {
    super(message);
    this.span = span;
  }

  /** Returns where the failing expression was written, or {@code null} when not known. */
  public SourceSpan span() {
    return span;
  }

  /** Returns this error positioned at {@code at}, unless it already has a position. */
  EvaluationException at(SourceSpan at) {
    return span != null || at == null ? this : new EvaluationException(getMessage(), at);
  }

  // Evaluation errors are an expected control path: no stack trace, so they stay cheap.
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  static EvaluationException typeError(String expected, dev.gatehouse.cedar.value.Value got) {
    return new EvaluationException("type error: expected " + expected + ", got " + got.typeName());
  }
}
