package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse password-policy show|set}: what new passwords of a tenant must meet. */
@Command(name = "password-policy", description = "A tenant's password policy.",
    subcommands = {PasswordPolicyCommand.Show.class, PasswordPolicyCommand.Set.class})
final class PasswordPolicyCommand {

  @ParentCommand
  Main main;

  @Command(name = "show", description = "Show the tenant's password policy.")
  static class Show extends TenantSetting {
    @ParentCommand
    PasswordPolicyCommand parent;

    @Override
    Main main() {
      return parent.main;
    }

    @Override
    String setting() {
      return "/password-policy";
    }
  }

  @Command(name = "set", description = "Change the tenant's password policy; options left out"
      + " keep their value.")
  static final class Set extends Show {
    @Option(names = "--min-length", description = "at least this many characters (1 to 256)")
    Integer minLength;

    @Option(names = "--refuse-common", arity = "1", description = "true: refuse commonly chosen"
        + " passwords")
    Boolean refuseCommon;

    @Override
    boolean changes() {
      return true;
    }

    @Override
    void change(ObjectNode body) {
      if (minLength != null) {
        body.put("min_length", minLength);
      }
      if (refuseCommon != null) {
        body.put("refuse_common", refuseCommon);
      }
    }
  }
}
