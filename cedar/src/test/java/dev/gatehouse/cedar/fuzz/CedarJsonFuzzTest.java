package dev.gatehouse.cedar.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.json.JsonWriter;
import dev.gatehouse.cedar.json.PolicyJson;

/**
 * Cedar's JSON formats: entities (stored, and per request) and policies. Only {@link
 * ParseException} escapes; what parses must also write back and answer {@code in}.
 */
class CedarJsonFuzzTest {

  @FuzzTest
  void entities(byte[] input) {
    String text = FuzzInput.text(input);
    if (text == null) {
      return;
    }
    Entities es;
    try {
      es = EntitiesJson.parse(text);
    } catch (ParseException expected) {
      return;
    }
    JsonWriter.write(EntitiesJson.toJson(es.all()));
    EntityUid probe = EntityUid.of("User", "a");
    es.all().forEach(e -> {
      es.isIn(e.uid(), probe);
      es.depth(e.uid());
    });
  }

  @FuzzTest
  void policySet(byte[] input) {
    String text = FuzzInput.text(input);
    if (text == null) {
      return;
    }
    try {
      JsonWriter.write(PolicyJson.toJson(PolicyJson.parsePolicySet(text)));
    } catch (ParseException expected) {
      // documented
    }
  }
}
