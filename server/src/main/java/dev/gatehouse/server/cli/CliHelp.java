package dev.gatehouse.server.cli;

import java.util.Map;
import picocli.CommandLine;

/**
 * Usage examples, one place for the whole command tree: {@code gatehouse COMMAND --help} ends with
 * the lines a newcomer would type next. The help options themselves ({@code -h}, {@code --help},
 * {@code -V}) are inherited by every command from {@link Main}.
 */
final class CliHelp {

  private static final Map<String, String> EXAMPLES = Map.ofEntries(
      Map.entry("gatehouse", """
          ./gatehouse serve                # http://localhost:8080, data in ./data
          ./gatehouse tenant create acme
          ./gatehouse client create --tenant acme --name billing --scope "invoices.read"
          ./gatehouse help client create"""),
      Map.entry("serve", """
          ./gatehouse serve
          ./gatehouse serve --port 9090 --data /var/lib/gatehouse
          GATEHOUSE_DB_URL=jdbc:postgresql://db/gatehouse ./gatehouse serve"""),
      Map.entry("migrate", """
          GATEHOUSE_DB_URL=jdbc:postgresql://db/gatehouse ./gatehouse migrate"""),
      Map.entry("tenant create", """
          ./gatehouse tenant create acme --display-name "Acme Corp\""""),
      Map.entry("tenant update", """
          ./gatehouse tenant update acme --logo-url https://acme.example/logo.svg \\
              --primary-color '#0a7d5a'"""),
      Map.entry("tenant delete", """
          ./gatehouse tenant delete acme"""),
      Map.entry("client create", """
          # a service (client_credentials), JWT access tokens:
          ./gatehouse client create --tenant acme --name billing \\
              --scope "invoices.read invoices.write"
          # a web application signing people in (code + PKCE, refresh tokens):
          ./gatehouse client create --tenant acme --name portal \\
              --grant authorization_code --grant refresh_token \\
              --redirect-uri https://portal.example/callback
          # a single-page app (public client, no secret):
          ./gatehouse client create --tenant acme --name spa --public \\
              --grant authorization_code --redirect-uri http://localhost:5173/cb"""),
      Map.entry("client list", """
          ./gatehouse client list --tenant acme"""),
      Map.entry("keys rotate", """
          ./gatehouse keys rotate --tenant acme
          ./gatehouse keys rotate --tenant acme --alg RS256"""),
      Map.entry("keys list", """
          ./gatehouse keys list --tenant acme"""),
      Map.entry("token revoke", """
          ./gatehouse token revoke --tenant acme "$TOKEN\""""),
      Map.entry("user create", """
          printf '%s' "$PASSWORD" | ./gatehouse user create --tenant acme \\
              --username alice --email alice@example.com --password-stdin"""),
      Map.entry("user list", """
          ./gatehouse user list --tenant acme --query al"""),
      Map.entry("events tail", """
          ./gatehouse events tail --tenant acme
          ./gatehouse events tail --tenant acme --group siem-acme \\
              --redis redis://127.0.0.1:6379"""),
      Map.entry("policy put", """
          ./gatehouse policy schema put --tenant acme schema.cedarschema
          ./gatehouse policy put --tenant acme policies.cedar --message "editors edit\""""),
      Map.entry("policy test", """
          ./gatehouse policy test --tenant acme tests.json"""),
      Map.entry("policy corpus", """
          ./gatehouse policy corpus \\
              cedar/src/test/resources/cedar-conformance/corpus.tar.gz"""),
      Map.entry("entities put", """
          ./gatehouse entities put --tenant acme entities.json"""),
      Map.entry("webhook create", """
          ./gatehouse webhook create --tenant acme \\
              --url https://siem.example.com/hooks --event 'token.*'""")
  );

  private CliHelp() {}

  /** Adds the examples to {@code root}'s commands, recursively. */
  static CommandLine install(CommandLine root) {
    add(root, "");
    return root;
  }

  private static void add(CommandLine cmd, String path) {
    String key = path.isEmpty() ? cmd.getCommandName() : path;
    String examples = EXAMPLES.get(key);
    if (examples != null) {
      cmd.getCommandSpec().usageMessage().footerHeading("%nExamples:%n")
          .footer(java.util.stream.Stream.concat(
              examples.lines().map(l -> "  " + l.replace("%", "%%")), java.util.stream.Stream.of(""))
              .toArray(String[]::new));
    }
    for (CommandLine sub : cmd.getSubcommands().values()) {
      if (!"help".equals(sub.getCommandName())) {
        add(sub, path.isEmpty() ? sub.getCommandName() : path + " " + sub.getCommandName());
      }
    }
  }
}
