package dev.gatehouse.cedar.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.RecordValue;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
  @Test
  void parseWhenExtremeIntegersThenExact() {
    RecordValue r = (RecordValue) ValueJson.parse("{\"max\": 9223372036854775807, \"min\": -9223372036854775808}");
    assertThat(r.get("max")).isEqualTo(LongValue.of(Long.MAX_VALUE));
    assertThat(r.get("min")).isEqualTo(LongValue.of(Long.MIN_VALUE));
  }

  @Test
  void parseWhenIntegerOutOfRangeOrFractionThenError() {
    assertThatThrownBy(() -> ValueJson.parse("9223372036854775808")).isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> ValueJson.parse("1.5")).isInstanceOf(ParseException.class);
  }

  @Test
  void parseWhenDuplicateKeyThenErrorWithPosition() {
    assertThatThrownBy(() -> JsonReader.parse("{\"a\": 1,\n \"a\": 2}")).isInstanceOf(ParseException.class).hasMessageStartingWith("2:2:");
  }

  @Test
  void entitiesWhenNulAndEmptyIdsThenKept() {
    Entities es =
        EntitiesJson.parse(
            "[{\"uid\": {\"type\": \"A\", \"id\": \"\\u0000\"}, \"attrs\": {}, \"parents\": [{\"__entity\": {\"type\": \"A\", \"id\": \"\"}}]}]");
    assertThat(es.isIn(EntityUid.of("A", "\0"), EntityUid.of("A", ""))).isTrue();
  }

  @Test
  void valueJsonWhenWrittenAndReadThenSameValue() {
    for (String expr :
        new String[] {
          "[1, \"a\", {a: true, b: [User::\"x\"]}]", "ip(\"10.0.0.0/8\")", "ip(\"::1\")", "decimal(\"-1.25\")",
          "datetime(\"2024-10-15T11:38:02.101+1134\")", "datetime(\"1970-01-01\").offset(duration(\"-9223372036854775807ms\"))",
          "duration(\"-3d\")"
        }) {
      dev.gatehouse.cedar.value.Value v =
          new dev.gatehouse.cedar.eval.Evaluator(
                  new dev.gatehouse.cedar.Request(
                      EntityUid.of("A", ""), EntityUid.of("A", ""), EntityUid.of("A", ""), RecordValue.EMPTY),
                  Entities.EMPTY)
              .eval(dev.gatehouse.cedar.parser.PolicyParser.parseExpr(expr));
      assertThat(ValueJson.parse(JsonWriter.write(ValueJson.toJson(v)))).as(expr).isEqualTo(v);
    }
  }

  @Test
  void entitiesWhenDuplicateUidThenError() {
    String one = "{\"uid\": {\"type\": \"A\", \"id\": \"x\"}, \"attrs\": {}, \"parents\": []}";
    assertThatThrownBy(() -> EntitiesJson.parse("[" + one + "," + one + "]")).isInstanceOf(ParseException.class);
  }

  @Test
  void entitiesWhenSchemaHintsThenImplicitForms() {
    SchemaHints hints =
        new SchemaHints() {
          @Override
          public JsonType attributes(dev.gatehouse.cedar.ast.EntityType type) {
            return new JsonType.RecordOf(
                java.util.Map.of("owner", new JsonType.EntityRef(), "ip", new JsonType.Extension("ipaddr")));
          }

          @Override
          public JsonType tags(dev.gatehouse.cedar.ast.EntityType type) {
            return JsonType.ANY;
          }
        };
    Entities es =
        EntitiesJson.parse(
            "[{\"uid\": {\"type\": \"A\", \"id\": \"x\"}, \"attrs\": {\"owner\": {\"type\": \"U\", \"id\": \"u\"}, \"ip\": \"10.0.0.1\"}, \"parents\": []}]",
            hints);
    assertThat(es.get(EntityUid.of("A", "x")).attrs().get("owner"))
        .isEqualTo(new dev.gatehouse.cedar.value.EntityValue(EntityUid.of("U", "u")));
    assertThat(es.get(EntityUid.of("A", "x")).attrs().get("ip")).isInstanceOf(dev.gatehouse.cedar.value.IpAddr.class);
  }
}
