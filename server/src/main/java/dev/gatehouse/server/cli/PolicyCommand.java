package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.cedar.cli.CedarCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse policy ...}: Cedar policies of a tenant, and Cedar tools. */
@Command(name = "policy", description = "Cedar policies.",
    subcommands = {PolicyCommand.Corpus.class, PolicyCommand.Schema.class, PolicyCommand.Put.class,
        PolicyCommand.Validate.class, PolicyCommand.Test.class, PolicyCommand.History.class,
        PolicyCommand.Rollback.class})
final class PolicyCommand {

  @ParentCommand
  Main main;

  /** Runs a folder of Cedar conformance tests (the cedar-integration-tests format). */
  @Command(name = "corpus", description = "Run every Cedar conformance test in DIR; ends with"
      + " `N passed, M failed`.")
  static final class Corpus implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() {
      return CedarCli.run(new String[] {"corpus", dir.toString()}, System.out, System.err);
    }
  }

  @Command(name = "schema", description = "The tenant's Cedar schema.",
      subcommands = {SchemaPut.class})
  static final class Schema {
    @ParentCommand
    PolicyCommand parent;
  }

  @Command(name = "put", description = "Replace the schema with FILE (Cedar schema syntax, or"
      + " JSON when FILE ends in .json); the policies must still validate.")
  static final class SchemaPut implements Callable<Integer> {
    @ParentCommand
    Schema parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--message", description = "Why (recorded with the new version).")
    String message;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("schema", Files.readString(file));
      body.put("format", file.toString().endsWith(".json") ? "json" : "cedar");
      if (message != null) {
        body.put("message", message);
      }
      JsonNode v = parent.parent.main.admin().call("PUT", "/admin/v1/tenants/" + tenant
          + "/policies/schema", body);
      Output.result(v, "schema stored as version " + v.path("version").asLong());
      return 0;
    }
  }

  @Command(name = "put", description = "Replace the policies (and templates) with FILE.cedar;"
      + " refused with line:column when they do not validate against the schema.")
  static final class Put implements Callable<Integer> {
    @ParentCommand
    PolicyCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--message", description = "Why (recorded with the new version).")
    String message;

    @Parameters(index = "0", paramLabel = "FILE.cedar")
    Path file;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("policies", Files.readString(file));
      if (message != null) {
        body.put("message", message);
      }
      JsonNode v = parent.main.admin().call("PUT", "/admin/v1/tenants/" + tenant + "/policies",
          body);
      Output.result(v, "policies stored as version " + v.path("version").asLong());
      for (JsonNode w : v.path("warnings")) {
        System.err.println("warning: " + w.asText());
      }
      return 0;
    }
  }

  @Command(name = "validate", description = "Check FILE.cedar against the tenant's schema"
      + " without storing it; exit 1 when it is not valid.")
  static final class Validate implements Callable<Integer> {
    @ParentCommand
    PolicyCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Parameters(index = "0", paramLabel = "FILE.cedar")
    Path file;

    @Override
    public Integer call() throws Exception {
      JsonNode r = parent.main.admin().call("POST", "/admin/v1/tenants/" + tenant
          + "/policies/validate", Map.of("policies", Files.readString(file)));
      for (JsonNode e : r.path("errors")) {
        System.out.println(file + ":" + AdminClient.problemLine(e));
      }
      for (JsonNode w : r.path("warnings")) {
        System.out.println("warning: " + w.asText());
      }
      boolean valid = r.path("valid").asBoolean();
      System.out.println(valid ? (r.path("schema_checked").asBoolean() ? "valid"
          : "valid (syntax only: the tenant has no schema)") : "not valid");
      return valid ? 0 : 1;
    }
  }

  /**
   * Decides every request of a file and compares with the expected decisions. The file is a JSON
   * array (or {@code {"requests": [...]}}) of decision requests, each with {@code "expected":
   * "allow"|"deny"} and an optional {@code "name"}.
   */
  @Command(name = "test", description = "Decide each request in REQUESTS.json (each with"
      + " \"expected\": \"allow\" or \"deny\"); prints `N passed, M failed`; exit 1 on failures.")
  static final class Test implements Callable<Integer> {
    @ParentCommand
    PolicyCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Parameters(index = "0", paramLabel = "REQUESTS.json")
    Path file;

    @Override
    public Integer call() throws Exception {
      JsonNode doc = AdminClient.JSON.readTree(file.toFile());
      JsonNode cases = doc.isArray() ? doc : doc.path("requests");
      if (!cases.isArray()) {
        throw new IllegalStateException(file + " must hold a JSON array of requests");
      }
      List<JsonNode> all = new ArrayList<>();
      cases.forEach(all::add);
      AdminClient admin = parent.main.admin();
      int passed = 0;
      int failed = 0;
      for (int from = 0; from < all.size(); from += 100) {
        List<JsonNode> chunk = all.subList(from, Math.min(all.size(), from + 100));
        ArrayNode requests = AdminClient.JSON.createArrayNode();
        for (JsonNode c : chunk) {
          ObjectNode r = c.deepCopy();
          r.remove("expected");
          r.remove("name");
          requests.add(r);
        }
        JsonNode results = admin.call("POST", "/admin/v1/tenants/" + tenant
            + "/authorize/batch", Map.of("requests", requests)).path("results");
        for (int i = 0; i < chunk.size(); i++) {
          JsonNode c = chunk.get(i);
          JsonNode got = results.get(i);
          String expected = c.path("expected").asText();
          String name = c.path("name").asText("request " + (from + i + 1));
          if (expected.equals(got.path("decision").asText())) {
            passed++;
          } else {
            failed++;
            System.out.println("FAIL " + name + ": expected " + (expected.isEmpty()
                ? "(no \"expected\")" : expected) + ", got " + got.path("decision").asText()
                + reasons(got));
          }
        }
      }
      System.out.println(passed + " passed, " + failed + " failed");
      return failed == 0 ? 0 : 1;
    }

    private static String reasons(JsonNode d) {
      List<String> parts = new ArrayList<>();
      d.path("reasons").forEach(r -> parts.add(r.path("id").asText()));
      StringBuilder b = new StringBuilder();
      if (!parts.isEmpty()) {
        b.append(" (by ").append(String.join(", ", parts)).append(')');
      }
      d.path("errors").forEach(e -> b.append("; error: ").append(e.path("message").asText()));
      return b.toString();
    }
  }

  @Command(name = "history", description = "List the tenant's policy versions, newest first.")
  static final class History implements Callable<Integer> {
    @ParentCommand
    PolicyCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--limit", defaultValue = "50")
    int limit;

    @Override
    public Integer call() throws Exception {
      JsonNode r = parent.main.admin().call("GET", "/admin/v1/tenants/" + tenant
          + "/policies/versions?limit=" + limit, null);
      if (Output.chosen == Output.Format.JSON) {
        AdminClient.print(r);
        return 0;
      }
      System.out.printf("%-8s %-20s %-24s %s%n", "VERSION", "CREATED", "AUTHOR", "MESSAGE");
      for (JsonNode v : r.path("items")) {
        System.out.printf("%-8d %-20s %-24s %s%n", v.path("version").asLong(),
            Instant.ofEpochSecond(v.path("created_at").asLong()).toString(),
            v.path("author").asText(), v.path("message").asText());
      }
      return 0;
    }
  }

  @Command(name = "rollback", description = "Make a new version that copies VERSION.")
  static final class Rollback implements Callable<Integer> {
    @ParentCommand
    PolicyCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--message")
    String message;

    @Parameters(index = "0", paramLabel = "VERSION")
    long version;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("version", version);
      if (message != null) {
        body.put("message", message);
      }
      JsonNode v = parent.main.admin().call("POST", "/admin/v1/tenants/" + tenant
          + "/policies/rollback", body);
      Output.result(v, "version " + version + " restored as version "
          + v.path("version").asLong());
      return 0;
    }
  }
}
