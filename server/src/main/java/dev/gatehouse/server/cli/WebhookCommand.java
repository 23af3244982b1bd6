package dev.gatehouse.server.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse webhook create|list|delete|deliveries|redeliver}. */
@Command(name = "webhook", description = "Manage a tenant's webhook subscriptions.",
    subcommands = {WebhookCommand.Create.class, WebhookCommand.ListWebhooks.class,
        WebhookCommand.Delete.class, WebhookCommand.Deliveries.class,
        WebhookCommand.Redeliver.class})
final class WebhookCommand {

  @ParentCommand
  Main main;

  private static String base(String tenant) {
    return "/admin/v1/tenants/" + tenant + "/webhooks";
  }

  @Command(name = "create", description = "Subscribe a URL to events; prints the signing secret"
      + " (whsec_...), which is not shown again.")
  static final class Create implements Callable<Integer> {
    @ParentCommand
    WebhookCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--url", required = true, description = "Where to POST events.")
    String url;

    @Option(names = "--event", description = "An event type (token.issued), a prefix (admin.*)"
        + " or * (the default); repeatable.")
    List<String> events;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("url", url);
      if (events != null) {
        body.put("event_types", events);
      }
      AdminClient.print(parent.main.admin().call("POST", base(tenant), body));
      return 0;
    }
  }

  @Command(name = "list", description = "List the tenant's webhooks (without secrets).")
  static final class ListWebhooks implements Callable<Integer> {
    @ParentCommand
    WebhookCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.main.admin().call("GET", base(tenant), null));
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a webhook and its pending deliveries.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand
    WebhookCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws Exception {
      parent.main.admin().call("DELETE", base(tenant) + "/" + id, null);
      System.out.println("deleted " + id);
      return 0;
    }
  }

  @Command(name = "deliveries", description = "List deliveries, newest first; --status dead for"
      + " the dead letters.")
  static final class Deliveries implements Callable<Integer> {
    @ParentCommand
    WebhookCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--status", description = "pending, delivered or dead.")
    String status;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.main.admin().call("GET", base(tenant) + "/deliveries"
          + (status == null ? "" : "?status=" + status), null));
      return 0;
    }
  }

  @Command(name = "redeliver", description = "Send a dead (or delivered) delivery again.")
  static final class Redeliver implements Callable<Integer> {
    @ParentCommand
    WebhookCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Parameters(index = "0", paramLabel = "DELIVERY_ID")
    long id;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.main.admin().call("POST", base(tenant) + "/deliveries/" + id
          + "/redeliver", null));
      return 0;
    }
  }
}
