package dev.gatehouse.bench;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.PrimString;
import dev.gatehouse.cedar.Authorizer;
import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.Response;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Cedar authorization decision, entities loaded in advance: Gatehouse's engine against the
 * official one (cedar-java 4.10, Rust through JNI), same policies, entities and requests, for
 * 100 RBAC/ABAC policies over 1,000 entities with a group hierarchy of depth 3
 * ({@link RbacAbacWorkload}), TinyTodo-, GitHub- and GDrive-style applications
 * ({@link AppWorkloads}) and every request of the largest conformance corpus tests, each against
 * its own test's policies and entities ({@link CorpusWorkload}). {@code SampleTime} reports the
 * median (p0.50) per decision.
 *
 * <p>Run, after {@code ./mvnw -q -B -DskipTests -pl bench -am package}:
 * <pre>{@code
 * java -jar bench/target/gatehouse-bench.jar CedarDecisionBenchmark -prof gc
 * java -jar bench/target/gatehouse-bench.jar CedarDecisionBenchmark -p workload=corpus
 * }</pre>
 * from the project root (the corpus workload reads the Cedar tests' corpus archive).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class CedarDecisionBenchmark {

  /** Requests are cycled through arrays of this many slots (a power of two: a mask, no modulo). */
  private static final int SLOTS = 1024;

  // Per slot: a request and the policy set and entity store it runs against. Workloads with one
  // application share one set and store; the corpus workload has one per test.
  private final PolicySet[] ourPolicies = new PolicySet[SLOTS];
  private final Entities[] ourEntities = new Entities[SLOTS];
  private final Request[] ourRequests = new Request[SLOTS];
  private final Authorizer authorizer = new Authorizer();

  private final com.cedarpolicy.model.policy.PolicySet[] theirPolicies =
      new com.cedarpolicy.model.policy.PolicySet[SLOTS];
  private final com.cedarpolicy.model.entity.Entities[] theirEntities =
      new com.cedarpolicy.model.entity.Entities[SLOTS];
  private final AuthorizationRequest[] theirRequests = new AuthorizationRequest[SLOTS];
  private final BasicAuthorizationEngine engine = new BasicAuthorizationEngine();

  private int next;

  /**
   * Which workload: {@link RbacAbacWorkload}, the applications of {@link AppWorkloads}, {@code
   * corpus}, the largest conformance tests by policy text plus entities, or {@code
   * corpusPolicies}, the ones with the largest policies ({@link CorpusWorkload}).
   */
  @Param({"rbacAbac", "tinyTodo", "github", "gdrive", "corpus", "corpusPolicies"})
  public String workload;

  @Setup(Level.Trial)
  public void load() throws Exception {
    if (workload.startsWith("corpus")) {
      loadCorpus(workload.equals("corpusPolicies"));
    } else {
      loadApplication();
    }
    // Both engines must agree on the workload, or the comparison means nothing.
    int allowed = 0;
    for (int i = 0; i < SLOTS; i++) {
      Response ours = authorizer.isAuthorized(ourRequests[i], ourPolicies[i], ourEntities[i]);
      AuthorizationResponse theirs = engine.isAuthorized(theirRequests[i], theirPolicies[i],
          theirEntities[i]);
      boolean theirAllow = theirs.success.orElseThrow().isAllowed();
      if (ours.isAllowed() != theirAllow) {
        throw new IllegalStateException(workload + ": engines disagree on request " + i);
      }
      allowed += theirAllow ? 1 : 0;
    }
    // The corpus tests are checked against the decisions they expect instead: the largest ones
    // happen to allow every request.
    if (!workload.startsWith("corpus") && (allowed == 0 || allowed == SLOTS)) {
      throw new IllegalStateException("a workload of only one decision measures nothing");
    }
  }

  private void loadApplication() throws Exception {
    AppWorkloads.Workload w = AppWorkloads.byName(workload);
    PolicySet policies = PolicySet.parse(w.policies());
    Entities entities = EntitiesJson.parse(w.entitiesJson());
    var policiesThere = com.cedarpolicy.model.policy.PolicySet.parsePolicies(w.policies());
    var entitiesThere = com.cedarpolicy.model.entity.Entities.parse(w.entitiesJson());
    RecordValue context = new RecordValue(Map.<String, Value>of("network",
        new StringValue("corp")));
    Map<String, com.cedarpolicy.value.Value> theirContext = Map.of("network",
        new PrimString("corp"));
    List<String[]> reqs = w.requests();
    for (int i = 0; i < SLOTS; i++) {
      String[] q = reqs.get(i % reqs.size());
      ourPolicies[i] = policies;
      ourEntities[i] = entities;
      ourRequests[i] = new Request(EntityUid.of(q[0], q[1]), EntityUid.of("Action", q[2]),
          EntityUid.of(q[3], q[4]), context);
      theirPolicies[i] = policiesThere;
      theirEntities[i] = entitiesThere;
      theirRequests[i] = new AuthorizationRequest(theirUid(q[0], q[1]),
          theirUid("Action", q[2]), theirUid(q[3], q[4]), theirContext);
    }
  }

  /** Every request of the largest corpus tests, each against its own test's policies and store. */
  private void loadCorpus(boolean byPolicies) throws Exception {
    List<CorpusWorkload.Test> tests = CorpusWorkload.largest(byPolicies);
    record Loaded(PolicySet ps, Entities es, com.cedarpolicy.model.policy.PolicySet tps,
        com.cedarpolicy.model.entity.Entities tes, Request q, AuthorizationRequest tq) {}
    List<Loaded> all = new java.util.ArrayList<>();
    for (CorpusWorkload.Test t : tests) {
      PolicySet ps = PolicySet.parse(t.policies());
      Entities es = EntitiesJson.parse(t.entitiesJson());
      var tps = com.cedarpolicy.model.policy.PolicySet.parsePolicies(t.policies());
      var tes = com.cedarpolicy.model.entity.Entities.parse(t.entitiesJson());
      for (CorpusWorkload.Req r : t.requests()) {
        Request q = new Request(r.principal(), r.action(), r.resource(), r.context());
        if (authorizer.isAuthorized(q, ps, es).isAllowed() != r.decision()) {
          throw new IllegalStateException(t.id() + ": not the decision the test expects");
        }
        // cedar-java takes the context as Cedar values: read them from a one-entity store.
        Map<String, com.cedarpolicy.value.Value> ctx = com.cedarpolicy.model.entity.Entities
            .parse("[{\"uid\":{\"type\":\"C\",\"id\":\"\"},\"parents\":[],\"attrs\":"
                + r.contextJson() + "}]").getEntities().iterator().next().attrs;
        all.add(new Loaded(ps, es, tps, tes, q, new AuthorizationRequest(
            theirUid(r.principal()), theirUid(r.action()), theirUid(r.resource()), ctx)));
      }
    }
    for (int i = 0; i < SLOTS; i++) {
      Loaded l = all.get(i % all.size());
      ourPolicies[i] = l.ps();
      ourEntities[i] = l.es();
      ourRequests[i] = l.q();
      theirPolicies[i] = l.tps();
      theirEntities[i] = l.tes();
      theirRequests[i] = l.tq();
    }
  }

  private static com.cedarpolicy.value.EntityUID theirUid(EntityUid uid) {
    return theirUid(uid.type().name(), uid.id());
  }

  private static com.cedarpolicy.value.EntityUID theirUid(String type, String id) {
    return new com.cedarpolicy.value.EntityUID(EntityTypeName.parse(type).orElseThrow(), id);
  }

  @Benchmark
  public Response gatehouse() {
    int i = next++ & (SLOTS - 1);
    return authorizer.isAuthorized(ourRequests[i], ourPolicies[i], ourEntities[i]);
  }

  @Benchmark
  public AuthorizationResponse cedarJava() throws Exception {
    int i = next++ & (SLOTS - 1);
    return engine.isAuthorized(theirRequests[i], theirPolicies[i], theirEntities[i]);
  }
}
