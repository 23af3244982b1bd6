package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.schema.ActionDef;
import dev.gatehouse.cedar.schema.EntityTypeDef;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.schema.SchemaType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.util.Random;

/**
 * Development probe: generates schema-aware random policies (attribute paths of the schema's
 * entity types, {@code has} guards, tags, sets, records, extension calls) for each corpus schema
 * and compares strict validation with the official engine (cedar-java 4.10).
 */
final class PolicyFuzzProbe {
  private final Schema schema;
  private final Random rnd;
  private final List<String> entityTypes;

  private PolicyFuzzProbe(Schema schema, Random rnd) {
    this.schema = schema;
    this.rnd = rnd;
    this.entityTypes = new ArrayList<>(schema.entityTypes().keySet());
  }

  public static void main(String[] args) throws Exception {
    Path root = args.length > 0 ? Path.of(args[0]) : dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    int perSchema = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    run(root, 1, perSchema, 1).forEach(System.out::println);
  }

  static List<String> run(Path root, int every, int perSchema, long seed) throws Exception {
    List<String> out = new ArrayList<>();
    List<Path> schemas = dev.gatehouse.cedar.conformance.ConformanceCorpus.schemas(root);
    Random rnd = new Random(seed);
    int same = 0;
    int diff = 0;
    int rejected = 0;
    int index = 0;
    for (Path p : schemas) {
      if (index++ % every != 0) {
        continue;
      }
      String text = Files.readString(p);
      Schema schema = Schema.parseCedar(text);
      if (schema.entityTypes().isEmpty() || schema.actions().isEmpty()) {
        continue;
      }
      com.cedarpolicy.model.schema.Schema theirSchema = new com.cedarpolicy.model.schema.Schema(text);
      PolicyFuzzProbe gen = new PolicyFuzzProbe(schema, rnd);
      for (int i = 0; i < perSchema; i++) {
        String policy = gen.policy();
        boolean ours;
        try {
          ours = new Validator(schema).validate(PolicySet.parse(policy)).passed();
        } catch (RuntimeException e) {
          out.add("=== ours threw " + e + "\n" + policy);
          diff++;
          continue;
        }
        boolean official;
        try {
          official = new com.cedarpolicy.BasicAuthorizationEngine().validate(new com.cedarpolicy.model.ValidationRequest(
              theirSchema, com.cedarpolicy.model.policy.PolicySet.parsePolicies(policy))).validationPassed();
        } catch (Exception e) {
          continue;
        }
        if (!official) {
          rejected++;
        }
        if (ours == official) {
          same++;
        } else {
          diff++;
          out.add("=== " + p.getFileName() + " official=" + official + " ours=" + ours + " errors="
              + new Validator(schema).validate(PolicySet.parse(policy)).errors() + "\n" + policy);
        }
      }
    }
    out.add("fuzz: " + same + " agree, " + diff + " disagree; official rejected " + rejected);
    return out;
  }

  private String policy() {
    ActionDef a = pick(new ArrayList<>(schema.actions().values()));
    String action = rnd.nextInt(3) == 0 ? "action" : "action == " + a.id();
    String principal = rnd.nextInt(2) == 0 || a.principalTypes().isEmpty() ? "principal"
        : "principal is " + pick(a.principalTypes());
    String resource = rnd.nextInt(2) == 0 || a.resourceTypes().isEmpty() ? "resource"
        : "resource is " + pick(a.resourceTypes());
    return "permit(" + principal + ", " + action + ", " + resource + ") when { " + bool(3) + " };";
  }

  private String bool(int depth) {
    if (depth <= 0) {
      return switch (rnd.nextInt(6)) {
        case 0 -> rnd.nextBoolean() ? "true" : "false";
        case 1 -> hasGuard();
        case 2 -> value(0) + " == " + value(0);
        default -> path(Var.pick(rnd)) instanceof String s ? s + " == " + value(0) : "true";
      };
    }
    return switch (rnd.nextInt(12)) {
      case 0 -> bool(depth - 1) + " && " + bool(depth - 1);
      case 1 -> "(" + bool(depth - 1) + " || " + bool(depth - 1) + ")";
      case 2 -> "!(" + bool(depth - 1) + ")";
      case 3 -> "(if " + bool(depth - 1) + " then " + bool(depth - 1) + " else " + bool(depth - 1) + ")";
      case 4 -> hasGuard() + " && " + guardedAccess();
      case 5 -> value(depth - 1) + " == " + value(depth - 1);
      case 6 -> "[" + value(0) + ", " + value(0) + "].contains(" + value(0) + ")";
      case 7 -> entity() + " in " + (rnd.nextBoolean() ? entity() : "[" + entity() + ", " + entity() + "]");
      case 8 -> entity() + ".hasTag(\"k\")" + (rnd.nextBoolean() ? " && " + entity() + ".getTag(\"k\") == " + value(0) : "");
      case 9 -> entity() + " is " + pick(entityTypes);
      case 10 -> value(depth - 1) + (rnd.nextBoolean() ? " < " : " >= ") + value(depth - 1);
      default -> "(" + value(depth - 1) + ").isEmpty()";
    };
  }

