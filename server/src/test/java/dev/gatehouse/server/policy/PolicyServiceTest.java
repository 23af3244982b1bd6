package dev.gatehouse.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The policy store, entities and decisions without HTTP or a database. */
class PolicyServiceTest {

  static final String SCHEMA = """
      entity User { level: Long };
      entity Doc;
      action read appliesTo { principal: User, resource: Doc };
      """;

  final InMemoryPolicyStore store = new InMemoryPolicyStore();
  final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_800_000_000), ZoneOffset.UTC);
  final PolicyService policies = new PolicyService(store, clock, Duration.ofHours(1));
  final EntityService entities = new EntityService(store, List.of(), "Gatehouse", policies,
      clock, Duration.ofHours(1));
  final AtomicInteger logged = new AtomicInteger();
  /** The decision log writes to a sink that counts the events and holds nothing. */
  final DecisionLog log = new DecisionLog(events -> logged.addAndGet(events.size()), 1.0,
      new SimpleMeterRegistry());
  final DecisionService decisions = new DecisionService(policies, entities, log, clock, 1000,
      new SimpleMeterRegistry());

  @AfterEach
  void close() {
    log.close();
  }

  static DecisionRequest read(String user, String doc) {
    return new DecisionRequest(new Request(EntityUid.of("User", user),
        EntityUid.of("Action", "read"), EntityUid.of("Doc", doc), RecordValue.EMPTY), null, null);
  }

  @Test
  void everyWriteIsANewVersionWithAuthorTimeAndMessage() {
    PolicyVersion s = policies.putSchema("t", "admin", "cedar", SCHEMA, "schema");
    PolicyVersion p = policies.putPolicies("t", "admin", "permit(principal, action, resource);",
        null);
    assertThat(s.version()).isEqualTo(1);
    assertThat(p.version()).isEqualTo(2);
    assertThat(p.schemaText()).isEqualTo(SCHEMA);
    assertThat(p.message()).isEqualTo("policies updated");
    assertThat(p.author()).isEqualTo("admin");
    assertThat(p.createdAt()).isEqualTo(1_800_000_000L);
    assertThat(policies.history("t", 0, 10)).extracting(PolicyVersion::version)
        .containsExactly(2L, 1L);
  }

  @Test
  void aRefusedWriteLeavesTheActiveVersionAndSaysWhere() {
    policies.putSchema("t", "admin", "cedar", SCHEMA, null);
    assertThatThrownBy(() -> policies.putPolicies("t", "admin",
        "permit(principal, action, resource)\n  when { principal.level > \"x\" };", null))
        .isInstanceOfSatisfying(Problem.Refused.class, e -> {
          assertThat(e.problems()).hasSize(1);
          assertThat(e.problems().get(0).policy()).isEqualTo("policy0");
          // At the comparison `principal.level > "x"`, not at the policy's start.
          assertThat(e.problems().get(0).line()).isEqualTo(2);
          assertThat(e.problems().get(0).column()).isEqualTo(10);
        });
    assertThat(policies.active("t").version()).isEqualTo(1);
  }

  @Test
  void aSchemaChangeThatBreaksPoliciesIsRefused() {
    policies.putSchema("t", "admin", "cedar", SCHEMA, null);
    policies.putPolicies("t", "a", "permit(principal, action, resource) when {"
        + " principal.level > 2 };", null);
    assertThatThrownBy(() -> policies.putSchema("t", "a", "cedar",
        SCHEMA.replace("level: Long", "name: String"), null))
        .isInstanceOf(Problem.Refused.class);
    assertThat(policies.active("t").version()).isEqualTo(2);
  }

  @Test
  void duplicateIdsAreRefusedAtTheSecondPolicy() {
    assertThatThrownBy(() -> policies.putPolicies("t", "a", """
        @id("x") permit(principal, action, resource);
        @id("x") forbid(principal, action, resource);
        """, null)).isInstanceOfSatisfying(Problem.Refused.class, e ->
        assertThat(e.problems().get(0).line()).isEqualTo(2));
  }

  @Test
  void rollbackCopiesAnOldVersionIntoANewOne() {
    policies.putPolicies("t", "a", "permit(principal, action, resource);", null);
    policies.putPolicies("t", "a", "forbid(principal, action, resource);", null);
    PolicyVersion rb = policies.rollback("t", "b", 1, null).orElseThrow();
    assertThat(rb.version()).isEqualTo(3);
    assertThat(rb.copiedFrom()).isEqualTo(1);
    assertThat(rb.policies()).isEqualTo("permit(principal, action, resource);");
    assertThat(policies.rollback("t", "b", 99, null)).isEmpty();
    assertThat(policies.diff("t", 1, 2).orElseThrow().get("policies")).containsExactly(
        "- permit(principal, action, resource);", "+ forbid(principal, action, resource);");
  }

  @Test
  void decisionsFollowTheActiveVersionAtOnceThoughCached() {
    policies.putPolicies("t", "a", "permit(principal, action, resource);", null);
    assertThat(decisions.decide("t", read("u", "d"), "c").allow()).isTrue();
    assertThat(decisions.decide("t", read("u", "d"), "c").allow()).isTrue();
    policies.putPolicies("t", "a", "forbid(principal, action, resource);", null);
    Decision d = decisions.decide("t", read("u", "d"), "c");
    assertThat(d.allow()).isFalse();
    assertThat(d.policyVersion()).isEqualTo(2);
  }

  @Test
  void entityChangesMoveTheEntityVersionAndTheDecision() {
    policies.putSchema("t", "a", "cedar", SCHEMA, null);
    policies.putPolicies("t", "a", "permit(principal, action, resource) when {"
        + " principal.level > 2 };", null);
    entities.upsert("t", "[{\"uid\": {\"type\": \"User\", \"id\": \"u\"}, \"attrs\":"
        + " {\"level\": 3}}]");
    Decision first = decisions.decide("t", read("u", "d"), "c");
    assertThat(first.allow()).isTrue();
    entities.upsert("t", "[{\"uid\": {\"type\": \"User\", \"id\": \"u\"}, \"attrs\":"
        + " {\"level\": 1}}]");
    Decision second = decisions.decide("t", read("u", "d"), "c");
    assertThat(second.allow()).isFalse();
    assertThat(second.entityVersion()).isGreaterThan(first.entityVersion());
  }

  @Test
  void anEvaluationErrorDeniesAndSaysWhichPolicy() {
    policies.putPolicies("t", "a", "@id(\"p\") permit(principal, action, resource) when {"
        + " principal.level > 2 };", null);
    Decision d = decisions.decide("t", read("nobody", "d"), "c");
    assertThat(d.allow()).isFalse();
    assertThat(d.errors()).extracting(Problem::policy).containsExactly("p");
  }

  @Test
  void tenantsNeverSeeEachOthersPoliciesOrEntities() {
    policies.putPolicies("a", "x", "permit(principal, action, resource);", null);
    entities.upsert("a", "[{\"uid\": {\"type\": \"User\", \"id\": \"u\"}, \"attrs\":"
        + " {\"level\": 3}}]");
    policies.putPolicies("b", "x", "permit(principal, action, resource) when {"
        + " principal has level };", null);
    assertThat(decisions.decide("a", read("u", "d"), "c").allow()).isTrue();
    assertThat(decisions.decide("b", read("u", "d"), "c").allow()).isFalse();
  }

  @Test
  void anotherNodesWriteIsSeenAfterTheRefreshInterval() {
    PolicyService fast = new PolicyService(store, clock, Duration.ZERO);
    fast.putPolicies("t", "a", "permit(principal, action, resource);", null);
    // Another node writes straight to the store.
    store.insert(new PolicyVersion("t", 2, "none", "", "forbid(principal, action, resource);",
        "[]", "other", "m", null, 0));
    assertThat(fast.compiled("t").version.version()).isEqualTo(2);
    assertThat(policies.compiled("t").version.version()).isEqualTo(2);
  }

  @Test
  void projectedNamespaceIsNotWritable() {
    assertThatThrownBy(() -> entities.upsert("t", "[{\"uid\": {\"type\": \"Gatehouse::Client\","
        + " \"id\": \"x\"}}]")).isInstanceOf(Uids.BadRequest.class);
  }
}
