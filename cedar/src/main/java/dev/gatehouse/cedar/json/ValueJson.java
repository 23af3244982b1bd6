package dev.gatehouse.cedar.json;

import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.eval.EvaluationException;
import dev.gatehouse.cedar.eval.Extensions;
import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.EntityValue;
import dev.gatehouse.cedar.value.ExtValue;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cedar's JSON encoding of values: booleans, integers, strings, arrays as sets, objects as
 * records, {@code {"__entity": {"type", "id"}}} for entities and {@code {"__extn": {"fn", "arg"}}}
 * for extension values.
 */
public final class ValueJson {
  private final String src;

  ValueJson(String src) {
    this.src = src;
  }

  /**
   * Converts a JSON tree to a value, following {@code expected} where it helps.
   *
   * @param source the text the tree came from, for error positions (may be empty)
   * @throws ParseException when the JSON is not a Cedar value
   */
  public static Value toValue(Json j, JsonType expected, String source) {
    return new ValueJson(source).value(j, expected == null ? JsonType.ANY : expected);
  }

  /** Parses schema-less value JSON text. */
  public static Value parse(String text) {
    return toValue(JsonReader.parse(text), JsonType.ANY, text);
  }

  /**
   * Parses an entity uid: {@code {"type": .., "id": ..}} or {@code {"__entity": {...}}}.
   *
   * @throws ParseException when malformed
   */
  public static EntityUid toUid(Json j, String source) {
    return new ValueJson(source).uid(j);
  }

  Value value(Json j, JsonType expected) {
    return switch (j) {
      case Json.Null n -> throw error(j, "`null` is not a valid Cedar value");
      case Json.Bool b -> BoolValue.of(b.value());
      case Json.Num n -> {
        try {
          yield LongValue.of(n.longValue());
        } catch (NumberFormatException e) {
          throw error(j, "`" + n.text() + "` is not a 64-bit integer");
        }
      }
      case Json.Str s -> {
        if (expected instanceof JsonType.Extension ext) {
          yield extension(j, constructorOf(ext.name()), s.value());
        }
        yield new StringValue(s.value());
      }
      case Json.Arr a -> {
        JsonType elem = expected instanceof JsonType.SetOf so ? so.element() : JsonType.ANY;
        Set<Value> out = new LinkedHashSet<>();
        for (Json item : a.items()) {
          out.add(value(item, elem));
        }
        yield new SetValue(out);
      }
      case Json.Obj o -> object(o, expected);
    };
  }

  private Value object(Json.Obj o, JsonType expected) {
    if (o.fields().size() == 1 && o.get("__entity") != null) {
      return new EntityValue(uid(o.get("__entity")));
    }
    if (o.fields().size() == 1 && o.get("__extn") != null) {
      return extn(o.get("__extn"));
    }
    if (expected instanceof JsonType.EntityRef) {
      return new EntityValue(uid(o));
    }
    if (expected instanceof JsonType.Extension) {
      throw error(o, "expected an extension value");
    }
    Map<String, JsonType> attrTypes = expected instanceof JsonType.RecordOf r ? r.attributes() : Map.of();
    Map<String, Value> fields = new LinkedHashMap<>();
    for (Map.Entry<String, Json> f : o.fields().entrySet()) {
      fields.put(f.getKey(), value(f.getValue(), attrTypes.getOrDefault(f.getKey(), JsonType.ANY)));
    }
    return new RecordValue(fields);
  }

  private Value extn(Json j) {
    if (!(j instanceof Json.Obj o)) {
      throw error(j, "`__extn` must be an object with `fn` and `arg` or `args`");
    }
    if (!(o.get("fn") instanceof Json.Str fn)) {
      throw error(j, "`__extn` needs a string `fn`");
    }
    List<Value> args = new ArrayList<>();
    if (o.get("arg") != null && o.fields().size() == 2) {
      args.add(value(o.get("arg"), JsonType.ANY));
    } else if (o.get("args") instanceof Json.Arr a && o.fields().size() == 2) {
      for (Json x : a.items()) {
        args.add(value(x, JsonType.ANY));
      }
    } else {
      throw error(j, "`__extn` must have exactly the fields `fn` and `arg` (or `args`)");
    }
    if (!Extensions.isFunction(fn.value())) {
      throw error(j, "`" + fn.value() + "` is not an extension function");
    }
    try {
      Value v = Extensions.call(fn.value(), args);
      if (!(v instanceof ExtValue)) {
        throw error(j, "`" + fn.value() + "` does not construct an extension value");
      }
      return v;
    } catch (EvaluationException e) {
      throw error(j, e.getMessage());
    }
  }

