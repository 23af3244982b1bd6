package dev.gatehouse.cedar.value;

import dev.gatehouse.cedar.ast.EntityUid;
import java.util.Objects;

/** A reference to an entity, by uid; the entity need not exist in the store. */
public record EntityValue(EntityUid uid) implements Value {
  public EntityValue {
    Objects.requireNonNull(uid, "uid");
  }

  @Override
  public String typeName() {
    return "(entity of type `" + uid.type() + "`)";
  }

  @Override
  public String toString() {
    return uid.toString();
  }
}
