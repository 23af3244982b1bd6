package dev.gatehouse.server.tenant;

/** A tenant: an isolated set of clients, keys, users and policies with its own issuer. */
public record Tenant(String id, String displayName, long createdAt) {

  /** The tenant that administers the server; its tokens carry admin scopes. */
  public static final String SYSTEM = "system";
}
