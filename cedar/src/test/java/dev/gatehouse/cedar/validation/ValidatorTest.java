package dev.gatehouse.cedar.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.parser.PolicyParser;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.validation.ValidationError.Kind;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ValidatorTest {
  private static final String SCHEMA = """
      entity Group;
      entity User in [Group] = { name: String, age?: Long, manager: User, tags: Set<String> };
      entity Doc = { owner: User, secret?: Bool } ;
      entity Box tags String;
      entity Color enum ["red", "green"];
      action view appliesTo { principal: [User], resource: [Doc], context: { ip: ipaddr, n?: Long } };
      action edit in [view] appliesTo { principal: [User], resource: [Doc, Box] };
      action orphan;
      """;

  static ValidationResult validate(String policy) {
    return new Validator(Schema.parseCedar(SCHEMA)).validate(PolicyParser.parsePolicies(policy));
  }

  static List<Kind> errorKinds(String policy) {
    return validate(policy).errors().stream().map(ValidationError::kind).distinct().toList();
  }

  @Nested
  class Scope {
    @Test
    void validateWhenWellTypedThenPasses() {
      assertThat(validate("permit(principal, action == Action::\"view\", resource) when { principal.name == \"a\" };")
          .passed()).isTrue();
    }

    @Test
    void validateWhenUnknownEntityTypeThenError() {
      assertThat(errorKinds("permit(principal == Nope::\"a\", action, resource);"))
          .contains(Kind.UNRECOGNIZED_ENTITY_TYPE);
    }

    @Test
    void validateWhenUnknownActionThenError() {
      assertThat(errorKinds("permit(principal, action == Action::\"nope\", resource);"))
          .contains(Kind.UNRECOGNIZED_ACTION_ID);
    }

    @Test
    void validateWhenEnumIdNotDeclaredThenError() {
      assertThat(errorKinds("permit(principal, action, resource) when { Color::\"blue\" == Color::\"red\" };"))
          .contains(Kind.INVALID_ENUM_ENTITY);
    }

    @Test
    void validateWhenNoActionAppliesThenInvalidActionApplication() {
      assertThat(errorKinds("permit(principal is Doc, action == Action::\"view\", resource);"))
          .containsExactly(Kind.INVALID_ACTION_APPLICATION);
    }

    @Test
    void validateWhenActionGroupAppliesThroughMemberThenPasses() {
      assertThat(validate("permit(principal, action in Action::\"view\", resource is Box);").passed()).isTrue();
    }

    @Test
    void validateWhenTemplateSlotsThenLinkedPerEnvironment() {
      assertThat(validate("permit(principal == ?principal, action, resource in ?resource) when { principal.name == \"a\" };")
          .passed()).isTrue();
    }

    @Test
    void validateWhenLinkUsesUndeclaredTypeThenError() {
      dev.gatehouse.cedar.PolicySet set = dev.gatehouse.cedar.PolicySet.parse(
          "permit(principal == ?principal, action, resource);")
          .link("policy0", "link0", java.util.Map.of(dev.gatehouse.cedar.ast.Slot.PRINCIPAL,
              dev.gatehouse.cedar.ast.EntityUid.of("Nope", "x")));
      ValidationResult r = new Validator(Schema.parseCedar(SCHEMA)).validate(set);
      assertThat(r.errors()).extracting(ValidationError::kind).contains(Kind.UNRECOGNIZED_ENTITY_TYPE);
    }

    @Test
    void validateWhenImpossibleConditionThenWarningOnly() {
      ValidationResult r = validate("permit(principal, action, resource) when { false };");
      assertThat(r.passed()).isTrue();
      assertThat(r.warnings()).extracting(ValidationError::kind).containsExactly(Kind.IMPOSSIBLE_POLICY);
    }
  }

  @Nested
  class Attributes {
    @Test
    void attributeAccessWhenOptionalWithoutHasThenError() {
      assertThat(errorKinds("permit(principal, action, resource) when { principal.age > 3 };"))
          .containsExactly(Kind.UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS);
    }

    @Test
    void attributeAccessWhenGuardedByHasThenPasses() {
      assertThat(validate("permit(principal, action, resource) when { principal has age && principal.age > 3 };")
          .passed()).isTrue();
    }

    @Test
    void attributeAccessWhenGuardedInIfTestThenPasses() {
      assertThat(validate("permit(principal, action, resource) when { if principal has age then principal.age > 3 else false };")
          .passed()).isTrue();
    }

    @Test
    void attributeAccessWhenGuardOnlyInOneOrBranchThenError() {
      assertThat(errorKinds("permit(principal, action, resource) when { (principal has age || true) && principal.age > 3 };"))
          .contains(Kind.UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS);
    }

    @Test
    void attributeAccessWhenUndeclaredThenError() {
      assertThat(errorKinds("permit(principal, action, resource) when { principal.nope };"))
          .containsExactly(Kind.UNSAFE_ATTRIBUTE_ACCESS);
    }

    @Test
    void attributeAccessWhenAfterFalseConjunctThenNotChecked() {
      assertThat(validate("permit(principal, action, resource) when { false && principal.nope };").passed()).isTrue();
    }

    @Test
    void contextAttributeWhenDeclaredThenPasses() {
      assertThat(validate("permit(principal, action == Action::\"view\", resource) when { context.ip.isIpv4() };")
          .passed()).isTrue();
    }
  }

  @Nested
  class Strictness {
    @Test
    void equalityWhenTypesIncompatibleThenError() {
      assertThat(errorKinds("permit(principal, action, resource) when { principal.name == 1 };"))
          .containsExactly(Kind.INCOMPATIBLE_TYPES);
    }

    @Test
    void equalityWhenDifferentEntityTypesThenFalseNotError() {
      assertThat(validate("permit(principal, action, resource) when { principal == resource || true };").passed())
          .isTrue();
    }

    @Test
    void setLiteralWhenMixedTypesThenError() {
      assertThat(errorKinds("permit(principal, action, resource) when { [1, \"a\"].contains(1) };"))
          .contains(Kind.INCOMPATIBLE_TYPES);
    }

    @Test
    void setLiteralWhenEmptyThenError() {
      assertThat(errorKinds("permit(principal, action, resource) when { [].isEmpty() };"))
          .containsExactly(Kind.EMPTY_SET_FORBIDDEN);
    }

    @Test
    void ifWhenBranchTypesDifferThenError() {
      assertThat(errorKinds("permit(principal, action, resource) when { (if principal.name == \"a\" then 1 else \"b\") == 1 };"))
          .contains(Kind.INCOMPATIBLE_TYPES);
    }

    @Test
    void containsWhenElementTypeDiffersThenError() {
      assertThat(errorKinds("permit(principal, action, resource) when { principal.tags.contains(1) };"))
          .containsExactly(Kind.INCOMPATIBLE_TYPES);
    }

    @Test
    void arithmeticWhenOperandNotLongThenError() {
      assertThat(errorKinds("permit(principal, action, resource) when { 1 + \"a\" == 2 };"))
          .containsExactly(Kind.UNEXPECTED_TYPE);
    }

    @Test
    void extensionConstructorWhenNonLiteralThenError() {
      assertThat(errorKinds("permit(principal, action, resource) when { ip(principal.name).isIpv4() };"))
          .containsExactly(Kind.NON_LITERAL_EXTENSION_CONSTRUCTOR);
    }
  }

  @Nested
  class Hierarchy {
    @Test
    void inWhenTypesUnrelatedThenFalseShortCircuits() {
      // Doc can never be in a Group, so the right of `&&` is never typechecked.
      assertThat(validate("permit(principal, action, resource) when { resource in Group::\"g\" && resource.nope };")
          .passed()).isTrue();
    }

    @Test
    void inWhenMemberTypeThenBool() {
      assertThat(errorKinds("permit(principal, action, resource) when { principal in Group::\"g\" && principal.nope };"))
          .containsExactly(Kind.UNSAFE_ATTRIBUTE_ACCESS);
    }

    @Test
    void actionInGroupWhenNotMemberThenFalse() {
      assertThat(validate("permit(principal, action == Action::\"view\", resource) when { action in Action::\"edit\" && 1 == \"a\" };")
          .passed()).isTrue();
    }
  }

  @Nested
  class Limits {
    @Test
    void validateWhenLongestChainsTheParserAcceptsThenNoStackOverflow() {
      for (String op : List.of(" && ", " || ", " + ", " == ")) {
        String chain = String.join(op, java.util.Collections.nCopies(900, op.equals(" + ") ? "1" : "true"));
        String cond = op.equals(" + ") ? chain + " > 0" : chain;
        String policy = "permit(principal, action, resource) when { " + cond + " };";
        dev.gatehouse.cedar.PolicySet ps;
        try {
          ps = dev.gatehouse.cedar.PolicySet.parse(policy);
        } catch (dev.gatehouse.cedar.ParseException tooDeepForTheParser) {
          continue; // the parser bounds depth before the validator sees it
        }
        // A small stack, as a server worker thread may have: validation must still fit.
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
          try {
            new Validator(Schema.parseCedar(SCHEMA)).validate(ps);
          } catch (Throwable e) {
            failure[0] = e;
          }
        }, "small-stack", 512 * 1024);
        t.start();
        try {
          t.join();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        assertThat(failure[0]).as(op).isNull();
      }
    }
  }

  @Nested
  class Tags {
    @Test
    void getTagWhenGuardedByHasTagThenPasses() {
      assertThat(validate("permit(principal, action, resource is Box) when { resource.hasTag(\"k\") && resource.getTag(\"k\") == \"v\" };")
          .passed()).isTrue();
    }

    @Test
    void getTagWhenUnguardedThenError() {
      assertThat(errorKinds("permit(principal, action, resource is Box) when { resource.getTag(\"k\") == \"v\" };"))
          .containsExactly(Kind.UNSAFE_TAG_ACCESS);
    }
  }
}
