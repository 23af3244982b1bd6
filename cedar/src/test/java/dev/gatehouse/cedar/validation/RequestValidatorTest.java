package dev.gatehouse.cedar.validation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  private static final Schema SCHEMA = Schema.parseCedar("""
      entity User; entity Doc; entity Color enum ["red"];
      action view appliesTo { principal: [User, Color], resource: Doc, context: { n: Long, s?: String } };
      """);
  private static final RequestValidator VALIDATOR = new RequestValidator(SCHEMA);

  private static Request request(String p, String a, String r, Map<String, Value> ctx) {
    return new Request(EntityUid.of(p.split("::")[0], p.split("::")[1]), EntityUid.of("Action", a),
        EntityUid.of(r.split("::")[0], r.split("::")[1]), new RecordValue(ctx));
  }

  @Test
  void validateWhenRequestMatchesSchemaThenPasses() {
    assertThatCode(() -> VALIDATOR.validate(request("User::u", "view", "Doc::d", Map.of("n", LongValue.of(1)))))
        .doesNotThrowAnyException();
  }

  @Test
  void validateWhenActionUndeclaredThenError() {
    assertThatThrownBy(() -> VALIDATOR.validate(request("User::u", "nope", "Doc::d", Map.of("n", LongValue.of(1)))))
        .isInstanceOf(CedarException.class).hasMessageContaining("not declared");
  }

  @Test
  void validateWhenPrincipalTypeNotApplicableThenError() {
    assertThatThrownBy(() -> VALIDATOR.validate(request("Doc::u", "view", "Doc::d", Map.of("n", LongValue.of(1)))))
        .isInstanceOf(CedarException.class).hasMessageContaining("principal type `Doc`");
  }

  @Test
  void validateWhenEnumIdUndeclaredThenError() {
    assertThatThrownBy(() -> VALIDATOR.validate(request("Color::blue", "view", "Doc::d", Map.of("n", LongValue.of(1)))))
        .isInstanceOf(CedarException.class).hasMessageContaining("enumerated");
  }

  @Test
  void validateWhenContextMissesRequiredAttributeThenError() {
    assertThatThrownBy(() -> VALIDATOR.validate(request("User::u", "view", "Doc::d", Map.of())))
        .isInstanceOf(CedarException.class).hasMessageContaining("missing required attribute `n`");
  }

  @Test
  void validateWhenContextAttributeHasWrongTypeThenError() {
    assertThatThrownBy(() -> VALIDATOR.validate(request("User::u", "view", "Doc::d",
        Map.of("n", new StringValue("x")))))
        .isInstanceOf(CedarException.class).hasMessageContaining("`n`");
  }
}
