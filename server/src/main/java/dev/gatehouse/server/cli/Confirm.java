package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Confirmation of destructive commands: the operator types the object's name. */
final class Confirm {

  private Confirm() {}

  /**
   * Asks {@code question} on standard error and reads one line of standard input; true when it is
   * {@code name}. Without an answer (no terminal, end of input) the answer is no.
   */
  static boolean typed(String name, String question) throws IOException {
    System.err.print(question + "\nType `" + name + "` to confirm: ");
    System.err.flush();
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        .readLine();
    if (line == null) {
      System.err.println();
    }
    return line != null && line.strip().equals(name);
  }

  /** What a tenant holds, in a few words ("3 clients, 12 users"), to make the question concrete. */
  static String contents(AdminClient admin, String tenant) {
    String base = "/admin/v1/tenants/" + ConfigExport.enc(tenant);
    JsonNode clients = admin.call("GET", base + "/clients?limit=500", null);
    JsonNode users = admin.call("GET", base + "/users?limit=500", null);
    return count(clients) + " clients, " + count(users) + " users";
  }

  private static String count(JsonNode page) {
    return page.path("items").size() + (page.hasNonNull("next_after") ? "+" : "");
  }
}
