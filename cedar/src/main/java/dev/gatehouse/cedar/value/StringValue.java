package dev.gatehouse.cedar.value;

import dev.gatehouse.cedar.ast.Names;
import java.util.Objects;

/** A Cedar string: any sequence of Unicode scalar values. */
public record StringValue(String value) implements Value {
  public StringValue {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String typeName() {
    return "string";
  }

  @Override
  public String toString() {
    return Names.quote(value);
  }
}
