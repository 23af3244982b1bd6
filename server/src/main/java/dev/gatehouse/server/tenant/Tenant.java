package dev.gatehouse.server.tenant;

/**
 * A tenant: an isolated set of clients, keys, users and policies with its own issuer, and the
 * branding of its hosted pages.
 */
public record Tenant(String id, String displayName, long createdAt, Branding branding) {

  /** The tenant that administers the server; its tokens carry admin scopes. */
  public static final String SYSTEM = "system";

  public Tenant {
    branding = branding == null ? Branding.NONE : branding;
  }

  /** A tenant without branding. */
  public Tenant(String id, String displayName, long createdAt) {
    this(id, displayName, createdAt, Branding.NONE);
  }
}
