package dev.gatehouse.cedar.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.json.PolicyJson;
import dev.gatehouse.cedar.parser.PolicyParser;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.validation.ValidationError.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Validation errors point at the offending expression by line and column, as upstream's {@code
 * source_loc} does: a problem in a condition at the expression, one in the scope at the scope
 * constraint, one with the whole policy at the policy.
 */
class ValidationSpanTest {
  private static final Schema SCHEMA = Schema.parseCedar("""
      entity Group;
      entity User in [Group] = { name: String, level: Long };
      entity Doc = { owner: User };
      action view appliesTo { principal: [User], resource: [Doc] };
      """);

  /** The one error of {@code kind}. */
  private static ValidationError only(String policies, Kind kind) {
    ValidationResult r = new Validator(SCHEMA).validate(PolicyParser.parsePolicies(policies));
    List<ValidationError> found = r.errors().stream().filter(e -> e.kind() == kind).toList();
    assertThat(found).as("%s in %s", kind, r.errors()).hasSize(1);
    return found.get(0);
  }

  /** The text the span covers. */
  private static String covered(String text, ValidationError e) {
    return text.substring(e.span().start(), e.span().end());
  }

  @Test
  void validateWhenUnknownAttributeThenPointsAtTheAccess() {
    String text = """
        permit(principal, action, resource)
        when {
          principal.name == "a" &&
            resource.nosuch == 1
        };""";
    ValidationError e = only(text, Kind.UNSAFE_ATTRIBUTE_ACCESS);
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isEqualTo(5);
    assertThat(covered(text, e)).isEqualTo("resource.nosuch");
    assertThat(e.toString()).isEqualTo(
        "4:5: for policy `policy0`, attribute `nosuch` on `Doc` not found");
  }

  @Test
  void validateWhenOperandHasWrongTypeThenPointsAtTheOperand() {
    String text = "permit(principal, action, resource)\n  when { principal.level + \"one\" > 2 };";
    ValidationError e = only(text, Kind.UNEXPECTED_TYPE);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(28);
    assertThat(covered(text, e)).isEqualTo("\"one\"");
  }

  @Test
  void validateWhenComparisonOfIncompatibleTypesThenPointsAtTheComparison() {
    String text = "permit(principal, action, resource)\n  when { principal.level > \"x\" };";
    ValidationError e = only(text, Kind.UNEXPECTED_TYPE);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(10);
    assertThat(covered(text, e)).isEqualTo("principal.level > \"x\"");
  }

  @Test
  void validateWhenUnknownEntityTypeInConditionThenPointsAtTheLiteral() {
    String text = """
        permit(principal, action, resource)
        when { principal in Team::"a" };""";
    ValidationError e = only(text, Kind.UNRECOGNIZED_ENTITY_TYPE);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(21);
    assertThat(covered(text, e)).isEqualTo("Team::\"a\"");
  }

  @Test
  void validateWhenUnknownEntityTypeInScopeThenPointsAtTheScopeConstraint() {
    String text = """
        // a comment line
        permit(
          principal in Team::"a",
          action,
          resource);""";
    ValidationError e = only(text, Kind.UNRECOGNIZED_ENTITY_TYPE);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(3);
    assertThat(covered(text, e)).isEqualTo("principal in Team::\"a\"");
  }

  @Test
  void validateWhenUnknownActionThenPointsAtTheActionConstraint() {
    String text = """
        permit(principal, action == Action::"view", resource);
        permit(principal,
               action in [Action::"view", Action::"nope"], resource);""";
    ValidationError e = only(text, Kind.UNRECOGNIZED_ACTION_ID);
    assertThat(e.policyId()).isEqualTo("policy1");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(8);
    assertThat(covered(text, e)).isEqualTo("action in [Action::\"view\", Action::\"nope\"]");
  }

  @Test
  void validateWhenNoActionAppliesThenPointsAtThePolicy() {
    String text = "\n\n  @id(\"x\")\n  permit(principal is Doc, action, resource);";
    ValidationError e = only(text, Kind.INVALID_ACTION_APPLICATION);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(3);
  }

  @Test
  void validateWhenImpossiblePolicyThenWarningPointsAtThePolicy() {
    ValidationResult r = new Validator(SCHEMA).validate(PolicyParser.parsePolicies(
        "permit(principal, action, resource);\n forbid(principal, action, resource) when { false };"));
    assertThat(r.warnings()).singleElement().satisfies(w -> {
      assertThat(w.policyId()).isEqualTo("policy1");
      assertThat(w.line()).isEqualTo(2);
      assertThat(w.column()).isEqualTo(2);
    });
  }

  @Test
  void validateWhenSameProblemInEveryEnvironmentThenReportedOnce() {
    ValidationResult r = new Validator(Schema.parseCedar("""
        entity User = { name: String };
        entity Doc;
        action a appliesTo { principal: [User], resource: [Doc] };
        action b appliesTo { principal: [User], resource: [Doc] };
        """)).validate(PolicyParser.parsePolicies(
            "permit(principal, action, resource) when { resource.nosuch };"));
    assertThat(r.errors()).hasSize(1);
  }

  @Test
  void validateWhenPolicyReadFromJsonThenNoSpan() {
    String text = "permit(principal, action, resource) when { resource.nosuch == 1 };";
    PolicySet fromJson = PolicyJson.parsePolicySet(
        dev.gatehouse.cedar.json.JsonWriter.write(PolicyJson.toJson(PolicySet.parse(text))));
    ValidationResult r = new Validator(SCHEMA).validate(fromJson);
    assertThat(r.errors()).singleElement().satisfies(e -> {
      assertThat(e.span()).isNull();
      assertThat(e.line()).isZero();
      assertThat(e.column()).isZero();
      assertThat(e.toString()).startsWith("for policy `policy0`, ");
    });
  }
}
