package dev.gatehouse.server.cli;

import dev.gatehouse.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the CLI in this JVM against a test server, as an operator would type it. */
final class Cli {

  /** An exit code and what the command printed (standard output and error). */
  record Run(int code, String out) {}

  private Cli() {}

  static Run run(TestServer server, String... args) {
    return withInput(server, "", args);
  }

  /** With {@code stdin} as standard input (answers to prompts, passwords). */
  static synchronized Run withInput(TestServer server, String stdin, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    InputStream in = System.in;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      String[] all = new String[args.length + 2];
      all[0] = "--data";
      all[1] = server.dataDir().toString();
      System.arraycopy(args, 0, all, 2, args.length);
      int code = new CommandLine(new Main())
          .setExecutionExceptionHandler((e, cmd, parse) -> {
            System.out.println("gatehouse: " + e.getMessage());
            return 1;
          })
          .execute(all);
      return new Run(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
      System.setIn(in);
    }
  }
}
