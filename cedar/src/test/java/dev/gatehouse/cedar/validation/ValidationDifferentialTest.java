package dev.gatehouse.cedar.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Differential test against the official engine (cedar-java 4.10, test scope only): mutants of a
 * sample of corpus policies must get the same strict validation verdict from both validators.
 * {@link ValidationDifferentialProbe#main} runs the same over the whole corpus.
 */
class ValidationDifferentialTest {
  @Test
  void validateWhenCorpusPolicyMutatedThenAgreesWithOfficialEngine() throws Exception {
    dev.gatehouse.cedar.validation.OfficialEngine.assumeAvailable();
    Path root = dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    List<String> out = ValidationDifferentialProbe.run(root, 40, 3, 7);
    assertThat(out.subList(0, out.size() - 1)).isEmpty();
    assertThat(out.get(out.size() - 1)).contains(" 0 disagree");
  }

  @Test
  void validateWhenSchemaAwareRandomPolicyThenAgreesWithOfficialEngine() throws Exception {
    dev.gatehouse.cedar.validation.OfficialEngine.assumeAvailable();
    Path root = dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    List<String> out = PolicyFuzzProbe.run(root, 50, 4, 3);
    assertThat(out.subList(0, out.size() - 1)).isEmpty();
    assertThat(out.get(out.size() - 1)).contains(" 0 disagree");
  }
}
