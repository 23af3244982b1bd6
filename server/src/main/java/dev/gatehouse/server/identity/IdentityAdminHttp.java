package dev.gatehouse.server.identity;

import dev.gatehouse.server.adminapi.AdminTenants;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.adminapi.JsonFields;
import dev.gatehouse.server.events.AuditLog;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.ProblemException;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Admin API for the people of a tenant: users (create, read, update, disable, delete, list with
 * search and paging, set password, import hashes), groups with parents and members, roles, and
 * the password policy. Documented in docs/admin-api.md.
 */
public final class IdentityAdminHttp implements HttpService {

  private static final Set<String> USER_FIELDS = Set.of("username", "email", "email_verified",
      "display_name", "password", "password_hash", "attributes", "claims", "disabled");
  private static final Set<String> NEW_USER_FIELDS = Set.of("id", "username", "email",
      "email_verified", "display_name", "password", "password_hash", "attributes", "claims", "disabled");

  private final AdminAuth auth;
  private final TenantService tenants;
  private final UserService users;
  private final int maxBody;
  private final AuditLog audit;

  public IdentityAdminHttp(AdminAuth auth, TenantService tenants, UserService users,
      int maxBody, AuditLog audit) {
    this.audit = audit;
    this.auth = auth;
    this.tenants = tenants;
    this.users = users;
    this.maxBody = maxBody;
  }

  @Override
  public void routing(HttpRules rules) {
    String base = "/admin/v1/tenants/{tenant}";
    rules.post(base + "/users", guard(this::createUser))
        .get(base + "/users", guard(this::listUsers))
        .get(base + "/users/{user}", guard(this::getUser))
        .patch(base + "/users/{user}", guard(this::updateUser))
        .delete(base + "/users/{user}", guard(this::deleteUser))
        .post(base + "/users/{user}/password", guard(this::setPassword))
        .put(base + "/users/{user}/roles", guard(this::setRoles))
        .post(base + "/groups", guard(this::createGroup))
        .get(base + "/groups", guard(this::listGroups))
        .delete(base + "/groups/{group}", guard(this::deleteGroup))
        .get(base + "/groups/{group}/members", guard(this::listMembers))
        .put(base + "/groups/{group}/members/{user}", guard(this::addMember))
        .delete(base + "/groups/{group}/members/{user}", guard(this::removeMember))
        .get(base + "/password-policy", guard(this::getPolicy))
        .put(base + "/password-policy", guard(this::putPolicy));
  }

  private Handler guard(dev.gatehouse.server.http.Handlers.Endpoint e) {
    return auth.guard((req, res) -> {
      try {
        e.handle(req, res);
      } catch (IdentityException ie) {
        throw new ProblemException(ie.conflict() ? 409 : 400, ie.getMessage());
      }
    });
  }

