package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse client get|update|delete|rotate-secret}. */
final class ClientManageCommands {

  private ClientManageCommands() {}

  static String path(String tenant, String clientId) {
    return "/admin/v1/tenants/" + ConfigExport.enc(tenant) + "/clients/"
        + ConfigExport.enc(clientId);
  }

  /** The options every one of these commands shares. */
  abstract static class ClientCall implements Callable<Integer> {
    @ParentCommand
    ClientCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Parameters(index = "0", paramLabel = "CLIENT_ID")
    String clientId;

    /** Calls the admin API on this client's path (plus {@code suffix}). */
    JsonNode call(String method, String suffix, Object body) {
      return parent.main.admin().call(method, path(tenant, clientId) + suffix, body);
    }
  }

  @Command(name = "get", description = "Show a client (never its secret).")
  static final class Get extends ClientCall {
    @Override
    public Integer call() throws Exception {
      AdminClient.print(call("GET", "", null));
      return 0;
    }
  }

  @Command(name = "update", description = "Change a client's settings; options left out keep"
      + " their value.")
  static final class Update extends ClientCall {
    @Option(names = "--name")
    String name;

    @Option(names = "--scope", description = "Allowed scopes, space-separated (replaces them).")
    String scope;

    @Option(names = "--grant", description = "Allowed grant type; repeatable (replaces them).")
    List<String> grants;

    @Option(names = "--redirect-uri", description = "Redirection endpoint; repeatable (replaces"
        + " them).")
    List<String> redirectUris;

    @Option(names = "--ttl", description = "Access token lifetime in seconds.")
    Integer ttl;

    @Option(names = "--token-format", description = "jwt or opaque.")
    String tokenFormat;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = AdminClient.JSON.createObjectNode();
      if (name != null) {
        body.put("name", name);
      }
      if (scope != null) {
        body.put("scope", scope);
      }
      if (ttl != null) {
        body.put("access_token_ttl", ttl);
      }
      if (tokenFormat != null) {
        body.put("token_format", tokenFormat);
      }
      putAll(body, "grant_types", grants);
      putAll(body, "redirect_uris", redirectUris);
      if (body.isEmpty()) {
        throw new IllegalArgumentException("nothing to change: give at least one option");
      }
      AdminClient.print(call("PATCH", "", body));
      return 0;
    }
  }

  static void putAll(ObjectNode body, String field, List<String> values) {
    if (values != null) {
      ArrayNode a = body.putArray(field);
      values.forEach(a::add);
    }
  }

  @Command(name = "delete", description = "Delete a client; its tokens stop working.")
  static final class Delete extends ClientCall {
    @Override
    public Integer call() throws Exception {
      call("DELETE", "", null);
      System.err.println("deleted client `" + clientId + "`");
      return 0;
    }
  }

  @Command(name = "rotate-secret", description = "Give a confidential client a new secret,"
      + " printed once; the old one stops working at once.")
  static final class RotateSecret extends ClientCall {
    @Override
    public Integer call() throws Exception {
      AdminClient.print(call("POST", "/secret", null));
      return 0;
    }
  }
}