  private String hasGuard() {
    String[] p = randomPath();
    return p[0] + " has " + p[1];
  }

  private String guardedAccess() {
    String[] p = randomPath();
    return p[0] + "." + p[1] + " == " + value(0);
  }

  /** A random base expression and an attribute name that may or may not exist on it. */
  private String[] randomPath() {
    Var v = Var.pick(rnd);
    String base = v.text;
    SchemaType.Record rec = recordOf(v);
    if (rec != null && !rec.attributes().isEmpty() && rnd.nextInt(4) != 0) {
      String attr = pick(new ArrayList<>(rec.attributes().keySet()));
      SchemaType t = rec.attributes().get(attr).type();
      if (t instanceof SchemaType.Record inner && !inner.attributes().isEmpty() && rnd.nextBoolean()) {
        return new String[] {base + "[\"" + esc(attr) + "\"]", ident(pick(new ArrayList<>(inner.attributes().keySet())))};
      }
      return new String[] {base, ident(attr)};
    }
    return new String[] {base, "zz"};
  }

  private String path(Var v) {
    SchemaType.Record rec = recordOf(v);
    if (rec == null || rec.attributes().isEmpty()) {
      return null;
    }
    return v.text + "[\"" + esc(pick(new ArrayList<>(rec.attributes().keySet()))) + "\"]";
  }

  private SchemaType.Record recordOf(Var v) {
    ActionDef a = pick(new ArrayList<>(schema.actions().values()));
    return switch (v) {
      case CONTEXT -> a.context();
      case PRINCIPAL -> a.principalTypes().isEmpty() ? null : attrs(pick(a.principalTypes()));
      case RESOURCE -> a.resourceTypes().isEmpty() ? null : attrs(pick(a.resourceTypes()));
    };
  }

  private SchemaType.Record attrs(String type) {
    EntityTypeDef d = schema.entityType(type);
    return d == null ? null : d.attributes();
  }

  private String value(int depth) {
    return switch (rnd.nextInt(depth > 0 ? 11 : 8)) {
      case 0 -> Integer.toString(rnd.nextInt(5));
      case 1 -> "\"s\"";
      case 2 -> rnd.nextBoolean() ? "true" : "false";
      case 3 -> entity();
      case 4 -> path(Var.pick(rnd)) instanceof String s ? s : "1";
      case 5 -> "ip(\"10.0.0.1\")";
      case 6 -> "datetime(\"2024-01-01\")";
      case 7 -> "context";
      case 8 -> "[" + value(depth - 1) + "]";
      case 9 -> "{a: " + value(depth - 1) + "}";
      default -> "(if " + bool(depth - 1) + " then " + value(depth - 1) + " else " + value(depth - 1) + ")";
    };
  }

  private String entity() {
    return switch (rnd.nextInt(4)) {
      case 0 -> "principal";
      case 1 -> "resource";
      case 2 -> "action";
      default -> {
        EntityTypeDef d = schema.entityType(pick(entityTypes));
        String id = d.isEnum() ? d.enumIds().get(0) : "x";
        yield d.name() + "::\"" + esc(id) + "\"";
      }
    };
  }

  private static String ident(String attr) {
    return attr.matches("[_a-zA-Z][_a-zA-Z0-9]*") && !dev.gatehouse.cedar.ast.Names.RESERVED.contains(attr) ? attr : "zz";
  }

  private static String esc(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c == '"' || c == '\\') {
        b.append('\\').appendCodePoint(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append("\\u{").append(Integer.toHexString(c)).append('}');
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  private <T> T pick(List<T> xs) {
    return xs.get(rnd.nextInt(xs.size()));
  }

  private enum Var {
    PRINCIPAL("principal"), RESOURCE("resource"), CONTEXT("context");

    final String text;

    Var(String text) {
      this.text = text;
    }

    static Var pick(Random r) {
      return values()[r.nextInt(3)];
    }
  }

}
