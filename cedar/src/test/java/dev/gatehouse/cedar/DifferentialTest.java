package dev.gatehouse.cedar;

import static org.assertj.core.api.Assertions.assertThat;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.value.EntityTypeName;
import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.Effect;
import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.format.PolicyFormatter;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.value.RecordValue;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Differential test against the official engine (cedar-java, test scope only): random policies
 * over a small entity universe must get the same decision, and error or be satisfied exactly when
 * the official engine says so.
 */
class DifferentialTest {
  private static final String ENTITIES =
      """
      [
       {"uid": {"type": "User", "id": "alice"},
        "attrs": {"age": 30, "a": "x", "b": {"a": true, "b": [1, 2]}, "owner": {"__entity": {"type": "User", "id": "bob"}},
                  "s": [1, "x", {"__entity": {"type": "Group", "id": "g"}}], "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}},
        "parents": [{"type": "Group", "id": "g"}], "tags": {"a": "t", "b": 7}},
       {"uid": {"type": "Group", "id": "g"}, "attrs": {"a": 9223372036854775807}, "parents": [{"type": "Group", "id": "root"}]},
       {"uid": {"type": "User", "id": "bob"}, "attrs": {"age": -9223372036854775808, "b": {}}, "parents": []},
       {"uid": {"type": "Action", "id": "view"}, "attrs": {}, "parents": [{"type": "Action", "id": "read"}]}
      ]
      """;
  private static final Entities OURS = EntitiesJson.parse(ENTITIES);
  private static final com.cedarpolicy.model.entity.Entities THEIRS = parseTheirs();
  private static final List<EntityUid> UNIVERSE =
      List.of(
          EntityUid.of("User", "alice"), EntityUid.of("User", "bob"), EntityUid.of("Group", "g"),
          EntityUid.of("Group", "root"), EntityUid.of("Action", "view"), EntityUid.of("Action", "read"),
          EntityUid.of("Photo", "p"));

  /** The same context on both sides: {@code {a: 1, b: {a: true, b: [1, 2]}, s: "x", owner: User::"alice"}}. */
  private static final RecordValue OUR_CONTEXT =
      (RecordValue) dev.gatehouse.cedar.json.ValueJson.parse(
          "{\"a\": 1, \"b\": {\"a\": true, \"b\": [1, 2]}, \"s\": \"x\", \"owner\": {\"__entity\": {\"type\": \"User\", \"id\": \"alice\"}}}");

  private static Map<String, com.cedarpolicy.value.Value> theirContext() {
    Map<String, com.cedarpolicy.value.Value> b = new java.util.HashMap<>();
    b.put("a", new com.cedarpolicy.value.PrimBool(true));
    b.put("b", new com.cedarpolicy.value.CedarList(List.of(new com.cedarpolicy.value.PrimLong(1), new com.cedarpolicy.value.PrimLong(2))));
    Map<String, com.cedarpolicy.value.Value> m = new java.util.HashMap<>();
    m.put("a", new com.cedarpolicy.value.PrimLong(1));
    m.put("b", new com.cedarpolicy.value.CedarMap(b));
    m.put("s", new com.cedarpolicy.value.PrimString("x"));
    m.put("owner", uid(EntityUid.of("User", "alice")));
    return m;
  }

