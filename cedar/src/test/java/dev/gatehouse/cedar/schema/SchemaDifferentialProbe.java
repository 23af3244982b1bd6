package dev.gatehouse.cedar.schema;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Development probe: mutates corpus schemas and compares acceptance with the official engine
 * (cedar-java 4.10). Prints disagreements.
 */
final class SchemaDifferentialProbe {
  private static final String[][] SWAPS = {
    {";", ""}, {",", ""}, {"{", ""}, {"}", ""}, {"entity", "type"}, {"entity ", "entity in "},
    {"__cedar::", ""}, {"__cedar::", "__cedar::__cedar::"}, {"Long", "Lon"}, {"String", "Set<String>"},
    {"[", ""}, {"]", ""}, {"principal", "resource"}, {"context: {}", ""}, {"context", "context: {}, context"},
    {"?:", ":"}, {": ", "?: "}, {"action \"", "action \"x\", \""}, {"\"", "\"\\u{0}"}, {"\"", "\"\\*"},
    {"entity ", "@a(\"b\") entity "}, {"entity ", "namespace N { entity X; } entity "}, {"=", ""},
    {" {", " = {"}, {"appliesTo", "in [Action::\"action\"] appliesTo"}, {"entity ", "type T = Bool; entity "},
    {"entity ", "type Long = Bool; entity "}, {"entity ", "entity in; entity "}, {"action", "action \"if\""},
    {"Set<", "Set < "}, {"::", " :: "}, {"entity ", "entity Action; entity "}, {"entity ", "entity A::B; entity "},
    {"tags ", "tags Set<"}, {"enum [\"\"]", "enum []"}, {"enum [\"\"]", "enum [\"\", \"\"]"},
    {"appliesTo {", "appliesTo { principal: [], "}, {"};", "} ;"}, {"\n", "\n// c\n"}, {"Bool", "Boolean"},
    {"action \"action\"", "namespace Q { action \"action\"; } action \"action\""}, {"{", "{ if: Long, "},
    {"{", "{ \"if\": Long, "}, {"context: {}", "context: {}, attributes {}"}, {"[", "[Action::\"x\", "},
    {"entity ", "entity A, B; entity "}, {"];", ",];"}, {"principal: [", "principal: [a, "},
  };

  public static void main(String[] args) throws Exception {
    Path root = args.length > 0 ? Path.of(args[0]) : dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    int perTest = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    run(root, 1, perTest, 42).forEach(System.out::println);
  }

  static List<String> run(Path root, int every, int perTest, long seed) throws Exception {
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
      for (int i = 0; i < perTest; i++) {
        String mutated = mutate(text, rnd);
        boolean ours;
        String why = "";
        try {
          Schema.parseCedar(mutated);
          ours = true;
        } catch (SchemaException e) {
          ours = false;
          why = e.getMessage();
        }
        boolean official;
        String theirWhy = "";
        try {
          com.cedarpolicy.model.schema.Schema.parse(com.cedarpolicy.model.schema.Schema.JsonOrCedar.Cedar, mutated);
          official = true;
        } catch (Exception e) {
          official = false;
          theirWhy = String.valueOf(e.getMessage());
        }
        if (!official) {
          rejected++;
        }
        if (ours == official) {
          same++;
        } else {
          diff++;
          out.add("=== " + p.getFileName() + " official=" + official + " ours=" + ours + " ourWhy=" + why
              + " theirWhy=" + theirWhy.replace('\n', ' ') + "\n" + mutated);
        }
      }
    }
    out.add("schema differential: " + same + " agree, " + diff + " disagree; official rejected " + rejected);
    return out;
  }

  private static String mutate(String text, Random rnd) {
    return dev.gatehouse.cedar.Mutations.swaps(text, SWAPS, 2, rnd);
  }
}
