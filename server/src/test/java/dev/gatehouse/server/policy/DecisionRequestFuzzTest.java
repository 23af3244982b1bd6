package dev.gatehouse.server.policy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.cedar.json.Json;
import java.util.Optional;

/**
 * The decision endpoints' request decoders, fed what a caller may post: {@code /v1/authorize}
 * (and batch) and AuthZEN evaluation(s). Only {@link Uids.BadRequest} (a 400) may escape; any
 * other exception or error would be a 500 (docs/fuzzing.md).
 */
class DecisionRequestFuzzTest {

  private static final String NS = "Gatehouse";
  private static final DecisionJson JSON = new DecisionJson(NS, EntityLimits.DEFAULT,
      token -> Optional.empty());

  private static Json.Obj body(byte[] input) {
    return input.length > 256 * 1024 ? null : DecisionJson.object(input);
  }

  @FuzzTest
  void authorize(byte[] input) {
    try {
      Json.Obj o = body(input);
      if (o == null) {
        return;
      }
      if (o.get("requests") != null) {
        JSON.batch(o);
      } else {
        JSON.request(o);
      }
    } catch (Uids.BadRequest expected) {
      // documented: a 400
    }
  }

  @FuzzTest
  void authZen(byte[] input) {
    try {
      Json.Obj o = body(input);
      if (o == null) {
        return;
      }
      if (o.get("evaluations") != null || o.get("options") != null) {
        AuthZen.evaluations(o, NS);
      } else {
        AuthZen.evaluation(o, NS);
      }
    } catch (Uids.BadRequest expected) {
      // documented: a 400
    }
  }
}
