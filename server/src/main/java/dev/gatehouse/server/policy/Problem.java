package dev.gatehouse.server.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One thing wrong with submitted policies, schema, links or entities.
 *
 * @param policy the policy (or template link) id it is about, or null
 * @param message what is wrong, in the Cedar tools' wording
 * @param line 1-based line in the submitted text, or 0 when there is no single place
 * @param column 1-based column, or 0
 */
public record Problem(String policy, String message, int line, int column) {

  static Problem of(String message) {
    return new Problem(null, message, 0, 0);
  }

  /** The JSON form used in problem+json {@code errors} and in validation reports. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (policy != null) {
      m.put("policy", policy);
    }
    m.put("message", message);
    if (line > 0) {
      m.put("line", line);
      m.put("column", column);
    }
    return m;
  }

  static List<Map<String, Object>> toJson(List<Problem> problems) {
    return problems.stream().map(Problem::toJson).toList();
  }

  /** Thrown when a write is refused; the active version stays as it was. */
  public static final class Refused extends RuntimeException {
    private final transient List<Problem> problems;

    public Refused(String summary, List<Problem> problems) {
      super(summary, null, false, false);
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }
}
