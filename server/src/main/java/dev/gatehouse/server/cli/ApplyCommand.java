package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gatehouse apply FILE}: makes the installation match a configuration document, printing
 * each change (create, update, delete per object, with the fields it changes). Applying the same
 * file twice changes nothing the second time, and says so.
 */
@Command(name = "apply", description = {"Make the installation match FILE (YAML or JSON, as"
    + " `gatehouse export` writes it). Prints each change; with --dry-run only prints them."
    + " Objects missing from FILE are deleted only with --prune (tenants: --prune-tenants).",
    "", "Examples:", "  gatehouse apply --dry-run gatehouse.yaml",
    "  BILLING_SECRET=... gatehouse apply gatehouse.yaml",
    "  gatehouse --data ./data export | gatehouse --data ./data-pg apply -"})
final class ApplyCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Parameters(index = "0", paramLabel = "FILE", description = "YAML or JSON; - for standard"
      + " input")
  Path file;

  @Option(names = "--dry-run", description = "Print the changes, make none.")
  boolean dryRun;

  @Option(names = "--prune", description = "Also delete, in the tenants FILE lists, what FILE"
      + " does not list (in each section it has: groups, clients, users, entities, webhooks).")
  boolean prune;

  @Option(names = "--prune-tenants", description = "Also delete the tenants FILE does not list"
      + " (never `system`), with everything in them.")
  boolean pruneTenants;

  @Override
  public Integer call() throws Exception {
    JsonNode wanted = ConfigFile.read(file);
    AdminClient admin = main.admin();
    ConfigExport export = new ConfigExport(admin);
    List<String> existing = export.tenantNames();
    List<String> compare = new ArrayList<>();
    for (JsonNode t : wanted.path("tenants")) {
      if (existing.contains(t.path("name").asText())) {
        compare.add(t.path("name").asText());
      }
    }
    if (pruneTenants) {
      existing.stream().filter(n -> !compare.contains(n)).forEach(compare::add);
    }
    JsonNode current = export.export(compare);
    Map<String, String> env = System.getenv();
    List<ConfigPlan.Change> changes = new ConfigPlan(admin, prune, pruneTenants,
        ref -> ConfigFile.secret(ref, env)).plan(wanted, current);
    if (changes.isEmpty()) {
      System.out.println("no changes: the installation matches " + file);
      return 0;
    }
    for (ConfigPlan.Change c : changes) {
      System.out.println(c.line());
      if (!dryRun) {
        String note = c.action().get();
        if (note != null) {
          System.out.println("    " + note);
        }
      }
    }
    Map<ConfigPlan.Op, Integer> n = ConfigPlan.counts(changes);
    System.out.println((dryRun ? "dry run, nothing changed: " : "applied: ")
        + n.get(ConfigPlan.Op.CREATE) + " to create, " + n.get(ConfigPlan.Op.UPDATE)
        + " to update, " + n.get(ConfigPlan.Op.DELETE) + " to delete");
    return 0;
  }
}
