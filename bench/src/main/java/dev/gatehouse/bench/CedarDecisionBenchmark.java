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
 * ({@link RbacAbacWorkload}) and TinyTodo-, GitHub- and GDrive-style applications
 * ({@link AppWorkloads}). {@code SampleTime} reports the median (p0.50) per decision.
 *
 * <p>Run, after {@code ./mvnw -q -B -DskipTests -pl bench -am package}:
 * <pre>{@code
 * java -jar bench/target/gatehouse-bench.jar CedarDecisionBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class CedarDecisionBenchmark {

  private PolicySet ourPolicies;
  private Entities ourEntities;
  private Request[] ourRequests;
  private final Authorizer authorizer = new Authorizer();

  private com.cedarpolicy.model.policy.PolicySet theirPolicies;
  private com.cedarpolicy.model.entity.Entities theirEntities;
  private AuthorizationRequest[] theirRequests;
  private final BasicAuthorizationEngine engine = new BasicAuthorizationEngine();

  private int next;

  /** Which application: see {@link RbacAbacWorkload} and {@link AppWorkloads}. */
  @Param({"rbacAbac", "tinyTodo", "github", "gdrive"})
  public String workload;

  @Setup(Level.Trial)
  public void load() throws Exception {
    AppWorkloads.Workload w = AppWorkloads.byName(workload);
    ourPolicies = PolicySet.parse(w.policies());
    ourEntities = EntitiesJson.parse(w.entitiesJson());
    theirPolicies = com.cedarpolicy.model.policy.PolicySet.parsePolicies(w.policies());
    theirEntities = com.cedarpolicy.model.entity.Entities.parse(w.entitiesJson());
    RecordValue context = new RecordValue(Map.<String, Value>of("network",
        new StringValue("corp")));
    Map<String, com.cedarpolicy.value.Value> theirContext = Map.of("network",
        new PrimString("corp"));
    List<String[]> reqs = w.requests();
    ourRequests = new Request[reqs.size()];
    theirRequests = new AuthorizationRequest[reqs.size()];
    for (int i = 0; i < reqs.size(); i++) {
      String[] q = reqs.get(i);
      ourRequests[i] = new Request(EntityUid.of(q[0], q[1]), EntityUid.of("Action", q[2]),
          EntityUid.of(q[3], q[4]), context);
      theirRequests[i] = new AuthorizationRequest(theirUid(q[0], q[1]),
          theirUid("Action", q[2]), theirUid(q[3], q[4]), theirContext);
    }
    // Both engines must agree on the workload, or the comparison means nothing.
    int allowed = 0;
    for (int i = 0; i < reqs.size(); i++) {
      Response ours = authorizer.isAuthorized(ourRequests[i], ourPolicies, ourEntities);
      AuthorizationResponse theirs = engine.isAuthorized(theirRequests[i], theirPolicies,
          theirEntities);
      boolean theirAllow = theirs.success.orElseThrow().isAllowed();
      if (ours.isAllowed() != theirAllow) {
        throw new IllegalStateException(workload + ": engines disagree on request " + i);
      }
      allowed += theirAllow ? 1 : 0;
    }
    if (allowed == 0 || allowed == reqs.size()) {
      throw new IllegalStateException("a workload of only one decision measures nothing");
    }
  }

  private static com.cedarpolicy.value.EntityUID theirUid(String type, String id) {
    return new com.cedarpolicy.value.EntityUID(EntityTypeName.parse(type).orElseThrow(), id);
  }

  @Benchmark
  public Response gatehouse() {
    int i = next++ & 1023;
    return authorizer.isAuthorized(ourRequests[i], ourPolicies, ourEntities);
  }

  @Benchmark
  public AuthorizationResponse cedarJava() throws Exception {
    int i = next++ & 1023;
    return engine.isAuthorized(theirRequests[i], theirPolicies, theirEntities);
  }
}
