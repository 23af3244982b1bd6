package dev.gatehouse.bench;

import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.conformance.ConformanceRunner;
import dev.gatehouse.cedar.conformance.CorpusArchive;
import dev.gatehouse.cedar.conformance.SchemaSupport;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.cedar.json.JsonReader;
import dev.gatehouse.cedar.json.JsonType;
import dev.gatehouse.cedar.json.JsonWriter;
import dev.gatehouse.cedar.json.SchemaHints;
import dev.gatehouse.cedar.json.ValueJson;
import dev.gatehouse.cedar.validation.CedarSchemaSupport;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The largest tests of the Cedar conformance corpus as a decision workload (workload (b) of
 * docs/benchmarks.md, "Cedar engine"): the {@value #TESTS} tests of the official corpus (corpus and hand-written)
 * with the most policy text plus entities JSON, each with its own policy set, entity store and
 * requests. Corpus tests hold one policy each, so that measure picks the largest entity stores
 * (their policies happen to be {@code when { true }}); {@link #largest(boolean)} can rank by
 * policy text alone instead, which picks the largest policies.
 *
 * <p>The corpus is read where it lies, never copied. Entities and contexts are read with the
 * test's schema (some values are extension values only the schema tells apart) and written back
 * as explicit Cedar JSON, the schema's action entities included, so that both engines get the
 * same self-describing input and neither needs the schema while deciding. The corpus is the
 * archive the Cedar tests use ({@value #ARCHIVE} from the working directory, the project root),
 * unpacked once into {@code bench/target/cedar-conformance}, unless the system property {@code
 * cedar.conformance.root} or the environment variable {@code GATEHOUSE_CEDAR_CORPUS} names a
 * folder holding another copy.
 */
final class CorpusWorkload {

  /** How many of the largest tests make up the workload. */
  static final int TESTS = 10;

  private CorpusWorkload() {}

  /** One test: its policy text, its entities as explicit JSON, and its requests. */
  record Test(String id, String policies, String entitiesJson, List<Req> requests) {}

  /**
   * One request of a test, with its context as an explicit Cedar record and as JSON.
   *
   * @param decision the decision the test expects, {@code true} for allow
   */
  record Req(EntityUid principal, EntityUid action, EntityUid resource, RecordValue context,
      String contextJson, boolean decision) {}

  static final String ARCHIVE = "cedar/src/test/resources/cedar-conformance/corpus.tar.gz";

  static Path root() {
    String folder = System.getProperty("cedar.conformance.root", System.getenv("GATEHOUSE_CEDAR_CORPUS"));
    if (folder != null && !folder.isBlank()) {
      return Path.of(folder);
    }
    Path archive = Path.of(ARCHIVE);
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("Cedar conformance archive not found at "
          + archive.toAbsolutePath() + "; run from the project root or set -Dcedar.conformance.root");
    }
    return CorpusArchive.unpacked(archive, Path.of("bench/target/cedar-conformance"));
  }

  /**
   * Loads the {@value #TESTS} largest tests, largest first: by policy text plus entities JSON, or
   * by policy text alone.
   */
  static List<Test> largest(boolean policiesOnly) {
    Path root = root();
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("Cedar conformance data not found at " + root.toAbsolutePath()
          + "; run from the project root or set -Dcedar.conformance.root");
    }
    record Sized(Path file, long size) {}
    List<Sized> sized = new ArrayList<>();
    for (Path t : ConformanceRunner.findTests(root)) {
      Json.Obj test = (Json.Obj) JsonReader.parse(read(t));
      sized.add(new Sized(t, size(root, test, "policies")
          + (policiesOnly ? 0 : size(root, test, "entities"))));
    }
    sized.sort(Comparator.comparingLong(Sized::size).reversed()
        .thenComparing(s -> s.file().toString()));
    List<Test> out = new ArrayList<>();
    SchemaSupport schemas = new CedarSchemaSupport();
    for (Sized s : sized.subList(0, Math.min(TESTS, sized.size()))) {
      out.add(load(root, s.file(), schemas));
    }
    return out;
  }

  private static Test load(Path root, Path file, SchemaSupport schemas) {
    Json.Obj test = (Json.Obj) JsonReader.parse(read(file));
    SchemaSupport.LoadedSchema schema = test.get("schema") instanceof Json.Str s
        ? schemas.load(read(root.resolve(s.value()))) : null;
    SchemaHints hints = schema == null ? SchemaHints.NONE : schema.hints();
    List<Entity> entities = new ArrayList<>(EntitiesJson.parseList(
        read(root.resolve(((Json.Str) test.get("entities")).value())), hints));
    if (schema != null) {
      Set<EntityUid> have = new HashSet<>();
      entities.forEach(e -> have.add(e.uid()));
      for (Entity a : schema.actionEntities()) {
        if (have.add(a.uid())) {
          entities.add(a);
        }
      }
    }
    List<Req> requests = new ArrayList<>();
    for (Json r : ((Json.Arr) test.get("requests")).items()) {
      Json.Obj q = (Json.Obj) r;
      EntityUid action = ValueJson.toUid(q.get("action"), "");
      JsonType ctxType = schema == null ? JsonType.ANY : schema.contextType(action);
      RecordValue context = (RecordValue) ValueJson.toValue(q.get("context"), ctxType, "");
      requests.add(new Req(ValueJson.toUid(q.get("principal"), ""), action,
          ValueJson.toUid(q.get("resource"), ""), context,
          JsonWriter.write(ValueJson.toJson(context)),
          ((Json.Str) q.get("decision")).value().equals("allow")));
    }
    return new Test(root.relativize(file).toString(),
        read(root.resolve(((Json.Str) test.get("policies")).value())),
        JsonWriter.write(EntitiesJson.toJson(entities)), requests);
  }

  private static long size(Path root, Json.Obj test, String field) {
    try {
      return test.get(field) instanceof Json.Str s ? Files.size(root.resolve(s.value())) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
