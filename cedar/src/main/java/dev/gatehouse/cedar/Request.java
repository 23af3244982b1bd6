package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import java.util.Objects;

/**
 * An authorization request: who (principal) wants to do what (action) to what (resource), in
 * which context.
 */
public record Request(EntityUid principal, EntityUid action, EntityUid resource, RecordValue context) {
  public Request {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(context, "context");
  }
}
