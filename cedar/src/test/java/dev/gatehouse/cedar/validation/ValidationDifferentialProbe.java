package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.schema.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Development probe: mutates corpus policies and compares strict validation with the official
 * engine (cedar-java 4.10). Run with {@code java} on the test classpath; prints disagreements.
 */
final class ValidationDifferentialProbe {
  private static final Pattern FIELD = Pattern.compile("\"(policies|schema)\"\\s*:\\s*\"([^\"]*)\"");
  private static final String[][] SWAPS = {
    {"&&", "||"}, {"||", "&&"}, {"true", "false"}, {"false", "true"}, {"==", "!="}, {"==", "<"},
    {"principal", "resource"}, {"resource", "principal"}, {"principal", "context"}, {"then", "then 1 == 2 &&"},
    {" has ", " has z"}, {"when {", "when { [] == [] &&"}, {"when {", "when { principal in [resource] &&"},
    {"when {", "when { if principal has x then principal.x else false ||"}, {"action,", "action in [],"},
    {"resource\n)", "resource is r\n)"}, {"principal,", "principal is a,"}, {"(", "(!"}, {".", ".z."},
    {"when {", "when { [1, true] == [1] ||"}, {"when {", "when { {a: 1} == {a: true} ||"},
    {"when {", "when { principal has a.b && principal.a.b ||"}, {"when {", "when { principal.hasTag(\"t\") && principal.getTag(\"t\") ||"},
    {"when {", "when { resource.getTag(\"t\") ||"}, {"when {", "when { (if resource is a then principal else resource) == principal ||"},
    {"when {", "when { [principal, resource].contains(principal) ||"}, {"when {", "when { context has x && context.x ||"},
    {"when {", "when { \"ab\" like \"a*\" ||"}, {"when {", "when { principal in action ||"},
    {"when {", "when { action in [Action::\"action\", principal] ||"}, {"when {", "when { [action].containsAll([Action::\"action\"]) ||"},
    {"when {", "when { {a: principal} has a && {a: 1}.a > 0 ||"}, {"when {", "when { datetime(\"2020-01-01\") < datetime(\"2021-01-01\") ||"},
    {"when {", "when { decimal(\"1.0\") < decimal(\"2.0\") ||"}, {"when {", "when { ip(\"1.2.3.4\").isInRange(ip(\"1.2.3.0/24\")) ||"},
    {"when {", "when { duration(\"1h\").toMinutes() + 1 > 2 ||"}, {"when {", "when { (principal is a in resource) ||"},
    {"when {", "when { principal.isEmpty() ||"}, {"when {", "when { !(principal == resource) && principal != resource ||"},
    {"when {", "when { if true then 1 else \"a\" ||"}, {"when {", "when { (if false then 1 else 2) > 1 ||"},
    {"when {", "when { principal has z || principal has y && principal.y ||"}, {"when {", "when { context == {} ||"},
    {"when {", "when { -(1) < 2 && [[]].isEmpty() ||"}, {"when {", "when { Action::\"action\" in Action::\"action\" && 1 < \"a\" ||"},
  };

  public static void main(String[] args) throws Exception {
    Path root = args.length > 0 ? Path.of(args[0]) : dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    int perTest = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> disagreements = run(root, 1, perTest, 42);
    disagreements.forEach(System.out::println);
  }

  /**
   * Validates {@code perTest} mutants of every {@code every}-th corpus policy with both engines.
   * Returns one line per disagreement, and a summary line last.
   */
  static List<String> run(Path root, int every, int perTest, long seed) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    List<Path> tests;
    try (Stream<Path> s = Files.list(root.resolve("corpus-tests"))) {
      tests = s.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith("entities.json")).sorted().toList();
    }
    Random rnd = new Random(seed);
    int index = 0;
    int same = 0;
    int diff = 0;
    int officialFails = 0;
    for (Path t : tests) {
      if (index++ % every != 0) {
        continue;
      }
      Matcher m = FIELD.matcher(Files.readString(t));
      String pol = null;
      String sch = null;
      while (m.find()) {
        if (m.group(1).equals("policies")) {
          pol = m.group(2);
        } else {
          sch = m.group(2);
        }
      }
      String schemaText = Files.readString(root.resolve(sch));
      String policyText = Files.readString(root.resolve(pol));
      Schema schema = Schema.parseCedar(schemaText);
      com.cedarpolicy.model.schema.Schema theirSchema = new com.cedarpolicy.model.schema.Schema(schemaText);
      for (int i = 0; i < perTest; i++) {
        String mutated = mutate(policyText, rnd);
        PolicySet ours;
        try {
          ours = PolicySet.parse(mutated);
        } catch (RuntimeException e) {
          continue;
        }
        com.cedarpolicy.model.policy.PolicySet theirs;
        try {
          theirs = com.cedarpolicy.model.policy.PolicySet.parsePolicies(mutated);
        } catch (Exception e) {
          continue;
        }
        boolean mine = new Validator(schema).validate(ours).passed();
        boolean official;
        try {
          official = new com.cedarpolicy.BasicAuthorizationEngine()
              .validate(new com.cedarpolicy.model.ValidationRequest(theirSchema, theirs)).validationPassed();
        } catch (Exception e) {
          continue;
        }
        if (!official) {
          officialFails++;
        }
        if (mine == official) {
          same++;
        } else {
          diff++;
          out.add("=== " + t.getFileName() + " official=" + official + " ours=" + mine
              + " errors=" + new Validator(schema).validate(ours).errors() + "\n" + mutated);
        }
      }
    }
    out.add("differential: " + same + " agree, " + diff + " disagree; official rejected " + officialFails);
    return out;
  }

  private static String mutate(String text, Random rnd) {
    return dev.gatehouse.cedar.Mutations.swaps(text, SWAPS, 3, rnd);
  }
}
