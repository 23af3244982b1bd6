package dev.gatehouse.server.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse export}: the installation's configuration as one YAML or JSON document. */
@Command(name = "export", description = {"Write the configuration of every tenant (or those"
    + " named) as YAML, or JSON: tenants and branding, password and MFA policies, groups,"
    + " clients, users with roles and groups, Cedar schema, policies, links and entities,"
    + " webhooks. Secrets and password hashes are never written.",
    "", "Examples:", "  gatehouse export > gatehouse.yaml",
    "  gatehouse export --tenant acme --format json -o acme.json"})
final class ExportCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Option(names = "--tenant", description = "Only this tenant; repeatable.")
  List<String> tenants;

  @Option(names = "--format", description = "yaml (default) or json; a --file ending in .json"
      + " means json.")
  String format;

  @Option(names = {"-o", "--file"}, description = "Write to this file instead of standard output.")
  Path file;

  @Override
  public Integer call() throws Exception {
    ConfigExport export = new ConfigExport(main.admin());
    List<String> names = export.tenantNames();
    if (tenants != null) {
      for (String t : tenants) {
        if (!names.contains(t)) {
          throw new IllegalArgumentException("no tenant `" + t + "`");
        }
      }
      names = tenants;
    }
    boolean json = "json".equalsIgnoreCase(format)
        || (format == null && file != null && ConfigFile.isJson(file));
    String text = ConfigFile.write(export.export(names), json);
    if (file == null) {
      System.out.print(text);
    } else {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      System.err.println("exported " + names.size() + " tenant(s) to " + file);
    }
    return 0;
  }
}
