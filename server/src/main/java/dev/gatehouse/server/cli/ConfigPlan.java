package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@code apply} has to do to make an installation match a configuration document: a list of
 * changes (create, update, delete per object, each with the fields it changes), computed by
 * comparing the document with the installation's own export, then carried out through the admin
 * API in an order that works (groups before the users in them, schema and policies together).
 *
 * <p>The rules: an object is matched by its name (tenant, group), {@code client_id} (or a
 * client's name when the file gives no id), username (case-insensitively) or URL (webhook). A
 * field the file leaves out is left as it is; {@code null} resets it. A section the file leaves
 * out is not looked at. Objects the file does not list are deleted only with {@code --prune}, and
 * only in sections the file has; whole tenants only with {@code --prune-tenants}. The Cedar section is one object: its schema, policies and
 * template links are replaced together. A client's secret is given only as a reference, and
 * checked against the stored one without the server giving it out.
 */
final class ConfigPlan {

  /** What a change does to its object. */
  enum Op {
    CREATE("+"), UPDATE("~"), DELETE("-");

    final String sign;

    Op(String sign) {
      this.sign = sign;
    }
  }

  /**
   * One change: its object, the fields it changes, and the admin calls that make it (which may
   * answer a line to show, e.g. a secret the server generated).
   */
  record Change(Op op, String object, List<String> details, Supplier<String> action) {
    String line() {
      StringBuilder b = new StringBuilder(op.sign).append(' ')
          .append(op.name().toLowerCase(Locale.ROOT)).append(' ').append(object);
      for (String d : details) {
        b.append("\n    ").append(d.replace("\n", "\n    "));
      }
      return b.toString();
    }
  }

  private final AdminClient admin;
  private final boolean prune;
  private final boolean pruneTenants;
  private final Function<String, String> secrets;
  private final List<Change> changes = new ArrayList<>();

  /**
   * @param prune delete, in the tenants the file lists, what their sections do not list
   * @param pruneTenants delete the tenants the file does not list
   * @param secrets resolves a secret reference ({@code ${env:NAME}}, {@code ${file:PATH}})
   */
  ConfigPlan(AdminClient admin, boolean prune, boolean pruneTenants,
      Function<String, String> secrets) {
    this.admin = admin;
    this.prune = prune;
    this.pruneTenants = pruneTenants;
    this.secrets = secrets;
  }

  /** The changes that make {@code current} (an export) into {@code wanted}, in order. */
  List<Change> plan(JsonNode wanted, JsonNode current) {
    Map<String, JsonNode> have = ConfigDiff.byKey(current.path("tenants"), t -> t.path("name").asText());
    Set<String> named = new HashSet<>();
    for (JsonNode t : wanted.path("tenants")) {
      String name = t.path("name").asText("");
      if (name.isEmpty() || name.equals(ConfigExport.SYSTEM)) {
        throw new IllegalArgumentException("every tenant needs a `name` (and `system` cannot be"
            + " configured from a file)");
      }
      if (!named.add(name)) {
        throw new IllegalArgumentException("tenant `" + name + "` is listed twice");
      }
      tenant(t, have.get(name));
    }
    if (pruneTenants) {
      for (String name : have.keySet()) {
        if (!named.contains(name)) {
          changes.add(new Change(Op.DELETE, "tenant " + name + " (and everything in it)",
              List.of(), call("DELETE", tenantPath(name), null)));
        }
      }
    }
    return changes;
  }

  private void tenant(JsonNode want, JsonNode have) {
    String name = want.path("name").asText();
    String base = tenantPath(name);
    List<Change> deletions = new ArrayList<>();
    if (have == null) {
      ObjectNode body = AdminClient.JSON.createObjectNode().put("name", name);
      if (want.hasNonNull("display_name")) {
        body.set("display_name", want.get("display_name"));
      }
      List<String> details = new ArrayList<>();
      ObjectNode branding = ConfigDiff.patch(want.path("branding"), AdminClient.JSON.createObjectNode(),
          ConfigExport.BRANDING_FIELDS, details);
      changes.add(new Change(Op.CREATE, "tenant " + name, details, () -> {
        admin.call("POST", "/admin/v1/tenants", body);
        if (!branding.isEmpty()) {
          admin.call("PATCH", base, branding);
        }
        return null;
      }));
      have = AdminClient.JSON.createObjectNode();
    } else {
      List<String> details = new ArrayList<>();
      ObjectNode body = ConfigDiff.patch(want, have, List.of("display_name"), details);
      body.setAll(ConfigDiff.patch(want.path("branding"), have.path("branding"),
          ConfigExport.BRANDING_FIELDS, details));
      if (!body.isEmpty()) {
        changes.add(new Change(Op.UPDATE, "tenant " + name, details, call("PATCH", base, body)));
      }
    }
    policy(want, have, "password_policy", name, base + "/password-policy");
    Set<String> replacedGroups = groups(want, have, name, base, deletions);
    policy(want, have, "mfa_policy", name, base + "/mfa-policy");
    clients(want, have, name, base, deletions);
    users(want, have, name, base, replacedGroups, deletions);
    cedar(want, have, name, base);
    entities(want, have, name, base);
    webhooks(want, have, name, base, deletions);
    // Deletions after everything else, in reverse: webhooks, users, clients, then groups.
    for (int i = deletions.size() - 1; i >= 0; i--) {
      changes.add(deletions.get(i));
    }
  }

  /** A whole-object setting (password or MFA policy): the fields given, if they differ. */
  private void policy(JsonNode want, JsonNode have, String field, String tenant, String path) {
    if (!want.has(field)) {
      return;
    }
    List<String> details = new ArrayList<>();
    JsonNode current = have.path(field);
    List<String> fields = new ArrayList<>();
    want.get(field).fieldNames().forEachRemaining(fields::add);
    ObjectNode body = ConfigDiff.patch(want.get(field), current, fields, details);
    if (!body.isEmpty()) {
      ObjectNode merged = current.isObject() ? ((ObjectNode) current).deepCopy()
          : AdminClient.JSON.createObjectNode();
      merged.setAll(body);
      merged.properties().removeIf(e -> e.getValue().isNull());
      changes.add(new Change(current.isMissingNode() ? Op.CREATE : Op.UPDATE,
          field.replace('_', ' ') + " of " + tenant, details, call("PUT", path, merged)));
    }
  }

  /** Groups: created parents first; a changed parent or description replaces the group. */
  private Set<String> groups(JsonNode want, JsonNode have, String tenant, String base,
      List<Change> deletions) {
    Set<String> replaced = new HashSet<>();
    if (!want.has("groups")) {
      return replaced;
    }
    Map<String, JsonNode> current = ConfigDiff.byKey(have.path("groups"), g -> g.path("name").asText());
    Map<String, JsonNode> wanted = ConfigDiff.byKey(want.get("groups"), g -> g.path("name").asText());
    List<JsonNode> toCreate = new ArrayList<>();
    for (JsonNode g : wanted.values()) {
      JsonNode old = current.get(g.path("name").asText());
      if (old == null) {
        toCreate.add(g);
      } else if (!ConfigDiff.same(g.get("parent"), old.get("parent"))
          || !ConfigDiff.same(g.get("description"), old.get("description"))) {
        replaced.add(g.path("name").asText());
        toCreate.add(g);
      }
    }
    // Deleting a group takes the parent from its children: they are made again too.
    boolean grew = true;
    while (grew) {
      grew = false;
      for (JsonNode g : wanted.values()) {
        String name = g.path("name").asText();
        JsonNode old = current.get(name);
        if (old != null && !replaced.contains(name) && old.hasNonNull("parent")
            && replaced.contains(old.get("parent").asText())) {
          replaced.add(name);
          toCreate.add(g);
          grew = true;
        }
      }
    }
    // Parents before children: a group whose parent is still to be created waits.
    Set<String> exists = new HashSet<>(current.keySet());
    exists.removeAll(replaced);
    while (!toCreate.isEmpty()) {
      JsonNode next = toCreate.stream().filter(g -> !g.hasNonNull("parent")
          || exists.contains(g.get("parent").asText())
          || !wanted.containsKey(g.get("parent").asText())).findFirst().orElse(toCreate.get(0));
      toCreate.remove(next);
      String name = next.path("name").asText();
      exists.add(name);
      ObjectNode body = AdminClient.JSON.createObjectNode().put("name", name);
      List<String> details = new ArrayList<>();
      for (String f : List.of("parent", "description")) {
        if (next.hasNonNull(f)) {
          body.set(f, next.get(f));
          details.add(f + ": " + next.get(f));
        }
      }
      String path = base + "/groups/" + ConfigExport.enc(name);
      boolean replace = replaced.contains(name);
      if (replace) {
        details.add("replaced (groups have no update): its members are added again");
      }
      changes.add(new Change(replace ? Op.UPDATE : Op.CREATE, "group " + tenant + "/" + name,
          details, () -> {
            if (replace) {
              admin.call("DELETE", path, null);
            }
            admin.call("POST", base + "/groups", body);
            return null;
          }));
    }
    if (prune) {
      for (String name : current.keySet()) {
        if (!wanted.containsKey(name)) {
          deletions.add(new Change(Op.DELETE, "group " + tenant + "/" + name, List.of(),
              call("DELETE", base + "/groups/" + ConfigExport.enc(name), null)));
        }
      }
    }
    return replaced;
  }

  private void clients(JsonNode want, JsonNode have, String tenant, String base,
      List<Change> deletions) {
    if (!want.has("clients")) {
      return;
    }
    Map<String, JsonNode> byId = ConfigDiff.byKey(have.path("clients"), c -> c.path("client_id").asText());
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    have.path("clients").forEach(c -> byName.merge(c.path("name").asText(), c,
        (a, b) -> AdminClient.JSON.nullNode()));
    Set<String> kept = new HashSet<>();
    for (JsonNode c : want.get("clients")) {
      JsonNode old = c.hasNonNull("client_id") ? byId.get(c.get("client_id").asText())
          : byName.get(c.path("name").asText());
      if (old != null && old.isNull()) {
        throw new IllegalArgumentException("tenant `" + tenant + "` has several clients named `"
            + c.path("name").asText() + "`: give `client_id`");
      }
      String secretRef = c.hasNonNull("secret") ? c.get("secret").asText() : null;
      String secret = secretRef == null ? null : secrets.apply(secretRef);
      if (old == null) {
        createClient(c, tenant, base, secret, secretRef);
        continue;
      }
      String id = old.path("client_id").asText();
      kept.add(id);
      String label = "client " + tenant + "/" + id;
      if (c.has("public") && !ConfigDiff.same(c.get("public"), old.get("public"))) {
        throw new IllegalArgumentException(label + ": `public` cannot change; delete the client"
            + " and create another");
      }
      List<String> details = new ArrayList<>();
      List<String> fields = new ArrayList<>(ConfigExport.CLIENT_FIELDS);
      fields.removeAll(List.of("client_id", "public"));
      ObjectNode body = ConfigDiff.patch(ConfigDiff.normalizedClient(c), ConfigDiff.normalizedClient(old), fields, details);
      String path = base + "/clients/" + ConfigExport.enc(id);
      boolean newSecret = secret != null && !admin.call("POST", path + "/secret/verify",
          AdminClient.JSON.createObjectNode().put("client_secret", secret)).path("matches")
          .asBoolean();
      if (newSecret) {
        details.add("secret: set from " + secretRef);
      }
      if (!body.isEmpty() || newSecret) {
        changes.add(new Change(Op.UPDATE, label, details, () -> {
          if (!body.isEmpty()) {
            admin.call("PATCH", path, body);
          }
          if (newSecret) {
            admin.call("POST", path + "/secret",
                AdminClient.JSON.createObjectNode().put("client_secret", secret));
          }
          return null;
        }));
      }
    }
    if (prune) {
      for (String id : byId.keySet()) {
        if (!kept.contains(id)) {
          deletions.add(new Change(Op.DELETE, "client " + tenant + "/" + id, List.of(),
              call("DELETE", base + "/clients/" + ConfigExport.enc(id), null)));
        }
      }
    }
  }

  private void createClient(JsonNode c, String tenant, String base, String secret,
      String secretRef) {
    ObjectNode body = AdminClient.JSON.createObjectNode();
    List<String> details = new ArrayList<>();
    for (String f : ConfigExport.CLIENT_FIELDS) {
      if (c.hasNonNull(f)) {
        body.set(f, c.get(f));
        if (!f.equals("client_id")) {
          details.add(f + ": " + ConfigDiff.show(c.get(f)));
        }
      }
    }
    if (secret != null) {
      body.put("client_secret", secret);
      details.add("secret: from " + secretRef);
    }
    String label = "client " + tenant + "/" + (c.hasNonNull("client_id")
        ? c.get("client_id").asText() : c.path("name").asText());
    changes.add(new Change(Op.CREATE, label, details, () -> {
      JsonNode created = admin.call("POST", base + "/clients", body);
      return created.hasNonNull("client_secret")
          ? "client_id " + created.path("client_id").asText() + ", client_secret "
              + created.get("client_secret").asText() + " (shown once; keep it in your vault and"
              + " give it as `secret: ${env:...}` next time)"
          : created.hasNonNull("client_id") && !c.hasNonNull("client_id")
              ? "client_id " + created.get("client_id").asText() : null;
    }));
  }

  private void users(JsonNode want, JsonNode have, String tenant, String base,
      Set<String> replacedGroups, List<Change> deletions) {
    if (!want.has("users")) {
      return;
    }
    Map<String, JsonNode> current = ConfigDiff.byKey(have.path("users"),
        u -> u.path("username").asText().toLowerCase(Locale.ROOT));
    Set<String> kept = new HashSet<>();
    for (JsonNode u : want.get("users")) {
      if (u.has("password") || u.has("password_hash")) {
        throw new IllegalArgumentException("user `" + u.path("username").asText() + "`:"
            + " passwords are not configuration; set them with `gatehouse user set-password`");
      }
      String username = u.path("username").asText("");
      if (username.isEmpty()) {
        throw new IllegalArgumentException("every user needs a `username`");
      }
      JsonNode old = current.get(username.toLowerCase(Locale.ROOT));
      String label = "user " + tenant + "/" + username;
      Set<String> wantGroups = ConfigDiff.strings(u.get("groups"));
      Set<String> wantRoles = ConfigDiff.strings(u.get("roles"));
      if (old == null) {
        ObjectNode body = AdminClient.JSON.createObjectNode();
        List<String> details = new ArrayList<>();
        for (String f : List.of("id", "username", "email", "email_verified", "display_name",
            "attributes", "claims")) {
          if (u.hasNonNull(f)) {
            body.set(f, u.get(f));
            if (!f.equals("username")) {
              details.add(f + ": " + ConfigDiff.show(u.get(f)));
            }
          }
        }
        boolean disabled = u.path("disabled").asBoolean(false);
        if (disabled) {
          details.add("disabled: true");
        }
        if (wantRoles != null && !wantRoles.isEmpty()) {
          details.add("roles: " + wantRoles);
        }
        if (wantGroups != null && !wantGroups.isEmpty()) {
          details.add("groups: " + wantGroups);
        }
        changes.add(new Change(Op.CREATE, label, details, () -> {
          String id = admin.call("POST", base + "/users", body).path("id").asText();
          String path = base + "/users/" + ConfigExport.enc(id);
          if (disabled) {
            admin.call("PATCH", path, AdminClient.JSON.createObjectNode().put("disabled", true));
          }
          if (wantRoles != null && !wantRoles.isEmpty()) {
            setRoles(path, wantRoles);
          }
          for (String g : wantGroups == null ? Set.<String>of() : wantGroups) {
            admin.call("PUT", base + "/groups/" + ConfigExport.enc(g) + "/members/"
                + ConfigExport.enc(id), null);
          }
          return null;
        }));
        continue;
      }
      String id = old.path("id").asText();
      kept.add(id);
      String path = base + "/users/" + ConfigExport.enc(id);
      List<String> details = new ArrayList<>();
      List<String> fields = new ArrayList<>(ConfigExport.USER_FIELDS);
      fields.add("username");
      ObjectNode body = ConfigDiff.patch(u, old, fields, details);
      Set<String> oldRoles = ConfigDiff.strings(old.get("roles"));
      boolean roles = wantRoles != null && !wantRoles.equals(oldRoles);
      if (roles) {
        details.add("roles: " + oldRoles + " → " + wantRoles);
      }
      Set<String> oldGroups = ConfigDiff.strings(old.get("groups"));
      if (oldGroups != null) {
        oldGroups.removeAll(replacedGroups);
      }
      Set<String> add = new TreeSet<>();
      Set<String> remove = new TreeSet<>();
      if (wantGroups != null) {
        add.addAll(wantGroups);
        if (oldGroups != null) {
          add.removeAll(oldGroups);
          remove.addAll(oldGroups);
        }
        remove.removeAll(wantGroups);
        remove.removeAll(replacedGroups);
        if (!add.isEmpty() || !remove.isEmpty()) {
          details.add("groups: " + (oldGroups == null ? "[]" : oldGroups) + " → " + wantGroups);
        }
      }
      if (!body.isEmpty() || roles || !add.isEmpty() || !remove.isEmpty()) {
        changes.add(new Change(Op.UPDATE, label, details, () -> {
          if (!body.isEmpty()) {
            admin.call("PATCH", path, body);
          }
          if (roles) {
            setRoles(path, wantRoles);
          }
          for (String g : add) {
            admin.call("PUT", base + "/groups/" + ConfigExport.enc(g) + "/members/"
                + ConfigExport.enc(id), null);
          }
          for (String g : remove) {
            admin.call("DELETE", base + "/groups/" + ConfigExport.enc(g) + "/members/"
                + ConfigExport.enc(id), null);
          }
          return null;
        }));
      }
    }
    if (prune) {
      for (JsonNode old : current.values()) {
        if (!kept.contains(old.path("id").asText())) {
          deletions.add(new Change(Op.DELETE, "user " + tenant + "/"
              + old.path("username").asText(), List.of(), call("DELETE", base + "/users/"
              + ConfigExport.enc(old.path("id").asText()), null)));
        }
      }
    }
  }

  private void setRoles(String userPath, Set<String> roles) {
    ObjectNode body = AdminClient.JSON.createObjectNode();
    ArrayNode a = body.putArray("roles");
    roles.forEach(a::add);
    admin.call("PUT", userPath + "/roles", body);
  }

  /** The Cedar section: schema, policies and links, replaced together when any differs. */
  private void cedar(JsonNode want, JsonNode have, String tenant, String base) {
    JsonNode w = want.get("cedar");
    if (w == null) {
      return;
    }
    JsonNode h = have.path("cedar");
    List<String> details = new ArrayList<>();
    String wantFormat = w.path("schema_format").asText(w.hasNonNull("schema") ? "cedar" : "none");
    String wantSchema = w.hasNonNull("schema") ? schemaText(w.get("schema")) : "";
    String haveSchema = h.hasNonNull("schema") ? schemaText(h.get("schema")) : "";
    boolean schema = !wantFormat.equals(h.path("schema_format").asText("none"))
        || !wantSchema.equals(haveSchema);
    if (schema) {
      details.add("schema (" + wantFormat + "):\n" + ConfigDiff.lineDiff(haveSchema, wantSchema));
    }
    String wantPolicies = w.path("policies").asText("");
    boolean policies = w.has("policies")
        && !wantPolicies.equals(h.path("policies").asText(""));
    if (policies) {
      details.add("policies:\n" + ConfigDiff.lineDiff(h.path("policies").asText(""), wantPolicies));
    }
    Map<String, JsonNode> wantLinks = w.has("links")
        ? ConfigDiff.byKey(w.get("links"), l -> l.path("id").asText()) : null;
    Map<String, JsonNode> haveLinks = ConfigDiff.byKey(h.path("links"), l -> l.path("id").asText());
    List<String> putLinks = new ArrayList<>();
    List<String> deleteLinks = new ArrayList<>();
    if (wantLinks != null) {
      for (Map.Entry<String, JsonNode> l : wantLinks.entrySet()) {
        if (!l.getValue().equals(haveLinks.get(l.getKey()))) {
          putLinks.add(l.getKey());
          details.add("link " + l.getKey() + ": " + ConfigDiff.show(l.getValue()));
        }
      }
      for (String id : haveLinks.keySet()) {
        if (!wantLinks.containsKey(id)) {
          deleteLinks.add(id);
          details.add("link " + id + ": removed");
        }
      }
    }
    if (details.isEmpty()) {
      return;
    }
    ObjectNode schemaBody = AdminClient.JSON.createObjectNode();
    schemaBody.put("schema", wantSchema).put("format", wantFormat)
        .put("message", "gatehouse apply");
    ObjectNode policiesBody = AdminClient.JSON.createObjectNode().put("policies", wantPolicies)
        .put("message", "gatehouse apply");
    changes.add(new Change(h.isMissingNode() ? Op.CREATE : Op.UPDATE, "cedar " + tenant, details,
        () -> {
          // Links go first when removed (their template may be leaving) and last when added.
          for (String id : deleteLinks) {
            admin.call("DELETE", base + "/policies/links/" + ConfigExport.enc(id), null);
          }
          if (schema && policies) {
            // Either order can be the valid one: the new schema may reject the old policies,
            // or the old schema the new policies.
            try {
              admin.call("PUT", base + "/policies/schema", schemaBody);
              admin.call("PUT", base + "/policies", policiesBody);
            } catch (IllegalStateException first) {
              admin.call("PUT", base + "/policies", policiesBody);
              admin.call("PUT", base + "/policies/schema", schemaBody);
            }
          } else if (schema) {
            admin.call("PUT", base + "/policies/schema", schemaBody);
          } else if (policies) {
            admin.call("PUT", base + "/policies", policiesBody);
          }
          for (String id : putLinks) {
            ObjectNode link = ((ObjectNode) wantLinks.get(id)).deepCopy();
            link.remove("id");
            admin.call("PUT", base + "/policies/links/" + ConfigExport.enc(id), link);
          }
          return null;
        }));
  }

  private static String schemaText(JsonNode schema) {
    return schema.isTextual() ? schema.asText() : schema.toString();
  }

  /** Entities by uid: upserts in batches, deletions only with --prune. */
  private void entities(JsonNode want, JsonNode have, String tenant, String base) {
    if (!want.has("entities")) {
      return;
    }
    Map<String, JsonNode> current = ConfigDiff.byKey(have.path("entities"), ConfigDiff::uid);
    Map<String, JsonNode> wanted = ConfigDiff.byKey(want.get("entities"), ConfigDiff::uid);
    List<String> details = new ArrayList<>();
    ArrayNode upserts = AdminClient.JSON.createArrayNode();
    for (Map.Entry<String, JsonNode> e : wanted.entrySet()) {
      JsonNode old = current.get(e.getKey());
      if (!ConfigDiff.normalizedEntity(e.getValue()).equals(old == null ? null : ConfigDiff.normalizedEntity(old))) {
        upserts.add(e.getValue());
        details.add((old == null ? "+ " : "~ ") + e.getKey());
      }
    }
    if (!upserts.isEmpty()) {
      changes.add(new Change(Op.UPDATE, "entities of " + tenant + " (" + upserts.size()
          + " to write)", details, () -> {
            for (int i = 0; i < upserts.size(); i += 1000) {
              ArrayNode batch = AdminClient.JSON.createArrayNode();
              for (int j = i; j < Math.min(upserts.size(), i + 1000); j++) {
                batch.add(upserts.get(j));
              }
              admin.call("POST", base + "/entities", batch);
            }
            return null;
          }));
    }
    if (prune) {
      ArrayNode gone = AdminClient.JSON.createArrayNode();
      List<String> goneDetails = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : current.entrySet()) {
        if (!wanted.containsKey(e.getKey())) {
          gone.add(e.getValue().get("uid"));
          goneDetails.add("- " + e.getKey());
        }
      }
      if (!gone.isEmpty()) {
        ObjectNode body = AdminClient.JSON.createObjectNode();
        body.set("uids", gone);
        changes.add(new Change(Op.DELETE, "entities of " + tenant + " (" + gone.size() + ")",
            goneDetails, call("POST", base + "/entities/delete", body)));
      }
    }
  }

  /** Webhooks by URL; different event types replace the subscription (a new secret). */
  private void webhooks(JsonNode want, JsonNode have, String tenant, String base,
      List<Change> deletions) {
    if (!want.has("webhooks")) {
      return;
    }
    Map<String, JsonNode> current = ConfigDiff.byKey(have.path("webhooks"), w -> w.path("url").asText());
    Map<String, JsonNode> wanted = ConfigDiff.byKey(want.get("webhooks"), w -> w.path("url").asText());
    for (JsonNode w : wanted.values()) {
      String url = w.path("url").asText();
      JsonNode old = current.get(url);
      Set<String> types = ConfigDiff.strings(w.get("event_types"));
      if (old != null && (types == null || types.equals(ConfigDiff.strings(old.get("event_types"))))) {
        continue;
      }
      ObjectNode body = AdminClient.JSON.createObjectNode().put("url", url);
      if (types != null) {
        ArrayNode a = body.putArray("event_types");
        types.forEach(a::add);
      }
      List<String> details = new ArrayList<>();
      details.add("event_types: " + (old == null ? "" : ConfigDiff.strings(old.get("event_types")) + " → ")
          + (types == null ? "all" : types));
      if (old != null) {
        details.add("replaced (subscriptions have no update): the receiver gets a new secret");
      }
      changes.add(new Change(old == null ? Op.CREATE : Op.UPDATE, "webhook " + tenant + " "
          + url, details, () -> {
            if (old != null) {
              deleteWebhook(base, url);
            }
            JsonNode created = admin.call("POST", base + "/webhooks", body);
            return "signing secret " + created.path("secret").asText() + " (shown once)";
          }));
    }
    if (prune) {
      for (String url : current.keySet()) {
        if (!wanted.containsKey(url)) {
          deletions.add(new Change(Op.DELETE, "webhook " + tenant + " " + url, List.of(), () -> {
            deleteWebhook(base, url);
            return null;
          }));
        }
      }
    }
  }

  private void deleteWebhook(String base, String url) {
    for (JsonNode w : admin.call("GET", base + "/webhooks", null).path("items")) {
      if (w.path("url").asText().equals(url)) {
        admin.call("DELETE", base + "/webhooks/" + ConfigExport.enc(w.path("id").asText()), null);
      }
    }
  }

  private Supplier<String> call(String method, String path, JsonNode body) {
    return () -> {
      admin.call(method, path, body);
      return null;
    };
  }

  private static String tenantPath(String name) {
    return "/admin/v1/tenants/" + ConfigExport.enc(name);
  }

  /** Counts by operation, for the summary line. */
  static Map<Op, Integer> counts(List<Change> changes) {
    Map<Op, Integer> m = new LinkedHashMap<>();
    for (Op op : Op.values()) {
      m.put(op, 0);
    }
    changes.forEach(c -> m.merge(c.op(), 1, Integer::sum));
    return m;
  }
}
