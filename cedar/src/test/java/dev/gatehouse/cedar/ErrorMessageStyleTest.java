package dev.gatehouse.cedar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.cedar.json.JsonReader;
import dev.gatehouse.cedar.json.JsonType;
import dev.gatehouse.cedar.json.JsonWriter;
import dev.gatehouse.cedar.json.PolicyJson;
import dev.gatehouse.cedar.json.SchemaHints;
import dev.gatehouse.cedar.json.ValueJson;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.validation.RequestValidator;
import dev.gatehouse.cedar.conformance.SchemaSupport;
import dev.gatehouse.cedar.validation.CedarSchemaSupport;
import dev.gatehouse.cedar.validation.ValidationResult;
import dev.gatehouse.cedar.validation.Validator;
import dev.gatehouse.cedar.value.RecordValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The error messages the engine produces read like Cedar's: lowercase, no trailing period, no Java
 * in them (class names, {@code null}, exception text), as upstream's style asks. The messages are
 * the ones a sample of the conformance corpus and of mutations of it actually produces: validation
 * errors and warnings, evaluation errors, request validation errors, and parse errors of mutated
 * policies (text and JSON), entities and schemas.
 */
class ErrorMessageStyleTest {
  private static final int TESTS = 500;
  private static final int MUTANTS = 3000;

  /** Messages by where they came from. */
  private static final Map<String, Set<String>> MESSAGES = new LinkedHashMap<>();

  private static final List<Pattern> FORBIDDEN = List.of(
      Pattern.compile("java\\."),
      Pattern.compile("Exception|Throwable|StackOverflow"),
      // `null` as a word is a Java reference leaking, unless it is quoted user input.
      Pattern.compile("(?<![`\"])\\bnull\\b(?![`\"])"),
      Pattern.compile("For input string"),
      // Object.toString and record toString
      Pattern.compile("@[0-9a-f]{5,}\\b"),
      Pattern.compile("\\b[A-Z]\\w*\\[\\w+="),
      // our own classes
      Pattern.compile("\\b(String|Long|Bool|Set|Record|Entity|Ext)Value\\b|\\bExpr\\.|\\w+Lit\\b"),
      Pattern.compile("\\b(Integer|Boolean|HashMap|ArrayList|LinkedHashMap|Optional)\\b"));

