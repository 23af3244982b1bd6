package dev.gatehouse.server.admin;

import dev.gatehouse.server.adminapi.JsonFields;
import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.adminapi.AdminTenants;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.events.AuditLog;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.Handlers;
import dev.gatehouse.server.http.ProblemException;
import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.keys.KeyService;
import dev.gatehouse.server.keys.StoredKey;
import dev.gatehouse.server.oauth.AccessTokenService;
import dev.gatehouse.server.oauth.Client;
import dev.gatehouse.server.oauth.ClientRegistration;
import dev.gatehouse.server.oauth.ClientService;
import dev.gatehouse.server.oauth.Issuers;
import dev.gatehouse.server.oauth.TokenRevocation;
import dev.gatehouse.server.tenant.Branding;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API under {@code /admin/v1}: tenants, clients, keys and token revocation. JSON in and
 * out; errors as {@code application/problem+json}; every call needs an admin token
 * ({@link AdminAuth}). Documented in docs/admin-api.md.
 */
public final class AdminHttp implements HttpService {

  private static final int PAGE_MAX = 500;

  private final AdminAuth auth;
  private final TenantService tenants;
  private final ClientService clients;
  private final KeyService keys;
  private final AccessTokenService tokens;
  private final TokenRevocation revocation;
  private final Issuers issuers;
  private final int maxBody;
  private final AuditLog audit;

  public AdminHttp(AdminAuth auth, TenantService tenants, ClientService clients, KeyService keys,
      AccessTokenService tokens, TokenRevocation revocation, Issuers issuers, int maxBody,
      AuditLog audit) {
    this.revocation = revocation;
    this.audit = audit;
    this.auth = auth;
    this.tenants = tenants;
    this.clients = clients;
    this.keys = keys;
    this.tokens = tokens;
    this.issuers = issuers;
    this.maxBody = maxBody;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/admin/v1/tenants", guarded(this::createTenant))
        .get("/admin/v1/tenants", guarded(this::listTenants))
        .get("/admin/v1/tenants/{tenant}", guarded(this::getTenant))
        .patch("/admin/v1/tenants/{tenant}", guarded(this::updateTenant))
        .delete("/admin/v1/tenants/{tenant}", guarded(this::deleteTenant))
        .post("/admin/v1/tenants/{tenant}/clients", guarded(this::createClient))
        .get("/admin/v1/tenants/{tenant}/clients", guarded(this::listClients))
        .get("/admin/v1/tenants/{tenant}/clients/{client}", guarded(this::getClient))
        .patch("/admin/v1/tenants/{tenant}/clients/{client}", guarded(this::updateClient))
        .delete("/admin/v1/tenants/{tenant}/clients/{client}", guarded(this::deleteClient))
        .post("/admin/v1/tenants/{tenant}/clients/{client}/secret", guarded(this::newSecret))
        .post("/admin/v1/tenants/{tenant}/clients/{client}/secret/verify",
            guarded(this::verifySecret))
        .get("/admin/v1/tenants/{tenant}/keys", guarded(this::listKeys))
        .post("/admin/v1/tenants/{tenant}/keys/rotate", guarded(this::rotateKeys))
        .post("/admin/v1/tenants/{tenant}/tokens/revoke", guarded(this::revokeToken));
  }

  /** The admin API's answer for paths no admin service routes; registered after all of them. */
  public static void notFound(HttpRules rules) {
    rules.any("/admin/v1/*", Handlers.problem((req, res) -> {
      throw new ProblemException(404, "no admin resource at `"
          + AdminTenants.printable(req.path().path()) + "`");
    }));
  }

  private io.helidon.webserver.http.Handler guarded(Handlers.Endpoint endpoint) {
    return auth.guard(endpoint);
  }

  private void createTenant(ServerRequest req, ServerResponse res) {
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, Set.of("name", "display_name"));
    String name = JsonFields.string(body, "name");
    if (name == null) {
      throw new ProblemException(400, "`name` is required");
    }
    try {
      Tenant t = audit.change(Tenant.SYSTEM, "admin.tenant.created", AdminAuth.actor(req),
          () -> tenants.create(name, JsonFields.string(body, "display_name")),
          created -> AuditLog.target(created.id()));
      Exchange.json(res, 201, tenantJson(t));
    } catch (TenantService.TenantExistsException e) {
      throw new ProblemException(409, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ProblemException(400, e.getMessage());
    }
  }

