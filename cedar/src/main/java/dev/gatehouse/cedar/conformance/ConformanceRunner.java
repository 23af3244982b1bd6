package dev.gatehouse.cedar.conformance;

import dev.gatehouse.cedar.Authorizer;
import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Decision;
import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.Response;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.cedar.json.JsonReader;
import dev.gatehouse.cedar.json.JsonType;
import dev.gatehouse.cedar.json.SchemaHints;
import dev.gatehouse.cedar.json.ValueJson;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs conformance tests in the format of cedar-integration-tests, mirroring upstream's {@code
 * integration_testing.rs}: parse schema, policies and entities; check strict validation against
 * {@code shouldValidate} (when a {@link SchemaSupport} is available); then for each request compare
 * the decision, the set of determining policies and the set of erroring policies.
 */
public final class ConformanceRunner {
  private final Path root;
  private final SchemaSupport schemaSupport;
  private final Authorizer authorizer = new Authorizer();

  /**
   * Creates a runner for the corpus folder {@code root} (paths in test files are relative to it),
   * with the {@link SchemaSupport} found by {@link ServiceLoader}, if any.
   */
  public ConformanceRunner(Path root) {
    this(root, ServiceLoader.load(SchemaSupport.class).findFirst().orElse(null));
  }

  /** Creates a runner with an explicit schema support, or null for schema-less runs. */
  public ConformanceRunner(Path root, SchemaSupport schemaSupport) {
    this.root = root;
    this.schemaSupport = schemaSupport;
  }

  /** Returns whether schema steps run. */
  public boolean hasSchemaSupport() {
    return schemaSupport != null;
  }

  /**
   * Returns the test files under {@code dir}: every {@code *.json} except entities files, sorted.
   */
  public static List<Path> findTests(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().endsWith(".entities.json"))
          .filter(p -> !p.getFileName().toString().equals("entities.json"))
          .filter(p -> !dir.relativize(p).toString().replace('\\', '/').contains("sample-data/"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the test id of {@code file}: its path relative to the root, with forward slashes. */
  public String idOf(Path file) {
    return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  /** Runs one test file; never throws for bad input, which is reported as a failure instead. */
  public TestOutcome run(Path testFile) {
    String id = idOf(testFile);
    List<String> failures = new ArrayList<>();
    int requests = 0;
    try {
      String text = read(testFile);
      Json.Obj test = (Json.Obj) JsonReader.parse(text);
      PolicySet policies = PolicySet.parse(read(resolve(string(test, "policies"))));
      SchemaSupport.LoadedSchema schema = null;
      if (schemaSupport != null && test.get("schema") instanceof Json.Str schemaPath) {
        schema = schemaSupport.load(read(resolve(schemaPath.value())));
        boolean expected = test.get("shouldValidate") instanceof Json.Bool b && b.value();
        boolean actual = schema.validate(policies);
        if (actual != expected) {
          failures.add("shouldValidate: expected " + expected + ", got " + actual);
        }
      }
      SchemaHints hints = schema == null ? SchemaHints.NONE : schema.hints();
      List<Entity> list = new ArrayList<>(EntitiesJson.parseList(read(resolve(string(test, "entities"))), hints));
      if (schema != null) {
        schema.checkEntities(list);
        Set<EntityUid> have = new HashSet<>();
        list.forEach(e -> have.add(e.uid()));
        for (Entity a : schema.actionEntities()) {
          if (!have.contains(a.uid())) {
            list.add(a);
          }
        }
      }
      Entities entities = Entities.of(list);
      Json.Arr reqs = (Json.Arr) test.get("requests");
      for (Json r : reqs.items()) {
        requests++;
        runRequest((Json.Obj) r, policies, entities, schema, failures);
      }
    } catch (CedarException | ClassCastException | NullPointerException | UncheckedIOException e) {
      failures.add("error: " + e);
    }
    return new TestOutcome(id, requests, failures);
  }

  private void runRequest(
      Json.Obj r, PolicySet policies, Entities entities, SchemaSupport.LoadedSchema schema, List<String> failures) {
    String desc = r.get("description") instanceof Json.Str d ? d.value() : "?";
    try {
      EntityUid principal = ValueJson.toUid(r.get("principal"), "");
      EntityUid action = ValueJson.toUid(r.get("action"), "");
      EntityUid resource = ValueJson.toUid(r.get("resource"), "");
      JsonType ctxType = schema == null ? JsonType.ANY : schema.contextType(action);
      Value ctx = ValueJson.toValue(r.get("context"), ctxType, "");
      if (!(ctx instanceof RecordValue context)) {
        failures.add(desc + ": context is not a record");
        return;
      }
      Request request = new Request(principal, action, resource, context);
      boolean validate = !(r.get("validateRequest") instanceof Json.Bool b) || b.value();
      if (schema != null && validate) {
        schema.validateRequest(request);
      }
      Response resp = authorizer.isAuthorized(request, policies, entities);
      Decision expected = string(r, "decision").equals("allow") ? Decision.ALLOW : Decision.DENY;
      if (resp.decision() != expected) {
        failures.add(desc + ": decision expected " + expected + ", got " + resp.decision() + " " + resp.errors());
      }
      Set<String> reasons = stringSet(r.get("reason"));
      if (!reasons.equals(new TreeSet<>(resp.reasons()))) {
        failures.add(desc + ": reason expected " + reasons + ", got " + new TreeSet<>(resp.reasons()));
      }
      Set<String> errors = stringSet(r.get("errors"));
      if (!errors.equals(new TreeSet<>(resp.erroringPolicies()))) {
        failures.add(desc + ": errors expected " + errors + ", got " + resp.errors());
      }
    } catch (CedarException | ClassCastException | NullPointerException e) {
      failures.add(desc + ": error: " + e);
    }
  }

  private static Set<String> stringSet(Json j) {
    Set<String> out = new TreeSet<>();
    if (j instanceof Json.Arr a) {
      for (Json x : a.items()) {
        if (x instanceof Json.Str s) {
          out.add(s.value());
        } else if (x instanceof Json.Obj o && o.get("policyId") instanceof Json.Str s) {
          out.add(s.value());
        }
      }
    }
    return out;
  }

  private static String string(Json.Obj o, String key) {
    if (o.get(key) instanceof Json.Str s) {
      return s.value();
    }
    throw new CedarException("test is missing the string field `" + key + "`");
  }

  private Path resolve(String relative) {
    return root.resolve(relative);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
