package dev.gatehouse.cedar.value;

/** A value of an extension type: {@code ipaddr}, {@code decimal}, {@code datetime} or {@code duration}. */
public sealed interface ExtValue extends Value permits IpAddr, Decimal, DateTime, Duration {
  /** Returns the name of the constructor function that makes values of this type. */
  String constructor();

  /** Returns the string argument that, given to {@link #constructor()}, recreates this value. */
  String constructorArg();
}
