package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse events tail}: follows a tenant's events, one JSON line each. */
@Command(name = "events", description = "Security and decision events.",
    subcommands = {EventsCommand.Tail.class})
final class EventsCommand {

  @ParentCommand
  Main main;

  @Command(name = "tail", description = "Print the tenant's new events as they happen (one JSON"
      + " line each) until interrupted.")
  static final class Tail implements Callable<Integer> {
    @ParentCommand
    EventsCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--from-start", description = "Begin with the oldest event kept.")
    boolean fromStart;

    @Override
    public Integer call() throws Exception {
      AdminClient admin = parent.main.admin();
      String base = "/admin/v1/tenants/" + tenant + "/events";
      long last = fromStart ? 0 : admin.call("GET", base, null).get("last_id").asLong();
      while (!Thread.currentThread().isInterrupted()) {
        JsonNode page = admin.call("GET", base + "?after=" + last + "&wait=25&limit=500", null);
        for (JsonNode e : page.get("items")) {
          System.out.println(AdminClient.JSON.writer().without(
              com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(e));
        }
        System.out.flush();
        last = page.get("last_id").asLong();
      }
      return 0;
    }
  }
}