  private static com.cedarpolicy.model.entity.Entities parseTheirs() {
    try {
      return com.cedarpolicy.model.entity.Entities.parse(ENTITIES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Provide
  Arbitrary<Policy> policies() {
    Arbitrary<EntityUid> uids = Arbitraries.of(UNIVERSE);
    Arbitrary<Expr> exprs = Generators.exprs(3, Arbitraries.of("a", "b", "age", "owner", "s", "ip", "nope"), uids);
    Arbitrary<EntityType> types = uids.map(EntityUid::type);
    Arbitrary<ScopeConstraint> scope =
        Arbitraries.oneOf(Arbitraries.just(ScopeConstraint.ANY), uids.map(ScopeConstraint.In::new), uids.map(ScopeConstraint.Eq::new),
            types.map(ScopeConstraint.Is::new), Combinators.combine(types, uids).as(ScopeConstraint.IsIn::new));
    // `action in [..]` is the one scope only actions have.
    Arbitrary<EntityUid> actions = Arbitraries.of(EntityUid.of("Action", "view"), EntityUid.of("Action", "read"), EntityUid.of("Action", "edit"));
    Arbitrary<ScopeConstraint> actionScope =
        Arbitraries.oneOf(Arbitraries.just(ScopeConstraint.ANY), actions.map(ScopeConstraint.In::new), actions.map(ScopeConstraint.Eq::new),
            actions.list().ofMinSize(1).ofMaxSize(2).map(ScopeConstraint.InSet::new));
    Arbitrary<List<Condition>> conds = Combinators.combine(Arbitraries.of(true, false), exprs).as(Condition::new).list().ofMinSize(1).ofMaxSize(2);
    return Combinators.combine(Arbitraries.of(Effect.values()), scope, actionScope, scope, conds)
        .as((eff, p, a, r, c) -> new Policy("policy0", eff, List.of(), p, a, r, c));
  }

  @Provide
  Arbitrary<List<EntityUid>> requests() {
    Arbitrary<EntityUid> pr = Arbitraries.of(EntityUid.of("User", "alice"), EntityUid.of("User", "bob"), EntityUid.of("Group", "g"), EntityUid.of("Photo", "p"));
    Arbitrary<EntityUid> act = Arbitraries.of(EntityUid.of("Action", "view"), EntityUid.of("Action", "read"));
    return Combinators.combine(pr, act, pr).as(List::of);
  }

  @Property(tries = 1500)
  void isAuthorizedWhenRandomPolicyThenSameAsOfficialEngine(@ForAll("policies") Policy policy, @ForAll("requests") List<EntityUid> req)
      throws Exception {
    String text = PolicyFormatter.format(policy);
    Response ours =
        new Authorizer().isAuthorized(new Request(req.get(0), req.get(1), req.get(2), OUR_CONTEXT), PolicySet.parse(text), OURS);

    AuthorizationRequest theirReq = new AuthorizationRequest(uid(req.get(0)), uid(req.get(1)), uid(req.get(2)), theirContext());
    AuthorizationResponse theirs =
        new BasicAuthorizationEngine().isAuthorized(theirReq, com.cedarpolicy.model.policy.PolicySet.parsePolicies(text), THEIRS);
    assertThat(theirs.success).as("official engine answered for%n%s", text).isPresent();
    AuthorizationSuccessResponse ok = theirs.success.get();
    assertThat(ours.decision() == Decision.ALLOW).as("decision for%n%s%nours: %s%ntheirs: %s", text, ours, ok).isEqualTo(ok.isAllowed());
    assertThat(ours.reasons().isEmpty()).as("reasons for%n%s%nours: %s%ntheirs: %s", text, ours, ok).isEqualTo(ok.getReason().isEmpty());
    assertThat(ours.errors().isEmpty()).as("errors for%n%s%nours: %s%ntheirs: %s", text, ours, ok).isEqualTo(ok.getErrors().isEmpty());
  }

  /**
   * Sets of two to four policies, permits and forbids mixed, some of them erroring (an attribute
   * that does not exist, a wrong type): the combination is compared too — forbid overrides
   * permit, an erroring policy is skipped and reported, default deny — with the same policies
   * satisfied and the same policies in error, by id.
   */
  @Property(tries = 1000)
  void isAuthorizedWhenRandomPolicySetThenSameDecisionReasonsAndErrorsAsOfficialEngine(
      @ForAll("policySets") List<Policy> policies, @ForAll("requests") List<EntityUid> req)
      throws Exception {
    StringBuilder b = new StringBuilder();
    for (Policy p : policies) {
      b.append(PolicyFormatter.format(p)).append('\n');
    }
    String text = b.toString();
    Response ours = new Authorizer().isAuthorized(
        new Request(req.get(0), req.get(1), req.get(2), OUR_CONTEXT), PolicySet.parse(text), OURS);
    AuthorizationResponse theirs = new BasicAuthorizationEngine().isAuthorized(
        new AuthorizationRequest(uid(req.get(0)), uid(req.get(1)), uid(req.get(2)), theirContext()),
        com.cedarpolicy.model.policy.PolicySet.parsePolicies(text), THEIRS);
    assertThat(theirs.success).as("official engine answered for%n%s", text).isPresent();
    AuthorizationSuccessResponse ok = theirs.success.get();
    assertThat(ours.decision() == Decision.ALLOW)
        .as("decision for%n%s%nours: %s%ntheirs: %s", text, ours, ok).isEqualTo(ok.isAllowed());
    assertThat(ours.reasons()).as("reasons for%n%s%nours: %s%ntheirs: %s", text, ours, ok)
        .containsExactlyInAnyOrderElementsOf(ok.getReason());
    assertThat(ours.errors().stream().map(Response.PolicyError::policyId).toList())
        .as("errors for%n%s%nours: %s%ntheirs: %s", text, ours, ok)
        .containsExactlyInAnyOrderElementsOf(ok.getErrors().stream()
            .map(AuthorizationSuccessResponse.AuthorizationError::getPolicyId).toList());
  }

  @Provide
  Arbitrary<List<Policy>> policySets() {
    return policies().list().ofMinSize(2).ofMaxSize(4);
  }

  @Property(tries = 1500)
  void isAuthorizedWhenCompiledThenSameAsReferenceEvaluator(
      @ForAll("policies") Policy p1, @ForAll("policies") Policy p2, @ForAll("requests") List<EntityUid> req) {
    PolicySet ps = PolicySet.of(List.of(p1, p2.withId("policy1")));
    Request r = new Request(req.get(0), req.get(1), req.get(2), RecordValue.EMPTY);
    Authorizer az = new Authorizer();
    Response fast = az.isAuthorized(r, ps, OURS);
    Response ref = az.isAuthorizedReference(r, ps, OURS);
    assertThat(fast.decision()).isEqualTo(ref.decision());
    assertThat(fast.reasons()).isEqualTo(ref.reasons());
    assertThat(fast.errors()).isEqualTo(ref.errors());
  }

  private static com.cedarpolicy.value.EntityUID uid(EntityUid u) {
    return new com.cedarpolicy.value.EntityUID(EntityTypeName.parse(u.type().name()).orElseThrow(), u.id());
  }
}
