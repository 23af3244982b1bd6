package dev.gatehouse.cedar.value;

/**
 * A Cedar value.
 *
 * <p>Equality is Cedar's {@code ==}: structural, never an error, and false between values of
 * different types.
 */
public sealed interface Value
    permits BoolValue, LongValue, StringValue, SetValue, RecordValue, EntityValue, ExtValue {
  /** Returns the Cedar name of this value's type, for error messages: {@code long}, {@code set}, ... */
  String typeName();
}
