package dev.gatehouse.cedar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Slot;
import dev.gatehouse.cedar.value.RecordValue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizerTest {
  private static final EntityUid ALICE = EntityUid.of("User", "alice");
  private static final EntityUid VIEW = EntityUid.of("Action", "view");
  private static final EntityUid DOC = EntityUid.of("Doc", "d");
  private static final Request REQUEST = new Request(ALICE, VIEW, DOC, RecordValue.EMPTY);
  private final Authorizer authorizer = new Authorizer();

  @Test
  void isAuthorizedWhenNoPolicyThenDefaultDeny() {
    Response r = authorizer.isAuthorized(REQUEST, PolicySet.EMPTY, Entities.EMPTY);
    assertThat(r.decision()).isEqualTo(Decision.DENY);
    assertThat(r.reasons()).isEmpty();
  }

  @Test
  void isAuthorizedWhenPermitAndForbidThenForbidWins() {
    PolicySet ps = PolicySet.parse("permit(principal, action, resource); forbid(principal == User::\"alice\", action, resource);");
    Response r = authorizer.isAuthorized(REQUEST, ps, Entities.EMPTY);
    assertThat(r.decision()).isEqualTo(Decision.DENY);
    assertThat(r.reasons()).containsExactly("policy1");
  }

  @Test
  void isAuthorizedWhenPolicyErrorsThenSkippedAndReported() {
    PolicySet ps = PolicySet.parse("permit(principal, action, resource); forbid(principal, action, resource) when { principal.missing };");
    Response r = authorizer.isAuthorized(REQUEST, ps, Entities.EMPTY);
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
    Response r = authorizer.isAuthorized(REQUEST, ps, Entities.EMPTY);
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
    // The reference evaluator positions the errors the same way.
    assertThat(authorizer.isAuthorizedReference(REQUEST, ps, Entities.EMPTY).errors())
        .isEqualTo(r.errors());
  }

  @Test
  void isAuthorizedWhenTemplateLinkedThenApplies() {
    PolicySet ps = PolicySet.parse("permit(principal == ?principal, action, resource in ?resource);");
    assertThat(ps.templates()).containsKey("policy0");
    PolicySet linked = ps.link("policy0", "link1", Map.of(Slot.PRINCIPAL, ALICE, Slot.RESOURCE, DOC));
    Response r = authorizer.isAuthorized(REQUEST, linked, Entities.EMPTY);
    assertThat(r.decision()).isEqualTo(Decision.ALLOW);
    assertThat(r.reasons()).containsExactly("link1");
  }

  @Test
  void isAuthorizedWhenActionInGroupThenHierarchyUsed() {
    EntityUid read = EntityUid.of("Action", "read");
    Entities es = Entities.of(List.of(Entity.of(VIEW, Set.of(read))));
    PolicySet ps = PolicySet.parse("permit(principal, action in Action::\"read\", resource);");
    assertThat(authorizer.isAuthorized(REQUEST, ps, es).decision()).isEqualTo(Decision.ALLOW);
  }

  @Test
  void isAuthorizedWhenOnlyThe70thPolicyAppliesThenItDecides() {
    // The policy index keeps 64 policies a word: the 70th sits in the second word.
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 69; i++) {
      text.append("permit(principal == User::\"nobody").append(i).append("\", action, resource);\n");
    }
    text.append("permit(principal == User::\"alice\", action, resource);\n");
    Response r = authorizer.isAuthorized(REQUEST, PolicySet.parse(text.toString()), Entities.EMPTY);
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
    Response r = authorizer.isAuthorized(REQUEST, PolicySet.parse(text.toString()), Entities.EMPTY);
    assertThat(r.decision()).isEqualTo(Decision.DENY);
    assertThat(r.reasons()).containsExactly("policy64");
  }
}
