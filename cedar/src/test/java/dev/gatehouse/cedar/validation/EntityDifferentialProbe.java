package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.schema.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Development probe: mutates corpus entity files and compares schema conformance (accept or
 * reject) with the official engine (cedar-java 4.10's {@code validateEntities}).
 */
final class EntityDifferentialProbe {
  private static final Pattern FIELD = Pattern.compile("\"(entities|schema)\"\\s*:\\s*\"([^\"]*)\"");
  private static final String[][] SWAPS = {
    {"false", "1"}, {"true", "\"t\""}, {"\"attrs\": {", "\"attrs\": { \"zz\": 1,"}, {"\"attrs\": {\n", "\"attrs\": {}, \"x\": {\n"},
    {"\"parents\": []", "\"parents\": [{\"type\": \"Nope\", \"id\": \"\"}]"}, {"\"fn\": \"datetime\"", "\"fn\": \"duration\""},
    {"\"parents\": []", "\"parents\": [], \"tags\": {\"k\": 1}"}, {"\"parents\": []", "\"parents\": [], \"tags\": {}"},
    {"\"parents\": [", "\"parents\": [{\"type\": \"Action\", \"id\": \"action\"}, "}, {"\"__extn\"", "\"__extnx\""},
    {": \"", ": 7, \"zzz\": \""}, {"[]", "[1]"}, {"\"attrs\": {}", "\"attrs\": {\"a\": {\"__entity\": {\"type\": \"a\", \"id\": \"\"}}}"},
    {"\"type\": \"", "\"type\": \"Action\", \"t2\": \""}, {"\"arg\": \"", "\"arg\": \"x"},
  };

  public static void main(String[] args) throws Exception {
    Path root = args.length > 0 ? Path.of(args[0]) : dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    int perTest = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    List<Path> tests;
    try (Stream<Path> s = Files.list(root.resolve("corpus-tests"))) {
      tests = s.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith("entities.json")).sorted().toList();
    }
    Random rnd = new Random(5);
    int same = 0;
    int diff = 0;
    int rejected = 0;
    List<String> out = new ArrayList<>();
    for (Path t : tests) {
      Matcher m = FIELD.matcher(Files.readString(t));
      String ent = null;
      String sch = null;
      while (m.find()) {
        if (m.group(1).equals("entities")) {
          ent = m.group(2);
        } else {
          sch = m.group(2);
        }
      }
      String schemaText = Files.readString(root.resolve(sch));
      Schema schema = Schema.parseCedar(schemaText);
      com.cedarpolicy.model.schema.Schema theirSchema = new com.cedarpolicy.model.schema.Schema(schemaText);
      String entities = Files.readString(root.resolve(ent));
      for (int i = 0; i < perTest; i++) {
        String mutated = i == 0 ? entities : mutate(entities, rnd);
        boolean ours;
        String why = "";
        try {
          EntityConformance.check(schema, EntitiesJson.parseList(mutated, new SchemaJsonTypes(schema)));
          ours = true;
        } catch (CedarException e) {
          ours = false;
          why = e.getMessage();
        }
        boolean official;
        String theirWhy = "";
        try {
          List<com.cedarpolicy.model.entity.Entity> list =
              new ArrayList<>(com.cedarpolicy.model.entity.Entities.parse(mutated).getEntities());
          try {
            new com.cedarpolicy.BasicAuthorizationEngine().validateEntities(
                new com.cedarpolicy.model.EntityValidationRequest(theirSchema, list));
            official = true;
          } catch (Exception e) {
            official = false;
            theirWhy = String.valueOf(e.getMessage());
          }
        } catch (Exception javaSideParse) {
          continue;
        }
        if (!official) {
          rejected++;
        }
        if (ours == official) {
          same++;
        } else {
          diff++;
          out.add("=== " + t.getFileName() + " official=" + official + " ours=" + ours + " ourWhy=" + why
              + " theirWhy=" + theirWhy.replace('\n', ' '));
        }
      }
    }
    out.forEach(System.out::println);
    System.out.println("entities: " + same + " agree, " + diff + " disagree; official rejected " + rejected);
  }

  private static String mutate(String text, Random rnd) {
    return dev.gatehouse.cedar.Mutations.swapOnce(text, SWAPS, rnd);
  }
}
