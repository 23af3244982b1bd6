package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gatehouse user get|update|delete|set-password|set-roles}. {@code --user} takes a user id
 * or a username.
 */
final class UserManageCommands {

  private UserManageCommands() {}

  /** The path of a user given by id or username. */
  static String path(AdminClient admin, String tenant, String user) {
    String base = "/admin/v1/tenants/" + ConfigExport.enc(tenant) + "/users";
    JsonNode page = admin.call("GET", base + "?limit=500&q=" + ConfigExport.enc(user), null);
    for (JsonNode u : page.path("items")) {
      if (u.path("username").asText().equalsIgnoreCase(user)) {
        return base + "/" + ConfigExport.enc(u.path("id").asText());
      }
    }
    return base + "/" + ConfigExport.enc(user);
  }

  /** The options every one of these commands shares, and the user's path. */
  abstract static class UserCall implements Callable<Integer> {
    @ParentCommand
    UserCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--user", required = true, description = "user id or username")
    String user;

    AdminClient admin;

    /** The admin client, and the user's path in the admin API. */
    String userPath() {
      admin = parent.main.admin();
      return path(admin, tenant, user);
    }
  }

  @Command(name = "get", description = "Show a user with groups and roles.")
  static final class Get extends UserCall {
    @Override
    public Integer call() throws Exception {
      String path = userPath();
      AdminClient.print(admin.call("GET", path, null));
      return 0;
    }
  }

  @Command(name = "update", description = "Change a user; options left out keep their value.")
  static final class Update extends UserCall {
    @Option(names = "--username")
    String username;

    @Option(names = "--email")
    String email;

    @Option(names = "--email-verified", arity = "1", description = "true or false")
    Boolean emailVerified;

    @Option(names = "--display-name")
    String displayName;

    @Option(names = "--disabled", arity = "1", description = "true (cannot sign in) or false")
    Boolean disabled;

    @Option(names = "--claim", description = "A standard claim (OpenID Connect Core section"
        + " 5.1), repeatable; the given claims replace the user's: given_name=Alice,"
        + " address.locality=Paris")
    List<String> claims;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = AdminClient.JSON.createObjectNode();
      if (username != null) {
        body.put("username", username);
      }
      if (email != null) {
        body.put("email", email);
      }
      if (emailVerified != null) {
        body.put("email_verified", emailVerified);
      }
      if (displayName != null) {
        body.put("display_name", displayName);
      }
      if (disabled != null) {
        body.put("disabled", disabled);
      }
      if (claims != null) {
        body.set("claims", AdminClient.JSON.valueToTree(ClaimOptions.parse(claims)));
      }
      if (body.isEmpty()) {
        throw new IllegalArgumentException("nothing to change: give at least one option");
      }
      String path = userPath();
      AdminClient.print(admin.call("PATCH", path, body));
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a user.")
  static final class Delete extends UserCall {
    @Override
    public Integer call() throws Exception {
      String path = userPath();
      admin.call("DELETE", path, null);
      System.err.println("deleted user `" + user + "`");
      return 0;
    }
  }

  @Command(name = "set-password", description = "Set a user's password, read from the first"
      + " line of standard input (it must meet the tenant's password policy).")
  static final class SetPassword extends UserCall {
    @Override
    public Integer call() throws Exception {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
          .readLine();
      if (line == null || line.isEmpty()) {
        throw new IllegalArgumentException("no password on standard input");
      }
      String path = userPath();
      admin.call("POST", path + "/password",
          AdminClient.JSON.createObjectNode().put("password", line));
      System.err.println("password set for `" + user + "`");
      return 0;
    }
  }

  @Command(name = "set-roles", description = "Replace a user's roles (none given: no roles).")
  static final class SetRoles extends UserCall {
    @Option(names = "--role", description = "a role; repeatable")
    List<String> roles;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = AdminClient.JSON.createObjectNode();
      ArrayNode a = body.putArray("roles");
      if (roles != null) {
        roles.forEach(a::add);
      }
      String path = userPath();
      AdminClient.print(admin.call("PUT", path + "/roles", body));
      return 0;
    }
  }
}