  private ExtValue extension(Json at, String fn, String arg) {
    if (!Set.of("ip", "decimal", "datetime", "duration").contains(fn)) {
      throw error(at, "`" + fn + "` is not an extension constructor");
    }
    try {
      return Extensions.construct(fn, arg);
    } catch (EvaluationException e) {
      throw error(at, e.getMessage());
    }
  }

  private static String constructorOf(String typeName) {
    return switch (typeName) {
      case "ipaddr" -> "ip";
      default -> typeName;
    };
  }

  EntityUid uid(Json j) {
    if (!(j instanceof Json.Obj o)) {
      throw error(j, "expected an entity uid object with `type` and `id`");
    }
    if (o.fields().size() == 1 && o.get("__entity") != null) {
      return uid(o.get("__entity"));
    }
    if (!(o.get("type") instanceof Json.Str type) || !(o.get("id") instanceof Json.Str id) || o.fields().size() != 2) {
      throw error(j, "expected an entity uid object with exactly the string fields `type` and `id`");
    }
    if (!dev.gatehouse.cedar.ast.Names.isValidName(type.value())) {
      throw error(j, "invalid entity type name `" + type.value() + "`");
    }
    return new EntityUid(EntityType.of(type.value()), id.value());
  }

  ParseException error(Json at, String message) {
    if (at.at() >= 0 && src != null && !src.isEmpty()) {
      return ParseException.at(src, at.at(), message);
    }
    return new ParseException(message, 1, 1);
  }

  /** Returns the value JSON of {@code v}, with explicit {@code __entity} and {@code __extn}. */
  public static Json toJson(Value v) {
    return switch (v) {
      case BoolValue b -> Json.bool(b.value());
      case LongValue l -> Json.num(l.value());
      case StringValue s -> Json.str(s.value());
      case SetValue s -> {
        List<Json> items = new ArrayList<>();
        for (Value x : s.elements()) {
          items.add(toJson(x));
        }
        yield Json.arr(items);
      }
      case RecordValue r -> {
        Map<String, Json> m = new LinkedHashMap<>();
        r.fields().forEach((k, x) -> m.put(k, toJson(x)));
        yield Json.obj(m);
      }
      case EntityValue e -> Json.obj(Map.of("__entity", uidJson(e.uid())));
      case dev.gatehouse.cedar.value.DateTime d when !roundTrips(d) -> {
        // Outside years 0000-9999 a datetime has no string form; Cedar writes it as an offset
        // from the epoch: offset(datetime("1970-01-01"), duration("<ms>ms")).
        Map<String, Json> m = new LinkedHashMap<>();
        m.put("fn", Json.str("offset"));
        m.put(
            "args",
            Json.arr(List.of(toJson(dev.gatehouse.cedar.value.DateTime.parse("1970-01-01")), toJson(new dev.gatehouse.cedar.value.Duration(d.epochMillis())))));
        yield Json.obj(Map.of("__extn", Json.obj(m)));
      }
      case ExtValue x -> {
        Map<String, Json> m = new LinkedHashMap<>();
        m.put("fn", Json.str(x.constructor()));
        m.put("arg", Json.str(x.constructorArg()));
        yield Json.obj(Map.of("__extn", Json.obj(m)));
      }
    };
  }

  private static boolean roundTrips(dev.gatehouse.cedar.value.DateTime d) {
    try {
      return dev.gatehouse.cedar.value.DateTime.parse(d.constructorArg()).equals(d);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Returns {@code {"type": .., "id": ..}}. */
  public static Json uidJson(EntityUid uid) {
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("type", Json.str(uid.type().name()));
    m.put("id", Json.str(uid.id()));
    return Json.obj(m);
  }
}