  private void createUser(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, NEW_USER_FIELDS);
    if (body.has("disabled")) {
      throw new ProblemException(400, "`disabled` is set with PATCH after creation");
    }
    NewUser n = new NewUser(JsonFields.string(body, "username"), JsonFields.string(body, "email"),
        JsonFields.bool(body, "email_verified"), JsonFields.string(body, "display_name"), JsonFields.string(body, "password"),
        JsonFields.string(body, "password_hash"), attributes(body), object(body, "claims"));
    User u = audit.change(t.id(), "admin.user.created", AdminAuth.actor(req),
        () -> users.create(t.id(), n, JsonFields.string(body, "id")),
        created -> AuditLog.target(created.id()));
    Exchange.json(res, 201, json(u, t.id()));
  }

  private void listUsers(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    int limit = limit(req);
    List<Map<String, Object>> items = new ArrayList<>();
    List<User> page = users.list(t.id(), req.query().first("q").orElse(null),
        req.query().first("after").orElse(null), limit);
    for (User u : page) {
      items.add(json(u, null));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", items);
    if (page.size() == limit) {
      out.put("next_after", page.get(page.size() - 1).username());
    }
    Exchange.json(res, 200, out);
  }

  private void getUser(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    Exchange.json(res, 200, json(user(req, t), t.id()));
  }

  private void updateUser(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    User u = user(req, t);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, Set.of("username", "email", "email_verified", "display_name", "attributes",
        "claims", "disabled"));
    Map<String, Object> changes = new HashMap<>();
    for (String f : List.of("username", "email", "display_name")) {
      if (body.has(f)) {
        changes.put(f, JsonFields.string(body, f));
      }
    }
    for (String f : List.of("email_verified", "disabled")) {
      if (body.has(f)) {
        changes.put(f, JsonFields.bool(body, f));
      }
    }
    if (body.has("attributes")) {
      changes.put("attributes", attributes(body));
    }
    if (body.has("claims")) {
      changes.put("claims", object(body, "claims"));
    }
    User updated = audit.change(t.id(), "admin.user.updated", AdminAuth.actor(req),
        () -> users.update(t.id(), u.id(), changes), x -> {
          Map<String, Object> m = AuditLog.target(u.id());
          m.put("fields", new java.util.TreeSet<>(changes.keySet()));
          return m;
        });
    Exchange.json(res, 200, json(updated, t.id()));
  }

  private void deleteUser(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    String id = user(req, t).id();
    audit.change(t.id(), "admin.user.deleted", AdminAuth.actor(req), id,
        () -> users.delete(t.id(), id));
    res.status(204).send();
  }

  private void setPassword(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    User u = user(req, t);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, Set.of("password"));
    String password = JsonFields.string(body, "password");
    if (password == null) {
      throw new ProblemException(400, "`password` is required");
    }
    audit.change(t.id(), "admin.user.password_set", AdminAuth.actor(req), u.id(),
        () -> users.resetPassword(t.id(), u.id(), password));
    res.status(204).send();
  }

  private void setRoles(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    User u = user(req, t);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, Set.of("roles"));
    JsonNode roles = body.get("roles");
    if (roles == null || !roles.isArray()) {
      throw new ProblemException(400, "`roles` must be an array of strings");
    }
    Set<String> set = new LinkedHashSet<>();
    for (JsonNode r : roles) {
      if (!r.isTextual()) {
        throw new ProblemException(400, "`roles` must be an array of strings");
      }
      set.add(r.asText());
    }
    audit.change(t.id(), "admin.user.roles_set", AdminAuth.actor(req), () -> {
      users.setRoles(t.id(), u.id(), set);
      return set;
    }, r -> {
      Map<String, Object> m = AuditLog.target(u.id());
      m.put("roles", List.copyOf(r));
      return m;
    });
    Exchange.json(res, 200, json(u, t.id()));
  }

  private void createGroup(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, Set.of("name", "parent", "description"));
    GroupStore.Group g = audit.change(t.id(), "admin.group.created", AdminAuth.actor(req),
        () -> users.createGroup(t.id(), JsonFields.string(body, "name"),
            JsonFields.string(body, "parent"), JsonFields.string(body, "description")),
        created -> AuditLog.target(created.name()));
    Exchange.json(res, 201, groupJson(g));
  }

  private void listGroups(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    List<Map<String, Object>> items = new ArrayList<>();
    users.groups(t.id()).forEach(g -> items.add(groupJson(g)));
    Exchange.json(res, 200, Map.of("items", items));
  }

  private void deleteGroup(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    String name = req.path().pathParameters().get("group");
    if (!audit.change(t.id(), "admin.group.deleted", AdminAuth.actor(req),
        () -> users.deleteGroup(t.id(), name), d -> d ? AuditLog.target(name) : null)) {
      throw new ProblemException(404, "no group `" + AdminTenants.printable(name) + "`");
    }
    res.status(204).send();
  }

  /** The direct members of a group, by username. */
  private void listMembers(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    String group = req.path().pathParameters().get("group");
    if (users.groups(t.id()).stream().noneMatch(g -> g.name().equals(group))) {
      throw new ProblemException(404, "no group `" + AdminTenants.printable(group) + "`");
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (Map.Entry<String, java.util.Set<String>> m : users.memberships(t.id()).entrySet()) {
      if (m.getValue().contains(group)) {
        users.find(t.id(), m.getKey()).ifPresent(u -> items.add(
            new java.util.LinkedHashMap<>(Map.of("id", u.id(), "username", u.username()))));
      }
    }
    items.sort(java.util.Comparator.comparing(i -> (String) i.get("username")));
    Exchange.json(res, 200, Map.of("items", items));
  }

  private void addMember(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    User u = user(req, t);
    String group = req.path().pathParameters().get("group");
    audit.change(t.id(), "admin.group.member_added", AdminAuth.actor(req), () -> {
      users.addToGroup(t.id(), group, u.id());
      return group;
    }, g -> member(g, u.id()));
    res.status(204).send();
  }

  private void removeMember(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    User u = user(req, t);
    String group = req.path().pathParameters().get("group");
    audit.change(t.id(), "admin.group.member_removed", AdminAuth.actor(req), () -> {
      users.removeFromGroup(t.id(), group, u.id());
      return group;
    }, g -> member(g, u.id()));
    res.status(204).send();
  }

  private void getPolicy(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    PasswordPolicy p = users.passwordPolicy(t.id());
    Exchange.json(res, 200, Map.of("min_length", p.minLength(), "refuse_common",
        p.refuseCommon()));
  }

  private void putPolicy(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, Set.of("min_length", "refuse_common"));
    JsonNode min = body.get("min_length");
    if (min == null || !min.canConvertToInt() || !min.isIntegralNumber()) {
      throw new ProblemException(400, "`min_length` must be a whole number");
    }
    Boolean common = JsonFields.bool(body, "refuse_common");
    try {
      PasswordPolicy p = new PasswordPolicy(min.asInt(), common == null || common);
      audit.change(t.id(), "admin.password_policy.updated", AdminAuth.actor(req), "password-policy",
          () -> users.setPasswordPolicy(t.id(), p));
      Exchange.json(res, 200, Map.of("min_length", p.minLength(), "refuse_common",
          p.refuseCommon()));
    } catch (IllegalArgumentException e) {
      throw new ProblemException(400, e.getMessage());
    }
  }

  private static Map<String, Object> member(String group, String userId) {
    Map<String, Object> m = AuditLog.target(group);
    m.put("user_id", userId);
    return m;
  }

  private Map<String, Object> json(User u, String tenantForDetails) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", u.id());
    m.put("username", u.username());
    if (u.email() != null) {
      m.put("email", u.email());
    }
    m.put("email_verified", u.emailVerified());
    if (u.displayName() != null) {
      m.put("display_name", u.displayName());
    }
    m.put("disabled", u.disabled());
    m.put("has_password", u.passwordHash() != null);
    m.put("attributes", u.attributes());
    m.put("claims", u.claims());
    if (tenantForDetails != null) {
      m.put("groups", users.groupsOf(tenantForDetails, u.id()));
      m.put("roles", users.rolesOf(tenantForDetails, u.id()));
    }
    m.put("created_at", u.createdAt());
    m.put("updated_at", u.updatedAt());
    return m;
  }

  private static Map<String, Object> groupJson(GroupStore.Group g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", g.name());
    if (g.parent() != null) {
      m.put("parent", g.parent());
    }
    if (g.description() != null) {
      m.put("description", g.description());
    }
    m.put("created_at", g.createdAt());
    return m;
  }


  private User user(ServerRequest req, Tenant t) {
    String id = req.path().pathParameters().first("user").orElse("");
    return users.find(t.id(), id).orElseThrow(() -> new ProblemException(404,
        "no user `" + AdminTenants.printable(id) + "` in tenant `" + t.id() + "`"));
  }

  private static int limit(ServerRequest req) {
    String raw = req.query().first("limit").orElse("100");
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= 500) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Falls through to the problem below.
    }
    throw new ProblemException(400, "`limit` must be between 1 and 500");
  }

  private static Map<String, Object> attributes(JsonNode body) {
    return object(body, "attributes");
  }

  /** The JSON object {@code field} of {@code body} (empty when absent or null). */
  private static Map<String, Object> object(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw new ProblemException(400, "`" + field + "` must be a JSON object");
    }
    return Exchange.JSON.convertValue(n, new TypeReference<Map<String, Object>>() {});
  }
}
