package dev.gatehouse.server.cli;

import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatehouseConfig;
import dev.gatehouse.server.store.DataDirectory;
import dev.gatehouse.server.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gatehouse migrate}: applies the pending schema migrations of this version, then exits.
 *
 * <p>A node migrates at start too (under Flyway's lock, so concurrent starts are safe); this
 * command lets a release run its migrations once, before any new node serves: the Kubernetes
 * migration Job (docs/deployment.md). Migrations only expand the schema, so the nodes of the
 * previous version keep working on the migrated database (docs/operations.md, "Upgrades").
 */
@Command(name = "migrate",
    description = "Apply pending database migrations, then exit (run once per release).")
final class MigrateCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Option(names = "--config", description = "YAML configuration file.")
  Path config;

  @Override
  public Integer call() {
    GatehouseConfig cfg = ConfigLoader.load(config, System.getenv());
    if (main != null && main.data != null) {
      cfg = cfg.withDataDir(main.data);
    }
    if (cfg.jdbcUrl().startsWith("jdbc:h2:")) {
      DataDirectory.prepare(cfg.dataDir());
    }
    try (Database db = Database.open(cfg.jdbcUrl(), cfg.dbUser(), cfg.dbPassword(), 1,
        new SimpleMeterRegistry())) {
      Database.Health health = db.health();
      if (!health.up()) {
        System.err.println("gatehouse: " + health.reason());
        return 1;
      }
      System.out.println("gatehouse: database schema is up to date");
    }
    return 0;
  }
}
