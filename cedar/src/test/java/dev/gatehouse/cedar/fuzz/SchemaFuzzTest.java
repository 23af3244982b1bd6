package dev.gatehouse.cedar.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.schema.SchemaException;

/** Schemas in both syntaxes, as the admin API takes them: only {@link SchemaException} escapes. */
class SchemaFuzzTest {

  @FuzzTest
  void cedarSyntax(byte[] input) {
    String text = FuzzInput.text(input);
    if (text == null) {
      return;
    }
    try {
      Schema.parseCedar(text);
    } catch (SchemaException expected) {
      // documented
    }
  }

  @FuzzTest
  void jsonSyntax(byte[] input) {
    String text = FuzzInput.text(input);
    if (text == null) {
      return;
    }
    try {
      Schema.parseJson(text);
    } catch (SchemaException expected) {
      // documented
    }
  }
}
