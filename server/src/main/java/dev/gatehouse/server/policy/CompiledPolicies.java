package dev.gatehouse.server.policy;

import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.DeepStack;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.ast.Annotation;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.Slot;
import dev.gatehouse.cedar.parser.PolicyParser;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.validation.EntityConformance;
import dev.gatehouse.cedar.validation.RequestValidator;
import dev.gatehouse.cedar.validation.ValidationError;
import dev.gatehouse.cedar.validation.ValidationResult;
import dev.gatehouse.cedar.validation.Validator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy version ready to decide with: the parsed schema, the policy set with its links, the
 * annotations of every policy, and the schema's action entities.
 *
 * <p>Policy ids: a policy or template with an {@code @id("...")} annotation has that id, others
 * keep Cedar's positional {@code policy0}, {@code policy1}, ... Named ids are what template links
 * and decision reasons refer to, so give every policy one.
 */
final class CompiledPolicies {

  /** Largest policy text accepted, in characters. */
  static final int MAX_POLICY_CHARS = 512 * 1024;
  /** Largest schema text accepted, in characters. */
  static final int MAX_SCHEMA_CHARS = 512 * 1024;
  /** Most policies and templates in one version. */
  static final int MAX_POLICIES = 10_000;
  /** Most template links in one version. */
  static final int MAX_LINKS = 10_000;

  final PolicyVersion version;
  final Schema schema;
  final PolicySet policySet;
  final RequestValidator requestValidator;
  final List<Entity> actionEntities;
  final Map<String, Map<String, String>> annotations;
  final List<String> warnings;

  private CompiledPolicies(PolicyVersion version, Schema schema, PolicySet policySet,
      List<String> warnings) {
    this.version = version;
    this.schema = schema;
    this.policySet = policySet;
    this.requestValidator = schema == null ? null : new RequestValidator(schema);
    this.actionEntities = schema == null ? List.of() : EntityConformance.actionEntities(schema);
    Map<String, Map<String, String>> ann = new HashMap<>();
    for (Policy p : policySet.policies()) {
      Map<String, String> m = new LinkedHashMap<>();
      for (Annotation a : p.annotations()) {
        m.put(a.key(), a.value());
      }
      ann.put(p.id(), Collections.unmodifiableMap(m));
    }
    this.annotations = Collections.unmodifiableMap(ann);
    this.warnings = List.copyOf(warnings);
  }

  static CompiledPolicies empty(String tenantId) {
    return new CompiledPolicies(PolicyVersion.empty(tenantId), null, PolicySet.EMPTY, List.of());
  }

  /** A stored version that no longer compiles: decides nothing (deny), keeps its number. */
  static CompiledPolicies broken(PolicyVersion v) {
    return new CompiledPolicies(v, null, PolicySet.EMPTY, List.of("version " + v.version()
        + " does not compile; every decision is deny"));
  }

  /** The schema of a version, or null when it has none. */
  static Schema schema(String format, String text) {
    if (format == null || "none".equals(format) || text == null || text.isBlank()) {
      return null;
    }
    if (text.length() > MAX_SCHEMA_CHARS) {
      throw new Problem.Refused("the schema is too large", List.of(Problem.of(
          "the schema is longer than " + MAX_SCHEMA_CHARS + " characters")));
    }
    try {
      return "json".equals(format) ? Schema.parseJson(text) : Schema.parseCedar(text);
    } catch (dev.gatehouse.cedar.schema.SchemaException e) {
      String msg = e.getMessage();
      if (e.line() > 0) {
        msg = msg.substring(msg.indexOf(": ") + 2);
      }
      throw new Problem.Refused("the schema is not valid",
          List.of(new Problem(null, msg, e.line(), e.column())));
    } catch (CedarException | IllegalArgumentException e) {
      throw new Problem.Refused("the schema is not valid", List.of(Problem.of(e.getMessage())));
    }
  }

  /**
   * Parses, links and (with a schema) validates a version in strict mode, on the {@link
   * DeepStack}: each of these steps recurses as deep as the text nests, up to the parser's
   * limits, which a request thread's stack (as small as {@code -Xss}) cannot be trusted with.
   *
   * @throws Problem.Refused with every problem found
   */
  static CompiledPolicies compile(PolicyVersion v, List<TemplateLink> links) {
    return DeepStack.call(() -> compileHere(v, links));
  }

