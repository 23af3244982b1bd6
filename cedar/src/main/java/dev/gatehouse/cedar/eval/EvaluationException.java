package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.CedarException;

/**
 * An error while evaluating a policy: a type error, a missing attribute or entity, an overflow, or
 * a failed extension function. The policy that raised it is skipped by the authorizer.
 */
public final class EvaluationException extends CedarException {
  private static final long serialVersionUID = 1L;

  public EvaluationException(String message) {
    super(message);
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
