package dev.gatehouse.cedar.eval;

import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.DateTime;
import dev.gatehouse.cedar.value.Decimal;
import dev.gatehouse.cedar.value.Duration;
import dev.gatehouse.cedar.value.ExtValue;
import dev.gatehouse.cedar.value.IpAddr;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import java.util.List;

/**
 * The extension functions of Cedar's {@code ipaddr}, {@code decimal} and {@code datetime}
 * extensions.
 *
 * @see <a href="https://docs.cedarpolicy.com/policies/syntax-operators.html">Cedar operators</a>
 */
public final class Extensions {
  private static final long DAY = 86_400_000L;

  private Extensions() {}

  /**
   * Calls extension function {@code name}; for methods the receiver is {@code args.get(0)}.
   *
   * @throws EvaluationException on a wrong argument count or type, or when the function fails
   */
  public static Value call(String name, List<Value> args) {
    return switch (name) {
      case "ip" -> construct(name, args, s -> IpAddr.parse(s));
      case "decimal" -> construct(name, args, s -> Decimal.parse(s));
      case "datetime" -> construct(name, args, s -> DateTime.parse(s));
      case "duration" -> construct(name, args, s -> Duration.parse(s));
      case "isIpv4" -> BoolValue.of(ip(args, 1, 0).isIpv4());
      case "isIpv6" -> BoolValue.of(ip(args, 1, 0).isIpv6());
      case "isLoopback" -> BoolValue.of(ip(args, 1, 0).isLoopback());
      case "isMulticast" -> BoolValue.of(ip(args, 1, 0).isMulticast());
      case "isInRange" -> {
        IpAddr a = ip(args, 2, 0);
        yield BoolValue.of(a.isInRange(ip(args, 2, 1)));
      }
      case "lessThan" -> BoolValue.of(decimal(args, 0).compareTo(decimal(args, 1)) < 0);
      case "lessThanOrEqual" -> BoolValue.of(decimal(args, 0).compareTo(decimal(args, 1)) <= 0);
      case "greaterThan" -> BoolValue.of(decimal(args, 0).compareTo(decimal(args, 1)) > 0);
      case "greaterThanOrEqual" -> BoolValue.of(decimal(args, 0).compareTo(decimal(args, 1)) >= 0);
      case "offset" -> {
        long t = datetime(args, 2, 0).epochMillis();
        long d = duration(args, 2, 1).millis();
        yield new DateTime(exact(() -> Math.addExact(t, d), "overflows when adding an offset"));
      }
      case "durationSince" -> {
        long a = datetime(args, 2, 0).epochMillis();
        long b = datetime(args, 2, 1).epochMillis();
        yield new Duration(exact(() -> Math.subtractExact(a, b), "overflows when computing the duration"));
      }
      case "toDate" -> {
        long t = datetime(args, 1, 0).epochMillis();
        yield new DateTime(exact(() -> Math.subtractExact(t, Math.floorMod(t, DAY)), "overflows when computing the date"));
      }
      case "toTime" -> new Duration(Math.floorMod(datetime(args, 1, 0).epochMillis(), DAY));
      case "toMilliseconds" -> LongValue.of(duration(args, 1, 0).millis());
      case "toSeconds" -> LongValue.of(duration(args, 1, 0).millis() / 1000);
      case "toMinutes" -> LongValue.of(duration(args, 1, 0).millis() / 60_000);
      case "toHours" -> LongValue.of(duration(args, 1, 0).millis() / 3_600_000);
      case "toDays" -> LongValue.of(duration(args, 1, 0).millis() / DAY);
      default -> throw new EvaluationException("unknown extension function `" + name + "`");
    };
  }

  private static final java.util.Set<String> FUNCTIONS =
      java.util.Set.of(
          "ip", "decimal", "datetime", "duration", "isIpv4", "isIpv6", "isLoopback", "isMulticast",
          "isInRange", "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual", "offset",
          "durationSince", "toDate", "toTime", "toMilliseconds", "toSeconds", "toMinutes", "toHours",
          "toDays");

  /** Returns whether {@code name} is an extension function. */
  public static boolean isFunction(String name) {
    return FUNCTIONS.contains(name);
  }

  /**
   * Applies constructor {@code fn} ({@code ip}, {@code decimal}, {@code datetime}, {@code
   * duration}) to a string, as entity and context JSON does for {@code __extn}.
   *
   * @throws EvaluationException when {@code fn} is unknown or the string is malformed
   */
  public static ExtValue construct(String fn, String arg) {
    return (ExtValue) call(fn, List.of(new StringValue(arg)));
  }

  private interface Parser {
    ExtValue parse(String s);
  }

  private interface LongOp {
    long apply();
  }

  private static long exact(LongOp op, String message) {
    try {
      return op.apply();
    } catch (ArithmeticException e) {
      throw new EvaluationException(message);
    }
  }

  private static Value construct(String name, List<Value> args, Parser p) {
    arity(name, args, 1);
    if (!(args.get(0) instanceof StringValue s)) {
      throw EvaluationException.typeError("string", args.get(0));
    }
    try {
      return p.parse(s.value());
    } catch (IllegalArgumentException e) {
      throw new EvaluationException("error while evaluating `" + name + "` extension function: " + e.getMessage());
    }
  }

  private static void arity(String name, List<Value> args, int n) {
    if (args.size() != n) {
      throw new EvaluationException("wrong number of arguments provided to extension function `" + name + "`: expected " + n + ", got " + args.size());
    }
  }

  private static IpAddr ip(List<Value> args, int n, int i) {
    arity("ipaddr", args, n);
    if (args.get(i) instanceof IpAddr a) {
      return a;
    }
    throw EvaluationException.typeError("ipaddr", args.get(i));
  }

  private static Decimal decimal(List<Value> args, int i) {
    arity("decimal", args, 2);
    if (args.get(i) instanceof Decimal d) {
      return d;
    }
    throw EvaluationException.typeError("decimal", args.get(i));
  }

  private static DateTime datetime(List<Value> args, int n, int i) {
    arity("datetime", args, n);
    if (args.get(i) instanceof DateTime d) {
      return d;
    }
    throw EvaluationException.typeError("datetime", args.get(i));
  }

  private static Duration duration(List<Value> args, int n, int i) {
    arity("duration", args, n);
    if (args.get(i) instanceof Duration d) {
      return d;
    }
    throw EvaluationException.typeError("duration", args.get(i));
  }
}
