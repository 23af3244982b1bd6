package dev.gatehouse.cedar.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.ValidationRequest;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.schema.Schema;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-picked corners of the typechecker (action entity types, capabilities through
 * {@code ||}/{@code if}/{@code unless}, tags, enums, records in strict mode, extension types,
 * templates), each checked against the official engine (cedar-java 4.10, test scope only).
 */
class ValidatorOfficialCasesTest {
  private static final String SCHEMA = "entity U in [G] = { n?: Long, r: { x?: Long } } tags String; entity G; entity E enum [\"a\"]; namespace N { action b; } action act appliesTo { principal: U, resource: [U, G], context: { c?: Long } }; action grp; action sub in [grp] appliesTo { principal: U, resource: U };";

  @org.junit.jupiter.api.BeforeAll
  static void officialEngine() {
    OfficialEngine.assumeAvailable();
  }

  private static final Validator OURS = new Validator(Schema.parseCedar(SCHEMA));

  static Stream<String> policies() {
    return Stream.of(
        "permit(principal, action, resource) when { action is Action && principal.nope };",
        "permit(principal, action, resource) when { action is U && principal.nope };",
        "permit(principal, action, resource) when { action has x && principal.nope };",
        "permit(principal, action, resource) when { resource in action && principal.nope };",
        "permit(principal, action, resource) when { action in principal && principal.nope };",
        "permit(principal, action, resource) when { action in N::Action::\"b\" && principal.nope };",
        "permit(principal, action, resource) when { [action, N::Action::\"b\"].isEmpty() };",
        "permit(principal, action, resource) when { action == N::Action::\"b\" || principal.nope };",
        "permit(principal, action, resource) when { action.foo };",
        "permit(principal, action, resource) when { principal.r has x && principal.r.x > 1 };",
        "permit(principal, action, resource) when { principal has r.x && principal.r.x > 1 };",
        "permit(principal, action, resource) when { context has c && context.c > 1 };",
        "permit(principal, action, resource) when { principal.hasTag(\"a\") && principal.getTag(\"a\") == \"b\" };",
        "permit(principal, action, resource) when { resource.hasTag(\"a\") && resource.getTag(\"a\") == \"b\" };",
        "permit(principal, action, resource) when { E::\"b\" == E::\"a\" };",
        "permit(principal, action in [Action::\"grp\"], resource) when { principal.nope };",
        "permit(principal, action in Action::\"grp\", resource is G);",
        "permit(principal in G::\"g\", action, resource) when { resource.n == 1 };",
        "permit(principal, action, resource) when { if principal has n then principal.n > 1 else principal.n < 1 };",
        "permit(principal, action, resource) when { (principal has n || principal has n) && principal.n > 1 };",
        "permit(principal, action, resource) when { !(principal has n) || principal.n > 1 };",
        "permit(principal, action, resource) when { principal has n && resource has n && principal.n == resource.n };",
        "permit(principal, action, resource) unless { principal has n } when { principal.n > 1 };",
        "permit(principal, action, resource) when { principal has n } when { principal.n > 1 };",
        "permit(principal, action, resource) when { {a: 1} has b };",
        "permit(principal, action, resource) when { {a: principal.n}.a > 1 };",
        "permit(principal, action, resource) when { [principal.n].contains(1) };",
        "permit(principal, action, resource) when { datetime(\"2020-01-01\").offset(duration(\"1h\")) > datetime(\"2020-01-01\") };",
        "permit(principal, action, resource) when { decimal(\"1.0\") < decimal(\"2.0\") };",
        "permit(principal, action, resource) when { ip(\"1.2.3.4\") == ip(\"1.2.3.4\") };",
        "permit(principal, action, resource) when { ip(\"1.2.3.4\") == decimal(\"1.0\") };",
        "permit(principal, action, resource) when { principal == resource };",
        "permit(principal, action, resource) when { [principal] == [resource] };",
        "permit(principal, action, resource) when { principal.r == {} };",
        "permit(principal, action, resource) when { principal.r == {x: 1} };",
        "permit(principal, action, resource) when { context == {c: 1} };",
        "permit(principal, action, resource) when { principal is U in G::\"g\" };",
        "permit(principal is G, action, resource);",
        "permit(principal == ?principal, action, resource in ?resource) when { resource.r.x > 0 };",
        "permit(principal, action, resource) when { if principal.r has x then true else principal.nope };");
  }

  @ParameterizedTest
  @MethodSource("policies")
  void validateWhenCornerCaseThenSameVerdictAsOfficialEngine(String policy) throws Exception {
    boolean ours = OURS.validate(PolicySet.parse(policy)).passed();
    com.cedarpolicy.model.policy.PolicySet theirs = policy.contains("?principal")
        ? new com.cedarpolicy.model.policy.PolicySet(Set.of(), Set.of(new com.cedarpolicy.model.policy.Policy(policy, "t0")))
        : com.cedarpolicy.model.policy.PolicySet.parsePolicies(policy);
    boolean official = new BasicAuthorizationEngine()
        .validate(new ValidationRequest(Official.SCHEMA, theirs)).validationPassed();
    assertThat(ours).as(policy).isEqualTo(official);
  }

  /** Created on first use, after {@link #officialEngine()} has checked the native library loads. */
  private static final class Official {
    static final com.cedarpolicy.model.schema.Schema SCHEMA =
        new com.cedarpolicy.model.schema.Schema(ValidatorOfficialCasesTest.SCHEMA);
  }
}
