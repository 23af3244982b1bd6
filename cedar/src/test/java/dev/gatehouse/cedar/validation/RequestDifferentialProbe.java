package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.cedar.json.JsonReader;
import dev.gatehouse.cedar.json.JsonWriter;
import dev.gatehouse.cedar.json.ValueJson;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Development probe: mutates corpus requests (principal/resource types, action, context) and
 * compares request validation (accept or reject) with the official engine (cedar-java 4.10).
 */
final class RequestDifferentialProbe {
  public static void main(String[] args) throws Exception {
    Path root = args.length > 0 ? Path.of(args[0]) : dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    List<Path> tests;
    try (Stream<Path> s = Files.list(root.resolve("corpus-tests"))) {
      tests = s.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith("entities.json")).sorted().toList();
    }
    Random rnd = new Random(3);
    int same = 0;
    int diff = 0;
    int rejected = 0;
    for (Path t : tests) {
      Json.Obj test = (Json.Obj) JsonReader.parse(Files.readString(t));
      String schemaText = Files.readString(root.resolve(((Json.Str) test.get("schema")).value()));
      Schema schema = Schema.parseCedar(schemaText);
      com.cedarpolicy.model.schema.Schema theirSchema = new com.cedarpolicy.model.schema.Schema(schemaText);
      List<String> types = new ArrayList<>(schema.entityTypes().keySet());
      types.add("Nope");
      List<Json> reqs = ((Json.Arr) test.get("requests")).items();
      for (int i = 0; i < 2 && i < reqs.size(); i++) {
        Json.Obj r = (Json.Obj) reqs.get(i);
        Map<String, Json> f = new LinkedHashMap<>(r.fields());
        switch (rnd.nextInt(6)) {
          case 0 -> f.put("principal", uid(types.get(rnd.nextInt(types.size())), ""));
          case 1 -> f.put("resource", uid(types.get(rnd.nextInt(types.size())), ""));
          case 2 -> f.put("action", uid("Action", rnd.nextBoolean() ? "nope" : "action"));
          case 3 -> {
            Map<String, Json> c = new LinkedHashMap<>(((Json.Obj) f.get("context")).fields());
            c.put("zz", Json.num(1));
            f.put("context", new Json.Obj(c, -1));
          }
          case 4 -> {
            Map<String, Json> c = new LinkedHashMap<>(((Json.Obj) f.get("context")).fields());
            if (!c.isEmpty()) {
              c.remove(c.keySet().iterator().next());
            }
            f.put("context", new Json.Obj(c, -1));
          }
          default -> {
            Map<String, Json> c = new LinkedHashMap<>(((Json.Obj) f.get("context")).fields());
            if (!c.isEmpty()) {
              c.put(c.keySet().iterator().next(), Json.str("s"));
            }
            f.put("context", new Json.Obj(c, -1));
          }
        }
        boolean ours;
        String why = "";
        try {
          EntityUid p = ValueJson.toUid(f.get("principal"), "");
          EntityUid a = ValueJson.toUid(f.get("action"), "");
          EntityUid res = ValueJson.toUid(f.get("resource"), "");
          Value ctx = ValueJson.toValue(f.get("context"),
              new CedarSchemaSupport().load(schemaText).contextType(a), "");
          new RequestValidator(schema).validate(new Request(p, a, res, (RecordValue) ctx));
          ours = true;
        } catch (CedarException e) {
          ours = false;
          why = e.getMessage();
        }
        boolean official;
        String theirWhy = "";
        try {
          Map<String, com.cedarpolicy.value.Value> ctx = com.cedarpolicy.model.entity.Entities.parse(
              "[{\"uid\":{\"type\":\"Z\",\"id\":\"\"},\"parents\":[],\"attrs\":"
                  + JsonWriter.write(f.get("context")) + "}]").getEntities().iterator().next().attrs;
          com.cedarpolicy.model.AuthorizationRequest q = new com.cedarpolicy.model.AuthorizationRequest(
              their(f.get("principal")), their(f.get("action")), their(f.get("resource")),
              Optional.of(ctx), Optional.of(theirSchema), true);
          try {
            com.cedarpolicy.model.AuthorizationResponse resp = new com.cedarpolicy.BasicAuthorizationEngine()
                .isAuthorized(q, new com.cedarpolicy.model.policy.PolicySet(), java.util.Set.of());
            official = resp.type == com.cedarpolicy.model.AuthorizationResponse.SuccessOrFailure.Success;
            theirWhy = String.valueOf(resp.errors);
          } catch (Exception e) {
            official = false;
            theirWhy = String.valueOf(e.getMessage());
          }
        } catch (Exception javaSide) {
          continue;
        }
        if (!official) {
          rejected++;
        }
        if (ours == official) {
          same++;
        } else {
          diff++;
          System.out.println("=== " + t.getFileName() + " official=" + official + " ours=" + ours + " ourWhy=" + why
              + " theirWhy=" + theirWhy.replace('\n', ' '));
        }
      }
    }
    System.out.println("requests: " + same + " agree, " + diff + " disagree; official rejected " + rejected);
  }

  private static Json uid(String type, String id) {
    Map<String, Json> m = new LinkedHashMap<>();
    m.put("type", Json.str(type));
    m.put("id", Json.str(id));
    return new Json.Obj(m, -1);
  }

  private static com.cedarpolicy.value.EntityUID their(Json j) {
    Json.Obj o = (Json.Obj) j;
    if (o.get("__entity") instanceof Json.Obj inner) {
      o = inner;
    }
    String type = ((Json.Str) o.get("type")).value();
    String id = ((Json.Str) o.get("id")).value();
    return com.cedarpolicy.value.EntityTypeName.parse(type).orElseThrow().of(id);
  }
}
