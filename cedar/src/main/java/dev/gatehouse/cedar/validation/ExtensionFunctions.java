package dev.gatehouse.cedar.validation;





import dev.gatehouse.cedar.value.DateTime;
import dev.gatehouse.cedar.value.Decimal;
import dev.gatehouse.cedar.value.Duration;
import dev.gatehouse.cedar.value.IpAddr;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The signatures of Cedar's extension functions, as the validator sees them.
 *
 * <p>Constructors ({@code ip}, {@code decimal}, {@code datetime}, {@code duration}) also carry an
 * argument check: a string literal argument is parsed at validation time, so {@code
 * decimal("1.23456")} is a validation error rather than a run-time one (upstream's {@code
 * check_arguments}). In strict mode their arguments must be literals.
 *
 * @see <a href="https://docs.cedarpolicy.com/policies/syntax-operators.html">Cedar operators and
 *     functions</a>
 */
final class ExtensionFunctions {

  /**
   * One function's signature.
   *
   * @param args the argument types
   * @param result the result type
   * @param literalCheck for constructors, parses a literal argument and throws {@link
   *     IllegalArgumentException} when it is malformed; {@code null} for other functions
   */
  record Signature(List<Type> args, Type result, Consumer<String> literalCheck) {}

  private static final Type DECIMAL = new Type.Ext("decimal");
  private static final Type IPADDR = new Type.Ext("ipaddr");
  private static final Type DATETIME = new Type.Ext("datetime");
  private static final Type DURATION = new Type.Ext("duration");

  private static final Map<String, Signature> FUNCTIONS = Map.ofEntries(
      Map.entry("decimal", new Signature(List.of(Type.STRING), DECIMAL, Decimal::parse)),
      Map.entry("lessThan", new Signature(List.of(DECIMAL, DECIMAL), Type.BOOL, null)),
      Map.entry("lessThanOrEqual", new Signature(List.of(DECIMAL, DECIMAL), Type.BOOL, null)),
      Map.entry("greaterThan", new Signature(List.of(DECIMAL, DECIMAL), Type.BOOL, null)),
      Map.entry("greaterThanOrEqual", new Signature(List.of(DECIMAL, DECIMAL), Type.BOOL, null)),
      Map.entry("ip", new Signature(List.of(Type.STRING), IPADDR, IpAddr::parse)),
      Map.entry("isIpv4", new Signature(List.of(IPADDR), Type.BOOL, null)),
      Map.entry("isIpv6", new Signature(List.of(IPADDR), Type.BOOL, null)),
      Map.entry("isLoopback", new Signature(List.of(IPADDR), Type.BOOL, null)),
      Map.entry("isMulticast", new Signature(List.of(IPADDR), Type.BOOL, null)),
      Map.entry("isInRange", new Signature(List.of(IPADDR, IPADDR), Type.BOOL, null)),
      Map.entry("datetime", new Signature(List.of(Type.STRING), DATETIME, DateTime::parse)),
      Map.entry("duration", new Signature(List.of(Type.STRING), DURATION, Duration::parse)),
      Map.entry("offset", new Signature(List.of(DATETIME, DURATION), DATETIME, null)),
      Map.entry("durationSince", new Signature(List.of(DATETIME, DATETIME), DURATION, null)),
      Map.entry("toDate", new Signature(List.of(DATETIME), DATETIME, null)),
      Map.entry("toTime", new Signature(List.of(DATETIME), DURATION, null)),
      Map.entry("toDays", new Signature(List.of(DURATION), Type.LONG, null)),
      Map.entry("toHours", new Signature(List.of(DURATION), Type.LONG, null)),
      Map.entry("toMinutes", new Signature(List.of(DURATION), Type.LONG, null)),
      Map.entry("toSeconds", new Signature(List.of(DURATION), Type.LONG, null)),
      Map.entry("toMilliseconds", new Signature(List.of(DURATION), Type.LONG, null)));

  private ExtensionFunctions() {}

  /** The signature of a function, or {@code null} when there is no such extension function. */
  static Signature lookup(String name) {
    return FUNCTIONS.get(name);
  }

  /** Whether {@code <}, {@code <=}, {@code >} and {@code >=} apply to values of this type. */
  static boolean isComparable(Type t) {
    return t instanceof Type.Long || t.equals(DATETIME) || t.equals(DURATION);
  }

  /** The types the comparison operators accept, for error messages. */
  static List<Type> comparableTypes() {
    return List.of(DATETIME, DURATION, Type.LONG);
  }
}
