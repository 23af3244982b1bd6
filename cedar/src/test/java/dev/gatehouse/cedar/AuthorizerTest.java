package dev.gatehouse.cedar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Slot;
import dev.gatehouse.cedar.value.RecordValue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthorizerTest {
  private static final EntityUid ALICE = EntityUid.of("User", "alice");
  private static final EntityUid VIEW = EntityUid.of("Action", "view");
  private static final EntityUid DOC = EntityUid.of("Doc", "d");
  private static final Request REQUEST = new Request(ALICE, VIEW, DOC, RecordValue.EMPTY);
  private final Authorizer authorizer = new Authorizer();

  /**
   * The compiled authorizer's response, after checking that the reference evaluator answers the
   * same (decision, reasons in policy order, errors), so every case here tests both.
   */
  private Response decide(Request request, PolicySet policies, Entities entities) {
    Response r = authorizer.isAuthorized(request, policies, entities);
    Response reference = authorizer.isAuthorizedReference(request, policies, entities);
    assertThat(reference.decision()).as("reference decision").isEqualTo(r.decision());
    assertThat(reference.reasons()).as("reference reasons").containsExactlyElementsOf(r.reasons());
    assertThat(reference.errors()).as("reference errors").isEqualTo(r.errors());
    return r;
  }

  /** Alice is staff, the document is in a folder, view is a kind of read. */
  private static final Entities HIERARCHY = Entities.of(List.of(
      Entity.of(ALICE, Set.of(EntityUid.of("Group", "staff"))),
      Entity.of(DOC, Set.of(EntityUid.of("Folder", "f"))),
      Entity.of(VIEW, Set.of(EntityUid.of("Action", "read")))));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      permit(principal == User::"alice", action, resource);                      | ALLOW
      permit(principal == User::"bob", action, resource);                        | DENY
      permit(principal in Group::"staff", action, resource);                     | ALLOW
      permit(principal in User::"alice", action, resource);                      | ALLOW
      permit(principal in Group::"other", action, resource);                     | DENY
      permit(principal is User, action, resource);                               | ALLOW
      permit(principal is Group, action, resource);                              | DENY
      permit(principal is User in Group::"staff", action, resource);             | ALLOW
      permit(principal is User in Group::"other", action, resource);             | DENY
      permit(principal is Group in Group::"staff", action, resource);            | DENY
      permit(principal, action == Action::"view", resource);                     | ALLOW
      permit(principal, action == Action::"edit", resource);                     | DENY
      permit(principal, action in Action::"read", resource);                     | ALLOW
      permit(principal, action in [Action::"edit", Action::"read"], resource);   | ALLOW
      permit(principal, action in [Action::"edit", Action::"delete"], resource); | DENY
      permit(principal, action in [], resource);                                 | DENY
      permit(principal, action, resource == Doc::"d");                           | ALLOW
      permit(principal, action, resource == Doc::"other");                       | DENY
      permit(principal, action, resource in Folder::"f");                        | ALLOW
      permit(principal, action, resource in Folder::"g");                        | DENY
      permit(principal, action, resource is Doc);                                | ALLOW
      permit(principal, action, resource is Folder);                             | DENY
      permit(principal, action, resource) when { true };                         | ALLOW
      permit(principal, action, resource) when { false };                        | DENY
      permit(principal, action, resource) unless { false };                      | ALLOW
      permit(principal, action, resource) unless { true };                       | DENY
      permit(principal, action, resource) when { true } unless { false };        | ALLOW
      permit(principal, action, resource) when { true } when { false };          | DENY
      permit(principal, action, resource) unless { false } unless { true };      | DENY
      forbid(principal, action, resource);                                       | DENY
      """)
  void isAuthorizedWhenOnePolicyThenItsScopeAndConditionsDecide(String policy, Decision want) {
    Response r = decide(REQUEST, PolicySet.parse(policy), HIERARCHY);
    assertThat(r.decision()).isEqualTo(want);
    assertThat(r.reasons()).hasSize(want == Decision.ALLOW || policy.startsWith("forbid") ? 1 : 0);
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void isAuthorizedWhenNoPolicyThenDefaultDeny() {
    Response r = decide(REQUEST, PolicySet.EMPTY, Entities.EMPTY);
    assertThat(r.decision()).isEqualTo(Decision.DENY);
    assertThat(r.reasons()).isEmpty();
  }

  @Test
  void isAuthorizedWhenPermitAndForbidThenForbidWins() {
    PolicySet ps = PolicySet.parse("permit(principal, action, resource); forbid(principal == User::\"alice\", action, resource);");
    Response r = decide(REQUEST, ps, Entities.EMPTY);
    assertThat(r.decision()).isEqualTo(Decision.DENY);
    assertThat(r.reasons()).containsExactly("policy1");
  }

  @Test
  void isAuthorizedWhenPolicyErrorsThenSkippedAndReported() {
    PolicySet ps = PolicySet.parse("permit(principal, action, resource); forbid(principal, action, resource) when { principal.missing };");
    Response r = decide(REQUEST, ps, Entities.EMPTY);
    assertThat(r.decision()).isEqualTo(Decision.ALLOW);
    assertThat(r.reasons()).containsExactly("policy0");
    assertThat(r.erroringPolicies()).containsExactly("policy1");
  }

  @Test
  void isAuthorizedWhenPolicyErrorsThenErrorPointsAtTheFailingExpression() {
    String text = """
        permit(principal, action, resource);
        forbid(principal, action, resource)
        when {
          principal == User::"alice" &&
            context.level + 1 > 2
        };
        forbid(principal, action, resource) when { 9223372036854775807 + 1 > 0 };""";
    PolicySet ps = PolicySet.parse(text);
    Response r = decide(REQUEST, ps, Entities.EMPTY);
    assertThat(r.errors()).hasSize(2);
    Response.PolicyError missing = r.errors().get(0);
    assertThat(missing.span().line()).isEqualTo(5);
    assertThat(missing.span().column()).isEqualTo(5);
    assertThat(text.substring(missing.span().start(), missing.span().end()))
        .isEqualTo("context.level");
    assertThat(missing.toString())
        .isEqualTo("5:5: error in policy `policy1`: record does not have the attribute `level`");
    Response.PolicyError overflow = r.errors().get(1);
    assertThat(text.substring(overflow.span().start(), overflow.span().end()))
        .isEqualTo("9223372036854775807 + 1");
  }

  @Test
  void isAuthorizedWhenTemplateLinkedThenApplies() {
    PolicySet ps = PolicySet.parse("permit(principal == ?principal, action, resource in ?resource);");
    assertThat(ps.templates()).containsKey("policy0");
    PolicySet linked = ps.link("policy0", "link1", Map.of(Slot.PRINCIPAL, ALICE, Slot.RESOURCE, DOC));
    Response r = decide(REQUEST, linked, Entities.EMPTY);
    assertThat(r.decision()).isEqualTo(Decision.ALLOW);
    assertThat(r.reasons()).containsExactly("link1");
  }

  @Test
  void isAuthorizedWhenActionInGroupThenHierarchyUsed() {
    EntityUid read = EntityUid.of("Action", "read");
    Entities es = Entities.of(List.of(Entity.of(VIEW, Set.of(read))));
    PolicySet ps = PolicySet.parse("permit(principal, action in Action::\"read\", resource);");
    assertThat(decide(REQUEST, ps, es).decision()).isEqualTo(Decision.ALLOW);
  }

  @Test
  void isAuthorizedWhenOnlyThe70thPolicyAppliesThenItDecides() {
    // The policy index keeps 64 policies a word: the 70th sits in the second word.
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 69; i++) {
      text.append("permit(principal == User::\"nobody").append(i).append("\", action, resource);\n");
    }
    text.append("permit(principal == User::\"alice\", action, resource);\n");
    Response r = decide(REQUEST, PolicySet.parse(text.toString()), Entities.EMPTY);
    assertThat(r.decision()).isEqualTo(Decision.ALLOW);
    assertThat(r.reasons()).containsExactly("policy69");
  }

  @Test
  void isAuthorizedWhenThe65thPolicyForbidsThenDenyOverridesAnEarlierPermit() {
    StringBuilder text = new StringBuilder("permit(principal, action, resource);\n");
    for (int i = 1; i < 64; i++) {
      text.append("permit(principal == User::\"nobody").append(i).append("\", action, resource);\n");
    }
    text.append("forbid(principal == User::\"alice\", action, resource);\n");
    Response r = decide(REQUEST, PolicySet.parse(text.toString()), Entities.EMPTY);
    assertThat(r.decision()).isEqualTo(Decision.DENY);
    assertThat(r.reasons()).containsExactly("policy64");
  }
}
