package dev.gatehouse.server.oauth;

/**
 * Issuer identifiers: {@code {base}/t/{tenant}}. The base is fixed by {@code server.base-url} or
 * known once the server has bound its port, hence settable once at start.
 */
public final class Issuers {

  private volatile String base;

  public Issuers(String base) {
    this.base = base;
  }

  public void base(String newBase) {
    this.base = newBase;
  }

  public String base() {
    return base;
  }

  public String issuer(String tenantId) {
    return base + "/t/" + tenantId;
  }

  public String tokenEndpoint(String tenantId) {
    return issuer(tenantId) + "/oauth2/token";
  }
}
