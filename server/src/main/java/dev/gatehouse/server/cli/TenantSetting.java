package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * A command on one of a tenant's settings documents (MFA policy, password policy): {@code show}
 * prints it, {@code set} changes the fields given and keeps the others.
 */
abstract class TenantSetting implements Callable<Integer> {

  @Option(names = "--tenant", required = true)
  String tenant;

  /** The running command's root, for the admin client. */
  abstract Main main();

  /** The setting's path below the tenant, e.g. {@code /mfa-policy}. */
  abstract String setting();

  /** Sets the fields the options give; {@code null} for {@code show}. */
  void change(ObjectNode body) {}

  boolean changes() {
    return false;
  }

  @Override
  public Integer call() throws Exception {
    AdminClient admin = main().admin();
    String path = "/admin/v1/tenants/" + ConfigExport.enc(tenant) + setting();
    if (!changes()) {
      AdminClient.print(admin.call("GET", path, null));
      return 0;
    }
    ObjectNode body = ((ObjectNode) admin.call("GET", path, null)).deepCopy();
    change(body);
    AdminClient.print(admin.call("PUT", path, body));
    return 0;
  }
}
