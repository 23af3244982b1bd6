package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * An installation's configuration as one document, read through the admin API: per tenant its
 * branding, password and MFA policies, groups, clients, users (with roles and direct group
 * memberships), Cedar schema, policies, template links and entities, and webhooks.
 *
 * <p>No secret is ever in it: client and webhook secrets and password hashes stay on the server
 * (a client's secret can be given to {@code apply} as a reference, {@code ${env:NAME}} or
 * {@code ${file:PATH}}). Nothing that only the server decides is in it either (creation times,
 * issuers, webhook ids, signing keys), so that two installations with the same configuration
 * export the same document. The {@code system} tenant (the admin client) is left out.
 */
final class ConfigExport {

  /** Format version of the document. */
  static final int FORMAT = 1;
  static final String SYSTEM = "system";

  /** The registration fields of a client, in the order an export lists them. */
  static final List<String> CLIENT_FIELDS = List.of("client_id", "name", "public",
      "token_endpoint_auth_method", "grant_types", "scope", "token_format", "access_token_alg",
      "access_token_ttl", "audience", "jwks", "redirect_uris", "post_logout_redirect_uris",
      "backchannel_logout_uri", "id_token_signed_response_alg", "frontchannel_logout_uri",
      "frontchannel_logout_session_required", "initiate_login_uri");
  static final List<String> BRANDING_FIELDS = List.of("logo_url", "primary_color",
      "accent_color", "support_url", "privacy_url");
  static final List<String> USER_FIELDS = List.of("email", "email_verified", "display_name",
      "disabled", "attributes", "claims");

  private final AdminClient admin;

  ConfigExport(AdminClient admin) {
    this.admin = admin;
  }

  /** The names of every tenant but {@code system}, sorted. */
  List<String> tenantNames() {
    List<String> names = new ArrayList<>();
    pages("/admin/v1/tenants", t -> {
      if (!t.path("name").asText().equals(SYSTEM)) {
        names.add(t.path("name").asText());
      }
    });
    return names;
  }

  /** The document for the given tenants (that exist), in the given order. */
  ObjectNode export(List<String> tenants) {
    ObjectNode doc = AdminClient.JSON.createObjectNode();
    doc.put("gatehouse", FORMAT);
    ArrayNode list = doc.putArray("tenants");
    for (String t : tenants) {
      list.add(tenant(t));
    }
    return doc;
  }

  ObjectNode tenant(String name) {
    String base = "/admin/v1/tenants/" + enc(name);
    JsonNode t = admin.call("GET", base, null);
    ObjectNode out = AdminClient.JSON.createObjectNode();
    out.put("name", name);
    out.set("display_name", t.get("display_name"));
    ObjectNode branding = AdminClient.JSON.createObjectNode();
    for (String f : BRANDING_FIELDS) {
      if (t.hasNonNull(f)) {
        branding.set(f, t.get(f));
      }
    }
    out.set("branding", branding);
    out.set("password_policy", admin.call("GET", base + "/password-policy", null));
    out.set("mfa_policy", admin.call("GET", base + "/mfa-policy", null));

    ArrayNode groups = out.putArray("groups");
    Map<String, Set<String>> groupsOfUser = new TreeMap<>();
    for (JsonNode g : admin.call("GET", base + "/groups", null).path("items")) {
      ObjectNode group = groups.addObject();
      group.put("name", g.path("name").asText());
      if (g.hasNonNull("parent")) {
        group.set("parent", g.get("parent"));
      }
      if (g.hasNonNull("description")) {
        group.set("description", g.get("description"));
      }
      for (JsonNode m : admin.call("GET", base + "/groups/" + enc(g.path("name").asText())
          + "/members", null).path("items")) {
        groupsOfUser.computeIfAbsent(m.path("id").asText(), k -> new TreeSet<>())
            .add(g.path("name").asText());
      }
    }

    ArrayNode clients = out.putArray("clients");
    pages(base + "/clients", c -> {
      ObjectNode client = clients.addObject();
      for (String f : CLIENT_FIELDS) {
        if (c.has(f)) {
          client.set(f, c.get(f));
        }
      }
    });

    ArrayNode users = out.putArray("users");
    pages(base + "/users", u -> {
      JsonNode full = admin.call("GET", base + "/users/" + enc(u.path("id").asText()), null);
      ObjectNode user = users.addObject();
      user.set("id", full.get("id"));
      user.set("username", full.get("username"));
      for (String f : USER_FIELDS) {
        if (full.has(f)) {
          user.set(f, full.get(f));
        }
      }
      user.set("roles", sorted(full.path("roles")));
      ArrayNode direct = user.putArray("groups");
      groupsOfUser.getOrDefault(full.path("id").asText(), Set.of()).forEach(direct::add);
    });

    JsonNode p = admin.call("GET", base + "/policies", null);
    ObjectNode cedar = out.putObject("cedar");
    cedar.put("schema_format", p.path("schema_format").asText("none"));
    if (p.hasNonNull("schema")) {
      cedar.set("schema", p.get("schema"));
    }
    cedar.put("policies", p.path("policies").asText(""));
    cedar.set("links", p.has("links") ? p.get("links") : AdminClient.JSON.createArrayNode());

    ArrayNode entities = out.putArray("entities");
    pages(base + "/entities", entities::add);

    ArrayNode webhooks = out.putArray("webhooks");
    // By URL: ids are random, and two installations with the same subscriptions export the same.
    List<JsonNode> hooks = new ArrayList<>();
    admin.call("GET", base + "/webhooks", null).path("items").forEach(hooks::add);
    hooks.sort(java.util.Comparator.comparing(w -> w.path("url").asText()));
    for (JsonNode w : hooks) {
      ObjectNode hook = webhooks.addObject();
      hook.set("url", w.get("url"));
      hook.set("event_types", sorted(w.path("event_types")));
    }
    return out;
  }

  /** Every item of a paged list ({@code limit}, {@code after}, {@code next_after}). */
  private void pages(String path, Consumer<JsonNode> each) {
    String after = null;
    do {
      JsonNode page = admin.call("GET", path + "?limit=500"
          + (after == null ? "" : "&after=" + enc(after)), null);
      page.path("items").forEach(each);
      after = page.hasNonNull("next_after") ? page.get("next_after").asText() : null;
    } while (after != null);
  }

  static ArrayNode sorted(JsonNode array) {
    TreeSet<String> values = new TreeSet<>();
    array.forEach(v -> values.add(v.asText()));
    ArrayNode out = AdminClient.JSON.createArrayNode();
    values.forEach(out::add);
    return out;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
