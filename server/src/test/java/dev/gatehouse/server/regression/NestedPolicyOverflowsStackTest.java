package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.DeepStack;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.server.policy.Decision;
import dev.gatehouse.server.policy.DecisionLog;
import dev.gatehouse.server.policy.DecisionRequest;
import dev.gatehouse.server.policy.DecisionService;
import dev.gatehouse.server.policy.EntityService;
import dev.gatehouse.server.policy.InMemoryPolicyStore;
import dev.gatehouse.server.policy.PolicyService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GH-12: record literals nested 199 deep (inside the parser's limit of 200) overflowed the stack
 * of the admin policy API's virtual thread (the launcher's {@code -Xss512k}) and answered 500.
 * Here every step runs on a thread with half that stack: writing, validating and deciding with
 * a policy at the nesting limit must work, for every construct that nests.
 */
class NestedPolicyOverflowsStackTest {

  private static final long HALF_OF_XSS512K = 256 * 1024;

  private final InMemoryPolicyStore store = new InMemoryPolicyStore();
  private final PolicyService policies = new PolicyService(store, Clock.systemUTC(),
      Duration.ofHours(1));
  private final EntityService entities = new EntityService(store, List.of(), "Gatehouse",
      policies, Clock.systemUTC(), Duration.ofHours(1));
  private final DecisionLog log = new DecisionLog(events -> { }, 1.0, new SimpleMeterRegistry());
  private final DecisionService decisions = new DecisionService(policies, entities, log,
      Clock.systemUTC(), 100, new SimpleMeterRegistry());

  @AfterEach
  void close() {
    log.close();
  }

  private static String condition(String construct, int n) {
    return switch (construct) {
      case "records" -> "{a: ".repeat(n) + "1" + "}".repeat(n) + " has a";
      case "sets" -> "[".repeat(n) + "1" + "]".repeat(n) + " != []";
      case "parentheses" -> "(".repeat(n) + "true" + ")".repeat(n);
      case "if-then-else" -> "if true then ".repeat(n) + "true" + " else false".repeat(n);
      case "negations" -> "!(".repeat(n) + "false" + ")".repeat(n);
      case "or-chain" -> "false" + " || false".repeat(900) + " || true";
      default -> throw new IllegalArgumentException(construct);
    };
  }

  private static <T> T onSmallStack(Supplier<T> work) {
    return DeepStack.onNewThread(HALF_OF_XSS512K, work);
  }

  @ParameterizedTest
  @ValueSource(strings = {"records", "sets", "parentheses", "if-then-else", "negations",
      "or-chain"})
  void whenNestedToTheLimitThenWrittenValidatedAndDecided(String construct) {
    String text = "permit(principal, action, resource) when { " + condition(construct, 199)
        + " };";
    assertThat(onSmallStack(() -> policies.validate("deep", text).valid())).isTrue();
    assertThat(onSmallStack(() -> policies.putPolicies("deep", "admin", text, null).version()))
        .isEqualTo(1);
    Decision d = onSmallStack(() -> decisions.decide("deep", new DecisionRequest(new Request(
        EntityUid.of("User", "a"), EntityUid.of("Action", "read"), EntityUid.of("Doc", "d"),
        RecordValue.EMPTY), List.of(), null), "pep"));
    assertThat(d.errors()).isEmpty();
    assertThat(d.allow()).isTrue();
  }
}
