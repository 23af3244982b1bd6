package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse entities put}: the application's Cedar entities of a tenant. */
@Command(name = "entities", description = "Cedar entities supplied by applications.",
    subcommands = {EntitiesCommand.Put.class})
final class EntitiesCommand {

  private static final int CHUNK = 5_000;

  @ParentCommand
  Main main;

  @Command(name = "put", description = "Upsert the entities in FILE: a Cedar entities JSON"
      + " array, or NDJSON (one entity a line) when FILE ends in .ndjson.")
  static final class Put implements Callable<Integer> {
    @ParentCommand
    EntitiesCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Parameters(index = "0", paramLabel = "FILE.json")
    Path file;

    @Override
    public Integer call() throws Exception {
      List<JsonNode> entities = new ArrayList<>();
      if (file.toString().endsWith(".ndjson")) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            entities.add(AdminClient.JSON.readTree(line));
          }
        }
      } else {
        JsonNode doc = AdminClient.JSON.readTree(file.toFile());
        if (!doc.isArray()) {
          throw new IllegalStateException(file + " must hold a JSON array of entities");
        }
        doc.forEach(entities::add);
      }
      AdminClient admin = parent.main.admin();
      long version = 0;
      for (int from = 0; from < entities.size(); from += CHUNK) {
        ArrayNode chunk = AdminClient.JSON.createArrayNode();
        entities.subList(from, Math.min(entities.size(), from + CHUNK)).forEach(chunk::add);
        version = admin.call("POST", "/admin/v1/tenants/" + tenant + "/entities", chunk)
            .path("entity_version").asLong();
      }
      Output.result(AdminClient.JSON.createObjectNode().put("stored", entities.size())
          .put("entity_version", version), entities.size() + " entities stored; entity version "
          + version);
      return 0;
    }
  }
}
