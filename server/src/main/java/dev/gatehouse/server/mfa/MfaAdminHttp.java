package dev.gatehouse.server.mfa;

import dev.gatehouse.server.adminapi.AdminTenants;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.adminapi.JsonFields;
import dev.gatehouse.server.events.AuditLog;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.ProblemException;
import dev.gatehouse.server.identity.User;
import dev.gatehouse.server.identity.UserService;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Admin API for strong authentication: a tenant's MFA policy and WebAuthn relying party, and a
 * user's factors (list, reset). Errors are {@code application/problem+json}. Documented in
 * docs/mfa.md and docs/admin-api.md.
 */
public final class MfaAdminHttp implements HttpService {

  private static final Set<String> POLICY_FIELDS = Set.of("policy", "required_groups",
      "required_roles", "rp_id", "origins");

  private final AdminAuth auth;
  private final TenantService tenants;
  private final UserService users;
  private final MfaService mfa;
  private final Clock clock;
  private final int maxBody;
  private final AuditLog audit;

  public MfaAdminHttp(AdminAuth auth, TenantService tenants, UserService users, MfaService mfa,
      Clock clock, int maxBody, AuditLog audit) {
    this.audit = audit;
    this.auth = auth;
    this.tenants = tenants;
    this.users = users;
    this.mfa = mfa;
    this.clock = clock;
    this.maxBody = maxBody;
  }

  @Override
  public void routing(HttpRules rules) {
    String base = "/admin/v1/tenants/{tenant}";
    rules.get(base + "/mfa-policy", auth.guard(this::getPolicy))
        .put(base + "/mfa-policy", auth.guard(this::putPolicy))
        .get(base + "/users/{user}/factors", auth.guard(this::listFactors))
        .delete(base + "/users/{user}/factors", auth.guard(this::resetFactors));
  }

  private void getPolicy(ServerRequest req, ServerResponse res) {
    Exchange.json(res, 200, json(mfa.policy(AdminTenants.require(tenants, req).id())));
  }

  private void putPolicy(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, POLICY_FIELDS);
    String modeName = JsonFields.string(body, "policy");
    MfaPolicy.Mode mode = MfaPolicy.Mode.parse(modeName);
    if (mode == null) {
      throw new ProblemException(400, "`policy` must be one of off, optional, required, groups");
    }
    Set<String> groups = names(body, "required_groups");
    Set<String> roles = names(body, "required_roles");
    if (mode == MfaPolicy.Mode.GROUPS && groups.isEmpty() && roles.isEmpty()) {
      throw new ProblemException(400, "policy `groups` needs `required_groups` or"
          + " `required_roles`");
    }
    // A misspelt group would silently require a second factor of nobody.
    Set<String> known = new java.util.HashSet<>();
    users.groups(t.id()).forEach(g -> known.add(g.name()));
    List<String> unknown = groups.stream().filter(g -> !known.contains(g))
        .map(g -> "`" + AdminTenants.printable(g) + "`").toList();
    if (!unknown.isEmpty()) {
      throw new ProblemException(400, "`required_groups`: no group " + String.join(", ", unknown)
          + " in tenant `" + t.id() + "`; create it first (POST /admin/v1/tenants/" + t.id()
          + "/groups)");
    }
    String rpId = JsonFields.string(body, "rp_id");
    if (rpId != null && !rpId.matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")) {
      throw new ProblemException(400, "`rp_id` must be a lower-case host name, e.g."
          + " `example.com`");
    }
    Set<String> origins = new LinkedHashSet<>();
    for (String o : names(body, "origins")) {
      URI u;
      try {
        u = URI.create(o);
      } catch (IllegalArgumentException e) {
        u = null;
      }
      if (u == null || u.getHost() == null || u.getPath() != null && !u.getPath().isEmpty()
          || !"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
        throw new ProblemException(400, "origin `" + AdminTenants.printable(o)
            + "` must be scheme://host[:port] with no path");
      }
      if (rpId != null && !(u.getHost().equals(rpId) || u.getHost().endsWith("." + rpId))) {
        // WebAuthn L2 §5.1.3 step 8 / §5.1.4.1 step 7: the RP ID must be the origin's effective
        // domain or a registrable suffix of it.
        throw new ProblemException(400, "origin `" + o + "` is not within `rp_id` `" + rpId
            + "`");
      }
      origins.add(o);
    }
    MfaPolicy p = new MfaPolicy(mode, groups, roles, rpId, origins);
    audit.change(t.id(), "admin.mfa_policy.updated", AdminAuth.actor(req), t.id(),
        () -> mfa.setPolicy(t.id(), p, clock.instant().getEpochSecond()));
    Exchange.json(res, 200, json(p));
  }

  private void listFactors(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    User u = user(req, t);
    MfaService.Factors f = mfa.factors(t.id(), u.id());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("totp", Map.of("enrolled", f.totp()));
    List<Map<String, Object>> keys = new ArrayList<>();
    for (PasskeyStore.Passkey p : f.passkeys()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("credential_id", p.credentialId());
      m.put("name", p.name());
      m.put("synced", p.backupEligible());
      m.put("created_at", p.createdAt());
      if (p.lastUsedAt() != null) {
        m.put("last_used_at", p.lastUsedAt());
      }
      keys.add(m);
    }
    out.put("passkeys", keys);
    out.put("recovery_codes_remaining", f.recoveryCodes());
    Exchange.json(res, 200, out);
  }

  private void resetFactors(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    User u = user(req, t);
    Map<String, Object> removed = audit.change(t.id(), "admin.user.factors_reset",
        AdminAuth.actor(req), () -> {
          // Sessions first: a passkey being added in one of them holds its session's row until
          // it is stored, so the deletes below, which come after the revocation, see it.
          users.factorsReset(t.id(), u.id());
          return mfa.reset(t.id(), u.id());
        }, r -> AuditLog.target(u.id()));
    Exchange.json(res, 200, Map.of("removed", removed));
  }

  private static Map<String, Object> json(MfaPolicy p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", p.mode().value());
    m.put("required_groups", p.requiredGroups());
    m.put("required_roles", p.requiredRoles());
    if (p.rpId() != null) {
      m.put("rp_id", p.rpId());
    }
    m.put("origins", p.origins());
    return m;
  }

  private static Set<String> names(JsonNode body, String field) {
    List<String> l = JsonFields.strings(body, field);
    if (l == null) {
      return Set.of();
    }
    for (String s : l) {
      if (s.isEmpty() || s.length() > 200 || s.contains(" ")) {
        throw new ProblemException(400, "`" + field + "` holds an empty, long or spaced name");
      }
    }
    return new LinkedHashSet<>(l);
  }


  private User user(ServerRequest req, Tenant t) {
    String id = req.path().pathParameters().first("user").orElse("");
    return users.find(t.id(), id).orElseThrow(() -> new ProblemException(404,
        "no user `" + AdminTenants.printable(id) + "` in tenant `" + t.id() + "`"));
  }
}
