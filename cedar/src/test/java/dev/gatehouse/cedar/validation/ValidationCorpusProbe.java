package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.parser.PolicyParser;
import dev.gatehouse.cedar.schema.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Development probe: prints validation mismatches against the corpus. Run with {@code java}. */
final class ValidationCorpusProbe {
  private static final Pattern FIELD = Pattern.compile("\"(policies|schema|shouldValidate)\"\\s*:\\s*(\"[^\"]*\"|true|false)");

  public static void main(String[] args) throws Exception {
    Path root = args.length > 0 ? Path.of(args[0]) : dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    List<Path> tests;
    try (Stream<Path> s = Files.walk(root)) {
      tests = s.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith("entities.json")
          && !p.getFileName().toString().equals("entities.json")).sorted().toList();
    }
    int ok = 0;
    int bad = 0;
    List<String> report = new ArrayList<>();
    for (Path t : tests) {
      String json = Files.readString(t);
      Matcher m = FIELD.matcher(json);
      String policies = null;
      String schema = null;
      Boolean should = null;
      while (m.find()) {
        String v = m.group(2);
        switch (m.group(1)) {
          case "policies" -> policies = v.substring(1, v.length() - 1);
          case "schema" -> schema = v.substring(1, v.length() - 1);
          default -> should = Boolean.parseBoolean(v);
        }
      }
      if (policies == null || schema == null || should == null) {
        continue;
      }
      try {
        Schema s = Schema.parseCedar(Files.readString(root.resolve(schema)));
        List<Policy> ps = PolicyParser.parsePolicies(Files.readString(root.resolve(policies)));
        ValidationResult r = new Validator(s).validate(ps);
        if (r.passed() == should) {
          ok++;
        } else {
          bad++;
          report.add(t.getFileName() + " expected=" + should + " errors=" + r.errors());
        }
      } catch (Exception e) {
        bad++;
        report.add(t.getFileName() + " EXCEPTION " + e + " at " + java.util.Arrays.toString(java.util.Arrays.copyOf(e.getStackTrace(), 4)));
      }
    }
    report.forEach(System.out::println);
    System.out.println("validation: " + ok + " match, " + bad + " mismatch");
  }
}
