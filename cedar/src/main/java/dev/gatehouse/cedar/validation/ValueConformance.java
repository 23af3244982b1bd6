package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.schema.SchemaType;
import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.DateTime;
import dev.gatehouse.cedar.value.Decimal;
import dev.gatehouse.cedar.value.Duration;
import dev.gatehouse.cedar.value.EntityValue;
import dev.gatehouse.cedar.value.IpAddr;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import java.util.Map;

/**
 * Checks that a value has a schema type: the rule for entity attributes, tags and request
 * contexts ("conformance" in upstream's {@code entities/conformance.rs}).
 *
 * <p>Records are closed: a value may not carry attributes its type does not declare, and must
 * carry every required one.
 */
final class ValueConformance {
  private ValueConformance() {}

  /**
   * Returns {@code null} when {@code v} has type {@code t}, or a lowercase description of the
   * first mismatch, naming the attribute path where it is.
   */
  static String check(Value v, SchemaType t, String path) {
    return switch (t) {
      case SchemaType.Bool b -> v instanceof BoolValue ? null : mismatch(path, t, v);
      case SchemaType.Long l -> v instanceof LongValue ? null : mismatch(path, t, v);
      case SchemaType.Str s -> v instanceof StringValue ? null : mismatch(path, t, v);
      case SchemaType.Entity e -> v instanceof EntityValue ev && ev.uid().type().name().equals(e.name())
          ? null : mismatch(path, t, v);
      case SchemaType.Extension x -> extensionMatches(v, x.name()) ? null : mismatch(path, t, v);
      case SchemaType.SetOf s -> {
        if (!(v instanceof SetValue set)) {
          yield mismatch(path, t, v);
        }
        for (Value el : set.elements()) {
          String err = check(el, s.element(), path + "[..]");
          if (err != null) {
            yield err;
          }
        }
        yield null;
      }
      case SchemaType.Record r -> v instanceof RecordValue rec ? record(rec.fields(), r, path) : mismatch(path, t, v);
    };
  }

  /** Checks a map of attribute values against a record type. */
  static String record(Map<String, Value> fields, SchemaType.Record r, String path) {
    for (Map.Entry<String, SchemaType.Attribute> a : r.attributes().entrySet()) {
      if (a.getValue().required() && !fields.containsKey(a.getKey())) {
        return "missing required attribute `" + join(path, a.getKey()) + "`";
      }
    }
    for (Map.Entry<String, Value> f : fields.entrySet()) {
      SchemaType.Attribute a = r.attributes().get(f.getKey());
      if (a == null) {
        return "attribute `" + join(path, f.getKey()) + "` is not declared in the schema";
      }
      String err = check(f.getValue(), a.type(), join(path, f.getKey()));
      if (err != null) {
        return err;
      }
    }
    return null;
  }

  private static boolean extensionMatches(Value v, String name) {
    return switch (name) {
      case "ipaddr" -> v instanceof IpAddr;
      case "decimal" -> v instanceof Decimal;
      case "datetime" -> v instanceof DateTime;
      case "duration" -> v instanceof Duration;
      default -> false;
    };
  }

  private static String join(String path, String attr) {
    return path.isEmpty() ? attr : path + "." + attr;
  }

  private static String mismatch(String path, SchemaType t, Value v) {
    return "value of " + (path.isEmpty() ? "the context" : "`" + path + "`") + " has type `" + v.typeName()
        + "`, but the schema expects `" + t + "`";
  }
}
