package dev.gatehouse.cedar;

/** The outcome of an authorization request. */
public enum Decision {
  ALLOW,
  DENY
}
