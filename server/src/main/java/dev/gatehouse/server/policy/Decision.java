package dev.gatehouse.server.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link DecisionRequest}: allow or deny, the policies that determined it with
 * their annotations, the errors met (any error that kept a decision from being made is a deny),
 * and the versions it was made at.
 */
public record Decision(boolean allow, List<Reason> reasons, List<Problem> errors,
    long policyVersion, long entityVersion) {

  /** A determining policy and its annotations (e.g. {@code @id}, {@code @reason}). */
  public record Reason(String id, Map<String, String> annotations) {}

  /** The JSON of {@code POST /t/{tenant}/v1/authorize}. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision", allow ? "allow" : "deny");
    List<Map<String, Object>> rs = new ArrayList<>(reasons.size());
    for (Reason r : reasons) {
      rs.add(Map.of("id", r.id(), "annotations", r.annotations()));
    }
    m.put("reasons", rs);
    List<Map<String, Object>> es = new ArrayList<>(errors.size());
    for (Problem p : errors) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("policy", p.policy());
      e.put("message", p.message());
      es.add(e);
    }
    m.put("errors", es);
    m.put("policy_version", policyVersion);
    m.put("entity_version", entityVersion);
    return m;
  }
}
