package dev.gatehouse.cedar.ast;

import java.util.Objects;

/**
 * A {@code when} or {@code unless} clause of a policy.
 *
 * @param when true for {@code when}, false for {@code unless}
 * @param body the boolean expression inside the braces
 */
public record Condition(boolean when, Expr body) {
  public Condition {
    Objects.requireNonNull(body, "body");
  }
}
