package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.events.StreamConsumer;
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

    @Option(names = "--group", description = "Read the Redis Stream as a member of this consumer"
        + " group (XREADGROUP, XACK after printing): at least once, resumable; needs --redis.")
    String group;

    @Option(names = "--consumer", description = "This member's name in the group (default:"
        + " host-pid); reuse it to get back what a previous run read but did not acknowledge.")
    String consumer;

    @Option(names = "--redis", description = "Redis URL (default: GATEHOUSE_REDIS_URL).")
    String redis;

    @Option(names = "--stream", description = "With --group: the installation's stream key"
        + " (gh:{installation}:events; default: asked from the server).")
    String stream;

    @Option(names = "--count", description = "Stop after this many events (default: never).")
    long count = Long.MAX_VALUE;

    @Override
    public Integer call() throws Exception {
      if (group != null) {
        return fromGroup();
      }
      long printed = 0;
      AdminClient admin = parent.main.admin();
      String base = "/admin/v1/tenants/" + tenant + "/events";
      long last = fromStart ? 0 : admin.call("GET", base, null).get("last_id").asLong();
      while (!Thread.currentThread().isInterrupted()) {
        JsonNode page = admin.call("GET", base + "?after=" + last + "&wait=25&limit=500", null);
        for (JsonNode e : page.get("items")) {
          System.out.println(AdminClient.JSON.writer().without(
              com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(e));
          if (++printed >= count) {
            System.out.flush();
            return 0;
          }
        }
        System.out.flush();
        last = page.get("last_id").asLong();
      }
      return 0;
    }

    /** Prints the tenant's entries of the stream as a group member, acknowledging each. */
    private int fromGroup() throws Exception {
      String url = redis != null ? redis : System.getenv("GATEHOUSE_REDIS_URL");
      if (url == null || url.isBlank()) {
        System.err.println("--group reads Redis: pass --redis URL or set GATEHOUSE_REDIS_URL");
        return 2;
      }
      String name = consumer != null ? consumer
          : java.net.InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
      com.fasterxml.jackson.databind.ObjectWriter line = AdminClient.JSON.writer().without(
          com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
      long printed = 0;
      String key = stream != null ? stream : parent.main.admin()
          .call("GET", "/admin/v1/tenants/" + tenant + "/events", null).get("stream").asText();
      try (StreamConsumer in = new StreamConsumer(url, key, group, name, fromStart)) {
        while (!Thread.currentThread().isInterrupted()) {
          for (StreamConsumer.Entry e : in.poll(100, java.time.Duration.ofSeconds(5))) {
            // A group is shared by its members: entries of other tenants are acknowledged too
            // (name a group per tenant and purpose, e.g. `siem-acme`).
            if (tenant.equals(e.tenant())) {
              java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
              m.put("event_id", e.eventId());
              m.put("type", e.type());
              m.put("created_at", e.createdAt());
              m.put("payload", AdminClient.JSON.readTree(e.payload()));
              System.out.println(line.writeValueAsString(m));
              System.out.flush();
              printed++;
            }
            in.ack(e.streamId());  // after printing: a crash before this re-reads it
            if (printed >= count) {
              return 0;
            }
          }
        }
      }
      return 0;
    }
  }
}
