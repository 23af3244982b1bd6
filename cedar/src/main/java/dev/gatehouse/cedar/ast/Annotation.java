package dev.gatehouse.cedar.ast;

import java.util.Objects;

/**
 * A policy annotation {@code @key("value")}; {@code @key} alone has the value {@code ""}.
 *
 * @param key the annotation's identifier
 * @param value its string value
 */
public record Annotation(String key, String value) {
  public Annotation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