  private void listTenants(ServerRequest req, ServerResponse res) {
    int limit = limit(req);
    String after = req.query().first("after").orElse(null);
    List<Map<String, Object>> items = new ArrayList<>();
    for (Tenant t : tenants.list(after, limit)) {
      items.add(tenantJson(t));
    }
    Exchange.json(res, 200, page(items, items.size() == limit
        ? (String) items.get(items.size() - 1).get("name") : null));
  }

  private void getTenant(ServerRequest req, ServerResponse res) {
    Exchange.json(res, 200, tenantJson(AdminTenants.require(tenants, req)));
  }

  /**
   * Changes a tenant's display name and branding, as a JSON merge patch (RFC 7396): a field left
   * out keeps its value, a field set to null goes back to the default.
   */
  private void updateTenant(ServerRequest req, ServerResponse res) {
    // Merge into the stored row, not into what this node cached of it.
    tenants.invalidate(req.path().pathParameters().first("tenant").orElse(""));
    Tenant t = AdminTenants.require(tenants, req);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, Set.of("display_name", "logo_url", "primary_color", "accent_color",
        "support_url", "privacy_url"));
    Branding b = t.branding();
    try {
      Branding changed = new Branding(
          patched(body, "logo_url", b.logoUrl()),
          patched(body, "primary_color", b.primaryColor()),
          patched(body, "accent_color", b.accentColor()),
          patched(body, "support_url", b.supportUrl()),
          patched(body, "privacy_url", b.privacyUrl()));
      if (body.has("display_name") && body.get("display_name").isNull()) {
        throw new ProblemException(400, "`display_name` cannot be removed, only changed");
      }
      Tenant updated = audit.change(t.id(), "admin.tenant.updated", AdminAuth.actor(req),
          () -> tenants.update(t.id(), JsonFields.string(body, "display_name"), changed),
          u -> u.isPresent() ? AuditLog.target(t.id()) : null)
          .orElseThrow(() -> new ProblemException(404, "no tenant `" + t.id() + "`"));
      Exchange.json(res, 200, tenantJson(updated));
    } catch (IllegalArgumentException e) {
      throw new ProblemException(400, e.getMessage());
    }
  }

  private static String patched(JsonNode body, String field, String current) {
    return body.has(field) ? JsonFields.string(body, field) : current;
  }

  private void deleteTenant(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    try {
      audit.change(Tenant.SYSTEM, "admin.tenant.deleted", AdminAuth.actor(req), t.id(),
          () -> tenants.delete(t.id()));
    } catch (IllegalArgumentException e) {
      throw new ProblemException(400, e.getMessage());
    }
    // The rows are gone by cascade; what this node cached of them must go too.
    clients.forgetTenant(t.id());
    tokens.forgetTenant(t.id());
    res.status(204).send();
  }

  /** The registration fields, as RFC 7591 names them where it does. */
  private static final Set<String> REGISTRATION_FIELDS = Set.of("name", "public", "grant_types",
      "scope", "token_format", "access_token_ttl", "access_token_alg",
      "token_endpoint_auth_method", "jwks", "audience", "redirect_uris",
      "post_logout_redirect_uris", "backchannel_logout_uri", "id_token_signed_response_alg",
      "frontchannel_logout_uri", "frontchannel_logout_session_required", "initiate_login_uri");

  private void createClient(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    Set<String> allowed = new java.util.HashSet<>(REGISTRATION_FIELDS);
    allowed.add("client_id");
    allowed.add("client_secret");
    JsonFields.allowOnly(body, allowed);
    ClientRegistration registration = registration(body);
    try {
      ClientService.Created created = audit.change(t.id(), "admin.client.created",
          AdminAuth.actor(req), () -> clients.create(t.id(), registration,
              JsonFields.string(body, "client_id"), JsonFields.string(body, "client_secret")),
          c -> AuditLog.target(c.client().clientId()));
      // After the commit: keys announced to other nodes must be there when they look.
      signingAlgorithms(created.client()).forEach(alg -> keys.prepublish(t.id(), alg));
      Map<String, Object> json = clientJson(created.client());
      if (created.clientSecret() != null) {
        json.put("client_secret", created.clientSecret());
      }
      Exchange.noStore(res);
      Exchange.json(res, 201, json);
    } catch (ClientService.InvalidClientMetadata e) {
      throw new ProblemException(400, e.getMessage());
    } catch (ClientService.ClientExistsException e) {
      throw new ProblemException(409, e.getMessage());
    }
  }

  private static ClientRegistration registration(JsonNode body) {
    JsonNode jwks = body.get("jwks");
    if (jwks != null && !jwks.isNull() && !jwks.isObject()) {
      throw new ProblemException(400, "`jwks` must be a JWK Set object");
    }
    return new ClientRegistration(
        JsonFields.string(body, "name"),
        JsonFields.bool(body, "public"),
        JsonFields.strings(body, "grant_types"),
        JsonFields.strings(body, "scope"),
        JsonFields.string(body, "token_format"),
        JsonFields.string(body, "access_token_alg"),
        JsonFields.integer(body, "access_token_ttl"),
        JsonFields.string(body, "token_endpoint_auth_method"),
        jwks == null || jwks.isNull() ? null : jwks.toString(),
        JsonFields.strings(body, "audience"),
        JsonFields.strings(body, "redirect_uris"),
        JsonFields.strings(body, "post_logout_redirect_uris"),
        JsonFields.string(body, "backchannel_logout_uri"),
        JsonFields.string(body, "id_token_signed_response_alg"),
        JsonFields.string(body, "frontchannel_logout_uri"),
        JsonFields.bool(body, "frontchannel_logout_session_required"),
        JsonFields.string(body, "initiate_login_uri"));
  }

  /**
   * Changes a client's settings as a JSON merge patch (RFC 7396) over its registration: a field
   * left out keeps its value, a field set to null goes back to the default. The result is
   * validated as a new registration would be.
   */
  private void updateClient(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    Client c = client(req, t);
    JsonNode patch = Exchange.jsonObject(req, maxBody);
    Set<String> patchable = new java.util.HashSet<>(REGISTRATION_FIELDS);
    patchable.remove("public");
    JsonFields.allowOnly(patch, patchable);
    com.fasterxml.jackson.databind.node.ObjectNode merged = Exchange.JSON.valueToTree(
        clientJson(c));
    merged.retain(REGISTRATION_FIELDS);
    if (!c.grantTypes().contains("authorization_code")) {
      merged.remove("id_token_signed_response_alg");
    }
    patch.fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        merged.remove(e.getKey());
      } else {
        merged.set(e.getKey(), e.getValue());
      }
    });
    ClientRegistration registration = registration(merged);
    try {
      Client updated = audit.change(t.id(), "admin.client.updated", AdminAuth.actor(req),
          () -> clients.update(t.id(), c.clientId(), registration),
          u -> u.isPresent() ? AuditLog.target(c.clientId()) : null)
          .orElseThrow(() -> new ProblemException(404, "no client `" + c.clientId() + "`"));
      signingAlgorithms(updated).forEach(alg -> keys.prepublish(t.id(), alg));
      Exchange.json(res, 200, clientJson(updated));
    } catch (ClientService.InvalidClientMetadata e) {
      throw new ProblemException(400, e.getMessage());
    }
  }

  private void listClients(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    int limit = limit(req);
    List<Map<String, Object>> items = new ArrayList<>();
    for (Client c : clients.list(t.id(), req.query().first("after").orElse(null), limit)) {
      items.add(clientJson(c));
    }
    Exchange.json(res, 200, page(items, items.size() == limit
        ? (String) items.get(items.size() - 1).get("client_id") : null));
  }

  private void getClient(ServerRequest req, ServerResponse res) {
    Exchange.json(res, 200, clientJson(client(req, AdminTenants.require(tenants, req))));
  }

  private void deleteClient(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    Client c = client(req, t);
    audit.change(t.id(), "admin.client.deleted", AdminAuth.actor(req), c.clientId(),
        () -> clients.delete(t.id(), c.clientId()));
    res.status(204).send();
  }

  private void newSecret(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    Client c = client(req, t);
    if (req.content().hasEntity()) {
      JsonNode body = Exchange.jsonObject(req, maxBody);
      JsonFields.allowOnly(body, Set.of("client_secret"));
      String chosen = JsonFields.string(body, "client_secret");
      if (chosen != null) {
        boolean set;
        try {
          set = audit.change(t.id(), "admin.client.secret_rotated", AdminAuth.actor(req),
              () -> clients.setSecret(t.id(), c.clientId(), chosen),
              ok -> ok ? AuditLog.target(c.clientId()) : null);
        } catch (ClientService.InvalidClientMetadata e) {
          throw new ProblemException(400, e.getMessage());
        }
        if (!set) {
          throw new ProblemException(409, "client `" + c.clientId() + "` has no secret to"
              + " replace");
        }
        Exchange.noStore(res);
        Exchange.json(res, 200, Map.of("client_id", c.clientId(), "secret_set", true));
        return;
      }
    }
    String secret = audit.change(t.id(), "admin.client.secret_rotated", AdminAuth.actor(req),
        () -> clients.rotateSecret(t.id(), c.clientId()),
        r -> AuditLog.target(c.clientId())).orElseThrow(() ->
        new ProblemException(409, "client `" + c.clientId() + "` has no secret to replace"));
    Exchange.noStore(res);
    Exchange.json(res, 200, Map.of("client_id", c.clientId(), "client_secret", secret));
  }

  private void verifySecret(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    Client c = client(req, t);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, Set.of("client_secret"));
    String secret = JsonFields.string(body, "client_secret");
    if (secret == null) {
      throw new ProblemException(400, "`client_secret` is required");
    }
    Exchange.json(res, 200, Map.of("client_id", c.clientId(), "matches",
        clients.secretMatches(t.id(), c.clientId(), secret)));
  }

  private void listKeys(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    List<Map<String, Object>> items = new ArrayList<>();
    for (StoredKey k : keys.describe(t.id())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kid", k.kid());
      m.put("alg", k.alg().name());
      m.put("state", k.state().dbValue());
      m.put("created_at", k.createdAt());
      if (k.publishUntil() != null) {
        m.put("published_until", k.publishUntil());
      }
      items.add(m);
    }
    Exchange.json(res, 200, Map.of("items", items));
  }

  /**
   * Rotates {@code alg}, or without it every algorithm the tenant has keys of (a tenant signing
   * ID tokens with RS256 and access tokens with ES256 rotates both). Answers with each rotation;
   * {@code active_kid} and {@code alg} at the top name the first (the default algorithm's).
   */
  private void rotateKeys(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    List<KeyAlgorithm> algs = null;
    if (req.content().hasEntity()) {
      JsonNode body = Exchange.jsonObject(req, maxBody);
      JsonFields.allowOnly(body, Set.of("alg"));
      String name = JsonFields.string(body, "alg");
      if (name != null) {
        algs = List.of(KeyAlgorithm.fromName(name).orElseThrow(() -> new ProblemException(400,
            "`alg` must be one of ES256, RS256, EdDSA")));
      }
    }
    if (algs == null) {
      algs = keys.algorithms(t.id());
      if (algs.isEmpty()) {
        algs = List.of(KeyService.DEFAULT_ALGORITHM);
      }
    }
    List<Map<String, Object>> rotated = new ArrayList<>();
    for (KeyAlgorithm alg : algs) {
      String kid = audit.change(t.id(), "admin.keys.rotated", AdminAuth.actor(req),
          () -> keys.rotate(t.id(), alg), k -> {
            Map<String, Object> m = AuditLog.target(k);
            m.put("alg", alg.name());
            return m;
          });
      rotated.add(Map.of("alg", alg.name(), "active_kid", kid));
    }
    Map<String, Object> body = new LinkedHashMap<>(rotated.get(0));
    body.put("rotated", rotated);
    Exchange.json(res, 200, body);
  }

  private void revokeToken(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, Set.of("token"));
    String token = JsonFields.string(body, "token");
    if (token == null) {
      throw new ProblemException(400, "`token` is required");
    }
    // Access and refresh tokens alike (a refresh token takes its family and the access tokens
    // issued from it).
    AccessTokenService.RevokeOutcome outcome = revocation.revoke(t.id(), token, null, null,
        "admin:" + AdminAuth.actor(req));
    Exchange.json(res, 200, Map.of("revoked",
        outcome == AccessTokenService.RevokeOutcome.REVOKED));
  }


  private Client client(ServerRequest req, Tenant t) {
    String id = req.path().pathParameters().first("client").orElse("");
    return clients.find(t.id(), id).orElseThrow(() -> new ProblemException(404,
        "no client `" + AdminTenants.printable(id) + "` in tenant `" + t.id() + "`"));
  }

  private static int limit(ServerRequest req) {
    String raw = req.query().first("limit").orElse("100");
    try {
      int n = Integer.parseInt(raw);
      if (n < 1 || n > PAGE_MAX) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ProblemException(400, "`limit` must be between 1 and " + PAGE_MAX);
    }
  }

  private static Map<String, Object> page(List<Map<String, Object>> items, String next) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("items", items);
    if (next != null) {
      m.put("next_after", next);
    }
    return m;
  }

  private Map<String, Object> tenantJson(Tenant t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", t.id());
    m.put("display_name", t.displayName());
    m.put("issuer", issuers.issuer(t.id()));
    Branding b = t.branding();
    putIfSet(m, "logo_url", b.logoUrl());
    putIfSet(m, "primary_color", b.primaryColor());
    putIfSet(m, "accent_color", b.accentColor());
    putIfSet(m, "support_url", b.supportUrl());
    putIfSet(m, "privacy_url", b.privacyUrl());
    m.put("created_at", t.createdAt());
    return m;
  }

  private static void putIfSet(Map<String, Object> m, String field, String value) {
    if (value != null) {
      m.put(field, value);
    }
  }

  /** The algorithms {@code c}'s tokens are signed with: JWT access tokens, ID tokens. */
  static List<KeyAlgorithm> signingAlgorithms(Client c) {
    List<KeyAlgorithm> algs = new ArrayList<>();
    if (c.tokenFormat() == Client.TokenFormat.JWT) {
      algs.add(c.accessTokenAlg());
    }
    if (c.grantTypes().contains("authorization_code") && !algs.contains(c.idTokenAlg())) {
      algs.add(c.idTokenAlg());
    }
    return algs;
  }

  static Map<String, Object> clientJson(Client c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("client_id", c.clientId());
    m.put("name", c.name());
    m.put("public", c.type() == Client.ClientType.PUBLIC);
    m.put("token_endpoint_auth_method", c.authMethod().value());
    m.put("grant_types", List.copyOf(c.grantTypes()));
    m.put("scope", String.join(" ", c.scopes()));
    m.put("token_format", c.tokenFormat().value());
    if (c.tokenFormat() == Client.TokenFormat.JWT) {
      m.put("access_token_alg", c.accessTokenAlg().name());  // opaque tokens are not signed
    }
    m.put("access_token_ttl", c.accessTokenTtl());
    if (!c.audience().isEmpty()) {
      m.put("audience", c.audience());
    }
    if (c.jwks() != null) {
      try {
        m.put("jwks", Exchange.JSON.readTree(c.jwks()));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("stored jwks of `" + c.clientId() + "` is not JSON", e);
      }
    }
    if (!c.redirectUris().isEmpty()) {
      m.put("redirect_uris", c.redirectUris());
    }
    if (!c.postLogoutRedirectUris().isEmpty()) {
      m.put("post_logout_redirect_uris", c.postLogoutRedirectUris());
    }
    if (c.backchannelLogoutUri() != null) {
      m.put("backchannel_logout_uri", c.backchannelLogoutUri());
    }
    if (c.grantTypes().contains("authorization_code")) {
      m.put("id_token_signed_response_alg", c.idTokenAlg().name());
    }
    if (c.frontchannelLogoutUri() != null) {
      m.put("frontchannel_logout_uri", c.frontchannelLogoutUri());
      m.put("frontchannel_logout_session_required", c.frontchannelLogoutSessionRequired());
    }
    if (c.initiateLoginUri() != null) {
      m.put("initiate_login_uri", c.initiateLoginUri());
    }
    m.put("created_at", c.createdAt());
    return m;
  }
}
