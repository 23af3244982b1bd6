package dev.gatehouse.cedar.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** JSON text written by {@link JsonWriter} reads back to the same tree, positions aside. */
class JsonRoundTripTest {
  @Provide
  Arbitrary<Json> trees() {
    return tree(3);
  }

  private static Arbitrary<Json> tree(int depth) {
    Arbitrary<Json> leaf =
        Arbitraries.oneOf(
            Arbitraries.longs().map(Json::num),
            Arbitraries.strings().ofMaxLength(8).map(Json::str),
            Arbitraries.of(true, false).map(Json::bool),
            Arbitraries.just(new Json.Null(-1)));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Json> sub = Arbitraries.lazy(() -> tree(depth - 1));
    return Arbitraries.oneOf(
        leaf,
        sub.list().ofMaxSize(4).map(Json::arr),
        Arbitraries.maps(Arbitraries.strings().ofMaxLength(5), sub).ofMaxSize(4).map(Json::obj));
  }

  @Property(tries = 1000)
  void writeThenReadWhenAnyTreeThenSame(@ForAll("trees") Json j) {
    assertThat(strip(JsonReader.parse(JsonWriter.write(j)))).isEqualTo(strip(j));
    assertThat(strip(JsonReader.parse(JsonWriter.writePretty(j)))).isEqualTo(strip(j));
  }

  private static Object strip(Json j) {
    return switch (j) {
      case Json.Null n -> "null";
      case Json.Bool b -> b.value();
      case Json.Num n -> n.text();
      case Json.Str s -> List.of("s", s.value());
      case Json.Arr a -> a.items().stream().map(JsonRoundTripTest::strip).toList();
      case Json.Obj o -> {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        o.fields().forEach((k, v) -> m.put(k, strip(v)));
        yield m;
      }
    };
  }
}
