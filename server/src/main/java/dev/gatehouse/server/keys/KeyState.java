package dev.gatehouse.server.keys;

/**
 * Where a signing key is in its life: pre-published, signing, or published only to verify what it
 * signed. Rotation moves next → active → retired.
 */
public enum KeyState {
  NEXT, ACTIVE, RETIRED;

  public String dbValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static KeyState fromDb(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
