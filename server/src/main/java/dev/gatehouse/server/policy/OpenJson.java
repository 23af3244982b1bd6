package dev.gatehouse.server.policy;

import dev.gatehouse.cedar.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AuthZEN's open JSON (properties and context) made into what Cedar's JSON value format can hold.
 * AuthZEN allows any JSON value; Cedar has no null and no floating-point numbers:
 *
 * <ul>
 *   <li>{@code null} (a member or an array item) is left out: in Cedar an absent attribute is
 *       what {@code has} tests for, which is what a null means to most senders;
 *   <li>a number with a fraction or an exponent becomes a Cedar {@code decimal} when it has at
 *       most four decimal places and fits decimal's range (±922337203685477.5807), e.g.
 *       {@code 1.5} → {@code decimal("1.5")}; {@code 2.0} is {@code decimal("2.0")}, not the
 *       long 2; any other number is refused with 400 naming it.
 * </ul>
 *
 * Documented in docs/policies.md (AuthZEN section).
 */
final class OpenJson {

  private static final BigDecimal DECIMAL_MAX = new BigDecimal("922337203685477.5807");
  private static final BigDecimal DECIMAL_MIN = new BigDecimal("-922337203685477.5808");

  private OpenJson() {}

  static Json toCedar(Json j) {
    if (j instanceof Json.Obj o) {
      if (o.fields().containsKey("__entity") || o.fields().containsKey("__extn")) {
        return j;
      }
      Map<String, Json> out = new LinkedHashMap<>();
      for (Map.Entry<String, Json> e : o.fields().entrySet()) {
        if (!(e.getValue() instanceof Json.Null)) {
          out.put(e.getKey(), toCedar(e.getValue()));
        }
      }
      return new Json.Obj(out, o.at());
    }
    if (j instanceof Json.Arr a) {
      List<Json> out = new ArrayList<>();
      for (Json item : a.items()) {
        if (!(item instanceof Json.Null)) {
          out.add(toCedar(item));
        }
      }
      return new Json.Arr(out, a.at());
    }
    if (j instanceof Json.Num n && isFractional(n.text())) {
      return new Json.Obj(Map.of("__extn", new Json.Obj(Map.of(
          "fn", new Json.Str("decimal", n.at()),
          "arg", new Json.Str(decimal(n.text()), n.at())), n.at())), n.at());
    }
    return j;
  }

  private static boolean isFractional(String text) {
    return text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0;
  }

  /** The Cedar decimal literal of {@code text}: 1 to 4 fraction digits. */
  private static String decimal(String text) {
    BigDecimal d;
    try {
      d = new BigDecimal(text);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new Uids.BadRequest("number `" + printable(text) + "` is not a number");
    }
    BigDecimal stripped = d.stripTrailingZeros();
    if (stripped.scale() > 4 || d.compareTo(DECIMAL_MAX) > 0 || d.compareTo(DECIMAL_MIN) < 0) {
      throw new Uids.BadRequest("number `" + printable(text) + "` cannot be a Cedar decimal"
          + " (at most 4 decimal places, within ±922337203685477.5807); send it as a string");
    }
    return stripped.setScale(Math.max(1, stripped.scale())).toPlainString();
  }

  private static String printable(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
