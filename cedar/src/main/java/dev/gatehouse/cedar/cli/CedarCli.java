package dev.gatehouse.cedar.cli;

import dev.gatehouse.cedar.Authorizer;
import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.Response;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.conformance.ConformanceRunner;
import dev.gatehouse.cedar.conformance.CorpusArchive;
import dev.gatehouse.cedar.conformance.TestOutcome;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.json.JsonReader;
import dev.gatehouse.cedar.json.ValueJson;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.Value;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -jar gatehouse-cedar.jar <command>}: {@code corpus DIR} runs conformance tests,
 * {@code authorize}, {@code format} and {@code check} work on policy files.
 */
public final class CedarCli {
  private CedarCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command and returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      usage(err);
      return 2;
    }
    try {
      return switch (args[0]) {
        case "corpus" -> corpus(args, out, err);
        case "authorize" -> authorize(args, out, err);
        case "format" -> format(args, out, err);
        case "check" -> check(args, out, err);
        case "validate" -> validate(args, out, err);
        default -> {
          usage(err);
          yield 2;
        }
      };
    } catch (CedarException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private static void usage(PrintStream err) {
    err.println("usage: gatehouse-cedar corpus DIR|FILE.tar.gz [-v]");
    err.println("       gatehouse-cedar authorize POLICIES ENTITIES PRINCIPAL ACTION RESOURCE [CONTEXT]");
    err.println("         (uids and context as JSON, e.g. '{\"type\":\"User\",\"id\":\"alice\"}')");
    err.println("       gatehouse-cedar format POLICIES");
    err.println("       gatehouse-cedar check POLICIES");
    err.println("       gatehouse-cedar validate POLICIES SCHEMA   (.cedarschema or .json; strict mode)");
  }

  private static int corpus(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2) {
      usage(err);
      return 2;
    }
    boolean verbose = args.length > 2 && args[2].equals("-v");
    Path given = Path.of(args[1]).toAbsolutePath().normalize();
    if (Files.isRegularFile(given) && given.toString().endsWith(".tar.gz")) {
      Path tmp = null;
      try {
        tmp = Files.createTempDirectory("cedar-corpus");
        return corpus(CorpusArchive.unpacked(given, tmp.resolve("corpus")), verbose, out);
      } catch (IOException | java.io.UncheckedIOException e) {
        err.println("cannot unpack `" + given + "`: " + e.getMessage());
        return 2;
      } finally {
        CorpusArchive.delete(tmp);
      }
    }
    if (!Files.isDirectory(given)) {
      err.println("no such folder `" + args[1] + "`: give a folder of Cedar conformance tests"
          + " (or a .tar.gz of one)");
      return 2;
    }
    return corpus(given, verbose, out);
  }

  private static int corpus(Path dir, boolean verbose, PrintStream out) {
    Path root = corpusRoot(dir);
    ConformanceRunner runner = new ConformanceRunner(root);
    int passed = 0;
    int failed = 0;
    for (Path t : ConformanceRunner.findTests(dir)) {
      TestOutcome o = runner.run(t);
      if (o.passed()) {
        passed++;
      } else {
        failed++;
        out.println("FAIL " + o.id());
        if (verbose) {
          o.failures().forEach(f -> out.println("  " + f));
        }
      }
    }
    out.println(passed + " passed, " + failed + " failed");
    return failed == 0 ? 0 : 1;
  }

  /** Returns the folder test paths are relative to: the nearest ancestor holding {@code corpus-tests} or {@code tests}. */
  static Path corpusRoot(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("corpus-tests")) || Files.isDirectory(p.resolve("sample-data"))) {
        return p;
      }
    }
    return dir;
  }

  private static int authorize(String[] args, PrintStream out, PrintStream err) throws IOException {
    if (args.length < 6) {
      usage(err);
      return 2;
    }
    PolicySet ps = PolicySet.parse(Files.readString(Path.of(args[1])));
    Entities es = EntitiesJson.parse(Files.readString(Path.of(args[2])));
    EntityUid p = ValueJson.toUid(JsonReader.parse(args[3]), args[3]);
    EntityUid a = ValueJson.toUid(JsonReader.parse(args[4]), args[4]);
    EntityUid r = ValueJson.toUid(JsonReader.parse(args[5]), args[5]);
    Value ctx = args.length > 6 ? ValueJson.parse(args[6]) : RecordValue.EMPTY;
    if (!(ctx instanceof RecordValue context)) {
      err.println("error: context must be a JSON object");
      return 2;
    }
    Response resp = new Authorizer().isAuthorized(new Request(p, a, r, context), ps, es);
    out.println(resp.decision().name().toLowerCase());
    out.println("reasons: " + List.copyOf(resp.reasons()));
    resp.errors().forEach(out::println);
    return 0;
  }

  private static int format(String[] args, PrintStream out, PrintStream err) throws IOException {
    if (args.length < 2) {
      usage(err);
      return 2;
    }
    PolicySet ps = PolicySet.parse(Files.readString(Path.of(args[1])));
    out.print(dev.gatehouse.cedar.format.PolicyFormatter.format(ps));
    return 0;
  }

  private static int check(String[] args, PrintStream out, PrintStream err) throws IOException {
    if (args.length < 2) {
      usage(err);
      return 2;
    }
    PolicySet ps = PolicySet.parse(Files.readString(Path.of(args[1])));
    out.println(ps.staticPolicies().size() + " policies, " + ps.templates().size() + " templates: ok");
    return 0;
  }

  private static int validate(String[] args, PrintStream out, PrintStream err) throws IOException {
    if (args.length < 3) {
      usage(err);
      return 2;
    }
    PolicySet ps = PolicySet.parse(Files.readString(Path.of(args[1])));
    String schemaText = Files.readString(Path.of(args[2]));
    dev.gatehouse.cedar.schema.Schema schema = args[2].endsWith(".json")
        ? dev.gatehouse.cedar.schema.Schema.parseJson(schemaText)
        : dev.gatehouse.cedar.schema.Schema.parseCedar(schemaText);
    dev.gatehouse.cedar.validation.ValidationResult r = new dev.gatehouse.cedar.validation.Validator(schema).validate(ps);
    r.errors().forEach(e -> out.println("error: " + e));
    r.warnings().forEach(w -> out.println("warning: " + w));
    out.println(r.passed() ? "validation passed" : "validation failed: " + r.errors().size() + " errors");
    return r.passed() ? 0 : 1;
  }
}
