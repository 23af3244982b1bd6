package dev.gatehouse.cedar.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Differential test against the official engine (cedar-java 4.10, test scope only): mutants of a
 * sample of corpus schemas must be accepted or rejected by both parsers alike. {@link
 * SchemaDifferentialProbe#main} runs the same over the whole corpus.
 */
class SchemaDifferentialTest {
  @Test
  void parseCedarWhenCorpusSchemaMutatedThenAgreesWithOfficialEngine() throws Exception {
    dev.gatehouse.cedar.validation.OfficialEngine.assumeAvailable();
    Path root = dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    List<String> out = SchemaDifferentialProbe.run(root, 25, 4, 11);
    assertThat(out.subList(0, out.size() - 1)).isEmpty();
    assertThat(out.get(out.size() - 1)).contains(" 0 disagree");
  }
}
