package dev.gatehouse.server.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gatehouse.server.http.Exchange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link DecisionRequest}: allow or deny, the policies that determined it with
 * their annotations, the errors met (any error that kept a decision from being made is a deny),
 * and the versions it was made at. Immutable; its JSON forms are rendered once and kept, since a
 * cached decision is answered many times.
 */
public final class Decision {

  /** A determining policy and its annotations (e.g. {@code @id}, {@code @reason}). */
  public record Reason(String id, Map<String, String> annotations) {}

  private final boolean allow;
  private final List<Reason> reasons;
  private final List<Problem> errors;
  private final long policyVersion;
  private final long entityVersion;
  private volatile byte[] json;
  private volatile byte[] authzenJson;

  public Decision(boolean allow, List<Reason> reasons, List<Problem> errors, long policyVersion,
      long entityVersion) {
    this.allow = allow;
    this.reasons = List.copyOf(reasons);
    this.errors = List.copyOf(errors);
    this.policyVersion = policyVersion;
    this.entityVersion = entityVersion;
  }

  public boolean allow() {
    return allow;
  }

  public List<Reason> reasons() {
    return reasons;
  }

  public List<Problem> errors() {
    return errors;
  }

  public long policyVersion() {
    return policyVersion;
  }

  public long entityVersion() {
    return entityVersion;
  }

  /** The JSON of {@code POST /t/{tenant}/v1/authorize}. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision", allow ? "allow" : "deny");
    m.put("reasons", reasonsJson());
    m.put("errors", errorsJson());
    m.put("policy_version", policyVersion);
    m.put("entity_version", entityVersion);
    return m;
  }

  List<Map<String, Object>> reasonsJson() {
    List<Map<String, Object>> rs = new ArrayList<>(reasons.size());
    for (Reason r : reasons) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.id());
      m.put("annotations", r.annotations());
      rs.add(m);
    }
    return rs;
  }

  List<Map<String, Object>> errorsJson() {
    List<Map<String, Object>> es = new ArrayList<>(errors.size());
    for (Problem p : errors) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("policy", p.policy());
      e.put("message", p.message());
      if (p.line() > 0) {
        // Where in the active policy text the failing expression is.
        e.put("line", p.line());
        e.put("column", p.column());
      }
      es.add(e);
    }
    return es;
  }

  /** {@link #toJson()} as bytes, rendered once. */
  byte[] jsonBytes() {
    byte[] b = json;
    if (b == null) {
      json = b = bytes(toJson());
    }
    return b;
  }

  /** {@link AuthZen#response} as bytes, rendered once. */
  byte[] authzenBytes() {
    byte[] b = authzenJson;
    if (b == null) {
      authzenJson = b = bytes(AuthZen.response(this));
    }
    return b;
  }

  private static byte[] bytes(Object o) {
    try {
      return Exchange.JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return (allow ? "allow" : "deny") + " " + reasons + " " + errors;
  }
}
