package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.Slot;
import dev.gatehouse.cedar.parser.PolicyParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable set of static policies, templates, and template links.
 *
 * <p>Parsed policies get the ids {@code policy0}, {@code policy1}, ... in textual order; templates
 * share that numbering. {@link #link} returns a new set with one more linked policy.
 */
public final class PolicySet {
  /** The empty policy set. */
  public static final PolicySet EMPTY = new PolicySet(Map.of(), Map.of(), Map.of());

  private final Map<String, Policy> statics;
  private final Map<String, Policy> templates;
  private final Map<String, Policy> links;
  private final Map<String, Link> linkInfo;
  private final List<Policy> effective;
  // INVARIANT: compiled.get(i) is effective.get(i) compiled.
  private final List<CompiledPolicy> compiled;
  private final PolicyIndex index;
  private final int depth;

  /**
   * How a linked policy was made.
   *
   * @param templateId the template
   * @param linkId the id of the linked policy
   * @param values the entity for each slot of the template
   */
  public record Link(String templateId, String linkId, Map<Slot, EntityUid> values) {
    public Link {
      values = Map.copyOf(values);
    }
  }

  private PolicySet(Map<String, Policy> statics, Map<String, Policy> templates, Map<String, Policy> links) {
    this(statics, templates, links, Map.of(), 0);
  }

  private PolicySet(Map<String, Policy> statics, Map<String, Policy> templates, Map<String, Policy> links, Map<String, Link> linkInfo, int depth) {
    this.depth = depth;
    this.statics = statics;
    this.templates = templates;
    this.links = links;
    this.linkInfo = linkInfo;
    List<Policy> all = new ArrayList<>(statics.values());
    all.addAll(links.values());
    this.effective = Collections.unmodifiableList(all);
    List<CompiledPolicy> c = new ArrayList<>(all.size());
    for (Policy p : all) {
      c.add(new CompiledPolicy(p));
    }
    this.compiled = Collections.unmodifiableList(c);
    this.index = new PolicyIndex(this.compiled);
  }

  /**
   * Builds a set, compiling its policies on the {@link DeepStack} when a condition nests deeply
   * (compilation recurses as deep as the expression).
   */
  private static PolicySet create(Map<String, Policy> statics, Map<String, Policy> templates, Map<String, Policy> links, Map<String, Link> linkInfo) {
    int depth = Math.max(DeepStack.depth(statics.values()), Math.max(DeepStack.depth(templates.values()), DeepStack.depth(links.values())));
    return DeepStack.callIf(depth > DeepStack.INLINE_DEPTH && !DeepStack.active(), () -> new PolicySet(statics, templates, links, linkInfo, depth));
  }

  /** Whether a condition of this set nests deeper than {@link DeepStack#INLINE_DEPTH}. */
  public boolean deep() {
    return depth > DeepStack.INLINE_DEPTH;
  }

  /** The depth of the deepest condition of this set's policies and templates. */
  public int depth() {
    return depth;
  }

  /** Returns the principal index over {@link #compiled()}. */
  PolicyIndex index() {
    return index;
  }

  /** Returns the compiled static and linked policies. */
  List<CompiledPolicy> compiled() {
    return compiled;
  }

  /**
   * Parses Cedar policy text.
   *
   * @throws ParseException on a syntax error
   */
  public static PolicySet parse(String text) {
    return of(PolicyParser.parsePolicies(text));
  }

  /**
   * Returns a set of the given policies and templates, keyed by their ids.
   *
   * @throws CedarException if two share an id
   */
  public static PolicySet of(Collection<Policy> policies) {
    Map<String, Policy> s = new LinkedHashMap<>();
    Map<String, Policy> t = new LinkedHashMap<>();
    for (Policy p : policies) {
      if (s.containsKey(p.id()) || t.containsKey(p.id())) {
        throw new CedarException("duplicate policy id `" + p.id() + "`");
      }
      (p.isTemplate() ? t : s).put(p.id(), p);
    }
    return create(Collections.unmodifiableMap(s), Collections.unmodifiableMap(t), Map.of(), Map.of());
  }

  /**
   * Returns a new set where template {@code templateId} is linked as {@code linkId}.
   *
   * @throws CedarException if the template does not exist, the id is taken, or a slot has no value
   */
  public PolicySet link(String templateId, String linkId, Map<Slot, EntityUid> values) {
    Policy t = templates.get(templateId);
    if (t == null) {
      throw new CedarException("no template with id `" + templateId + "`");
    }
    if (statics.containsKey(linkId) || templates.containsKey(linkId) || links.containsKey(linkId)) {
      throw new CedarException("duplicate policy id `" + linkId + "`");
    }
    for (Slot s : t.slots()) {
      if (!values.containsKey(s)) {
        throw new CedarException("no value given for slot `" + s.text() + "` of template `" + templateId + "`");
      }
    }
    Policy linked = t.link(linkId, values.get(Slot.PRINCIPAL), values.get(Slot.RESOURCE));
    Map<String, Policy> l = new LinkedHashMap<>(links);
    l.put(linkId, linked);
    Map<String, Link> info = new LinkedHashMap<>(linkInfo);
    Map<Slot, EntityUid> used = new java.util.EnumMap<>(Slot.class);
    for (Slot s : t.slots()) {
      used.put(s, values.get(s));
    }
    info.put(linkId, new Link(templateId, linkId, used));
    return create(statics, templates, Collections.unmodifiableMap(l), Collections.unmodifiableMap(info));
  }

  /** Returns the static and linked policies: those the authorizer evaluates. */
  public List<Policy> policies() {
    return effective;
  }

  /** Returns the static policies by id. */
  public Map<String, Policy> staticPolicies() {
    return statics;
  }

  /** Returns the templates by id. */
  public Map<String, Policy> templates() {
    return templates;
  }

  /** Returns how each linked policy was made, by link id. */
  public Map<String, Link> linkInfo() {
    return linkInfo;
  }

  /** Returns the linked policies by id. */
  public Map<String, Policy> links() {
    return links;
  }
}