  private static CompiledPolicies compileHere(PolicyVersion v, List<TemplateLink> links) {
    Schema schema = schema(v.schemaFormat(), v.schemaText());
    String text = v.policies();
    if (text.length() > MAX_POLICY_CHARS) {
      throw new Problem.Refused("the policies are too large", List.of(Problem.of(
          "the policy text is longer than " + MAX_POLICY_CHARS + " characters")));
    }
    List<Policy> parsed;
    try {
      parsed = PolicyParser.parsePolicies(text);
    } catch (ParseException e) {
      throw new Problem.Refused("the policies do not parse",
          List.of(new Problem(null, e.description(), e.line(), e.column())));
    } catch (CedarException e) {
      throw new Problem.Refused("the policies do not parse", List.of(Problem.of(e.getMessage())));
    }
    if (parsed.size() > MAX_POLICIES) {
      throw new Problem.Refused("too many policies", List.of(Problem.of("at most "
          + MAX_POLICIES + " policies and templates per tenant; found " + parsed.size())));
    }
    if (links.size() > MAX_LINKS) {
      throw new Problem.Refused("too many template links", List.of(Problem.of("at most "
          + MAX_LINKS + " template links per tenant")));
    }
    List<Problem> problems = new ArrayList<>();
    Map<String, int[]> positions = new HashMap<>();
    List<Policy> named = new ArrayList<>();
    for (int i = 0; i < parsed.size(); i++) {
      Policy p = parsed.get(i);
      // Parsed from text, every policy has a span: where it starts (its first annotation).
      int[] pos = {p.span().line(), p.span().column()};
      String id = p.annotation("id");
      if (id != null) {
        if (id.isEmpty() || id.length() > 200) {
          problems.add(new Problem(p.id(), "`@id` must be 1 to 200 characters", pos[0], pos[1]));
          continue;
        }
        p = p.withId(id);
      }
      if (positions.putIfAbsent(p.id(), pos) != null) {
        problems.add(new Problem(p.id(), "duplicate policy id `" + p.id() + "`", pos[0], pos[1]));
        continue;
      }
      named.add(p);
    }
    if (!problems.isEmpty()) {
      throw new Problem.Refused("the policies are not valid", problems);
    }
    // Links become static policies of the set: PolicySet.link would copy (and recompile) the
    // whole set once per link.
    Map<String, Policy> templates = new HashMap<>();
    for (Policy p : named) {
      if (p.isTemplate()) {
        templates.put(p.id(), p);
      }
    }
    for (TemplateLink link : links) {
      Policy t = templates.get(link.template());
      if (t == null) {
        problems.add(new Problem(link.id(), "no template with id `" + link.template() + "`", 0,
            0));
      } else if (positions.putIfAbsent(link.id(), new int[] {0, 0}) != null) {
        problems.add(new Problem(link.id(), "duplicate policy id `" + link.id() + "`", 0, 0));
      } else {
        try {
          named.add(t.link(link.id(), link.values().get(Slot.PRINCIPAL),
              link.values().get(Slot.RESOURCE)));
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(link.id(), e.getMessage() + " of template `" + t.id() + "`",
              0, 0));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new Problem.Refused("the template links are not valid", problems);
    }
    PolicySet set;
    try {
      set = PolicySet.of(named);
    } catch (CedarException e) {
      throw new Problem.Refused("the policies are not valid", List.of(Problem.of(e.getMessage())));
    }
    List<String> warnings = new ArrayList<>();
    if (schema != null) {
      ValidationResult r = new Validator(schema).validate(set);
      for (ValidationError e : r.errors()) {
        // The validator points at the offending expression; a template link's problems point
        // into its template's text.
        problems.add(new Problem(e.policyId(), e.message(), e.line(), e.column()));
      }
      for (ValidationError w : r.warnings()) {
        warnings.add(w.toString());
      }
      if (!problems.isEmpty()) {
        throw new Problem.Refused("the policies do not validate against the schema", problems);
      }
    }
    return new CompiledPolicies(v, schema, set, warnings);
  }
}
