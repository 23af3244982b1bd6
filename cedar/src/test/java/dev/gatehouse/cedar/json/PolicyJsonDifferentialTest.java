package dev.gatehouse.cedar.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.Generators;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.format.PolicyFormatter;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Our JSON policy format matches the official one (cedar-java): we read what it writes, and it
 * reads what we write, to the same policy.
 */
class PolicyJsonDifferentialTest {
  @Provide
  Arbitrary<Policy> policies() {
    return Generators.policies();
  }

  /**
   * Upstream writes {@code action in [A]} as {@code action in A} (the same constraint) and keeps
   * annotations sorted by key (their order has no meaning).
   */
  private static Policy normalize(Policy p) {
    ScopeConstraint a = p.action();
    if (a instanceof ScopeConstraint.InSet s && s.entities().size() == 1) {
      a = new ScopeConstraint.In(s.entities().get(0));
    }
    java.util.List<dev.gatehouse.cedar.ast.Annotation> sorted = new java.util.ArrayList<>(p.annotations());
    sorted.sort(java.util.Comparator.comparing(dev.gatehouse.cedar.ast.Annotation::key));
    return new Policy(p.id(), p.effect(), sorted, p.principal(), a, p.resource(), p.conditions());
  }

  @Property(tries = 1000)
  void jsonWhenExchangedWithOfficialEngineThenSamePolicy(@ForAll("policies") Policy p) throws Exception {
    String text = PolicyFormatter.format(p);
    Policy ours = normalize(p);
    String theirJson = com.cedarpolicy.model.policy.Policy.parseStaticPolicy(text).toJson();
    assertThat(normalize(PolicyJson.parsePolicy(theirJson, p.id()))).as("reading official JSON %s", theirJson).isEqualTo(ours);
    String ourJson = JsonWriter.write(PolicyJson.toJson(p));
    String roundTrip = com.cedarpolicy.model.policy.Policy.fromJson(p.id(), ourJson).toJson();
    assertThat(normalize(PolicyJson.parsePolicy(roundTrip, p.id()))).as("official engine reading %s", ourJson).isEqualTo(ours);
  }
}
