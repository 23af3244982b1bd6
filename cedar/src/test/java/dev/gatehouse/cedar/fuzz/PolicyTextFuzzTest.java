package dev.gatehouse.cedar.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.cedar.Authorizer;
import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.format.PolicyFormatter;
import dev.gatehouse.cedar.json.JsonWriter;
import dev.gatehouse.cedar.json.PolicyJson;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.validation.Validator;
import dev.gatehouse.cedar.value.RecordValue;

/**
 * Cedar policy text, as the admin API and the CLI take it: parsed, then (when it parses)
 * validated, formatted, written as JSON and evaluated. Only {@link ParseException} (syntax) and
 * {@link CedarException} (duplicate ids) may escape; evaluation errors are answers, not throws.
 */
class PolicyTextFuzzTest {

  private static final Schema SCHEMA = Schema.parseCedar("""
      entity User in [Group] { level: Long, tags: Set<String> };
      entity Group;
      entity Doc { owner: User };
      action read, write appliesTo { principal: User, resource: Doc, context: { ip?: ipaddr } };
      """);
  private static final Request REQUEST = new Request(EntityUid.of("User", "a"),
      EntityUid.of("Action", "read"), EntityUid.of("Doc", "d"), RecordValue.EMPTY);

  @FuzzTest
  void policyText(byte[] input) {
    String text = FuzzInput.text(input);
    if (text == null) {
      return;
    }
    PolicySet set;
    try {
      set = PolicySet.parse(text);
    } catch (CedarException expected) { // a ParseException, or duplicate ids
      return;
    }
    new Validator(SCHEMA).validate(set);
    PolicyFormatter.format(set);
    JsonWriter.write(PolicyJson.toJson(set));
    new Authorizer().isAuthorized(REQUEST, set, Entities.EMPTY);
  }
}