  @BeforeAll
  static void collect() {
    Path root = dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    List<Path> tests;
    try (Stream<Path> s = Files.list(root.resolve("corpus-tests"))) {
      tests = s.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".entities.json"))
          .sorted().limit(TESTS).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Random random = new Random(3);
    for (Path t : tests) {
      String base = t.toString().substring(0, t.toString().length() - ".json".length());
      String policyText = read(Path.of(base + ".cedar"));
      String entityText = read(Path.of(base + ".entities.json"));
      String schemaText = read(Path.of(base + ".cedarschema"));
      Schema schema = Schema.parseCedar(schemaText);
      PolicySet policies = PolicySet.parse(policyText);
      String policyJson = JsonWriter.write(PolicyJson.toJson(policies));
      ValidationResult v = new Validator(schema).validate(policies);
      v.errors().forEach(e -> add("validation", e.message()));
      v.warnings().forEach(e -> add("validation warning", e.message()));
      SchemaSupport.LoadedSchema loaded = new CedarSchemaSupport().load(schemaText);
      SchemaHints hints = loaded.hints();
      Entities entities = Entities.of(EntitiesJson.parseList(entityText, hints));
      Json.Obj test = (Json.Obj) JsonReader.parse(read(t));
      RequestValidator requests = new RequestValidator(schema);
      for (Json r : ((Json.Arr) test.get("requests")).items()) {
        Json.Obj q = (Json.Obj) r;
        EntityUid action = ValueJson.toUid(q.get("action"), "");
        JsonType ctxType = loaded.contextType(action);
        RecordValue ctx = (RecordValue) ValueJson.toValue(q.get("context"), ctxType, "");
        Request request = new Request(ValueJson.toUid(q.get("principal"), ""), action,
            ValueJson.toUid(q.get("resource"), ""), ctx);
        new Authorizer().isAuthorized(request, policies, entities).errors()
            .forEach(e -> add("evaluation", e.message()));
        // A request with principal and resource swapped is often not valid for the action.
        catching("request validation", () -> requests.validate(new Request(request.resource(),
            action, request.principal(), ctx)));
      }
      for (int i = 0; i < MUTANTS / TESTS; i++) {
        String p = mutate(policyText, random);
        catching("policy parse", () -> PolicySet.parse(p));
        String e = mutate(entityText, random);
        catching("entities parse", () -> EntitiesJson.parseList(e, hints));
        String s = mutate(schemaText, random);
        catching("schema parse", () -> Schema.parseCedar(s));
        String j = mutate(policyJson, random);
        catching("policy JSON parse", () -> PolicyJson.parsePolicySet(j));
      }
    }
  }

  private static void catching(String source, Runnable r) {
    try {
      r.run();
    } catch (CedarException e) {
      add(source, e.getMessage());
    }
  }

  private static void add(String source, String message) {
    MESSAGES.computeIfAbsent(source, k -> new TreeSet<>()).add(message);
  }

  /** Deletes, duplicates or inserts a few characters at a random place. */
  private static String mutate(String s, Random r) {
    if (s.isEmpty()) {
      return "x";
    }
    int at = r.nextInt(s.length());
    int end = Math.min(s.length(), at + 1 + r.nextInt(12));
    String noise = List.of("\"", "{", "}", "(", ")", ",", ";", ":", "::", "[", "]", "-", "1e5",
        "null", "@", "?x", "\\u{110000}", "é", "==", "9223372036854775808").get(r.nextInt(20));
    return switch (r.nextInt(3)) {
      case 0 -> s.substring(0, at) + s.substring(end);
      case 1 -> s.substring(0, at) + s.substring(at, end) + s.substring(at);
      default -> s.substring(0, at) + noise + s.substring(at);
    };
  }

  @Test
  void messagesWhenCorpusAndMutationsThenEveryKindOfErrorIsSampled() {
    assertThat(MESSAGES.keySet()).contains("validation", "validation warning", "evaluation",
        "request validation", "policy parse", "entities parse", "schema parse",
        "policy JSON parse");
    // Upstream has one kind of warning; every other source yields many different messages.
    MESSAGES.forEach((source, ms) -> assertThat(ms).as(source)
        .hasSizeGreaterThan(source.equals("validation warning") ? 0 : 3));
  }

  @Test
  void messagesWhenProducedThenLowercaseWithoutTrailingPeriodOrJava() {
    List<String> bad = new ArrayList<>();
    MESSAGES.forEach((source, ms) -> ms.forEach(m -> check(source, m, bad::add)));
    assertThat(bad).isEmpty();
  }

  @Test
  void checkWhenMessageBreaksTheStyleThenFlagged() {
    List<String> flagged = new ArrayList<>();
    for (String m : List.of("Unexpected token", "1:2: Expected `x`", "value missing.",
        "java.lang.NumberFormatException: For input string: \"x\"", "got null here",
        "bad value StringValue[value=a]", "dev.gatehouse.cedar.value.LongValue@1b6d3586",
        "expected Integer")) {
      check("sample", m, flagged::add);
    }
    assertThat(flagged).hasSize(8);
    List<String> fine = new ArrayList<>();
    for (String m : List.of("1:2: unexpected token `}`, expected `)`", "`null` is not a valid "
        + "Cedar value", "JSON nesting exceeds the limit of 64", "attribute `a` on `User` not found")) {
      check("sample", m, fine::add);
    }
    assertThat(fine).isEmpty();
  }

  private static void check(String source, String message, Consumer<String> bad) {
    // Parse errors start with `line:column: `; the description follows.
    String text = message.replaceFirst("^\\d+:\\d+: ", "");
    String why = null;
    if (text.isBlank()) {
      why = "empty";
    } else if (Character.isUpperCase(text.charAt(0)) && !text.startsWith("JSON")) {
      why = "starts with a capital";
    } else if (text.endsWith(".") && !text.endsWith("..")) {
      why = "ends with a period";
    } else {
      for (Pattern p : FORBIDDEN) {
        if (p.matcher(text).find()) {
          why = "matches " + p;
          break;
        }
      }
    }
    if (why != null) {
      bad.accept(source + ": " + why + ": " + message);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
