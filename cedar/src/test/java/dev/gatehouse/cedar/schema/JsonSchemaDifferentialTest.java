package dev.gatehouse.cedar.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON schema format against the Cedar syntax: the official engine (cedar-java 4.10) converts
 * corpus schemas to JSON, and both of our parsers must build the same model from the two forms.
 */
class JsonSchemaDifferentialTest {
  @Test
  void parseJsonWhenOfficialConversionOfCorpusSchemaThenSameModelAsCedarSyntax() throws Exception {
    dev.gatehouse.cedar.validation.OfficialEngine.assumeAvailable();
    Path root = dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    List<Path> schemas = dev.gatehouse.cedar.conformance.ConformanceCorpus.schemas(root);
    int every = Integer.getInteger("cedar.jsonSchemaSample", 10);
    int compared = 0;
    for (int i = 0; i < schemas.size(); i += every) {
      String text = Files.readString(schemas.get(i));
      String json;
      try {
        json = new com.cedarpolicy.model.schema.Schema(text).toJsonFormat().toString();
      } catch (Exception jniCannotPassIt) {
        // cedar-java's JNI bridge rejects some strings (e.g. with NUL); nothing to compare.
        continue;
      }
      compared++;
      Schema fromCedar = Schema.parseCedar(text);
      Schema fromJson;
      try {
        fromJson = Schema.parseJson(json);
      } catch (SchemaException e) {
        throw new AssertionError(schemas.get(i) + ": " + e.getMessage() + "\n" + json, e);
      }
      assertThat(fromJson.entityTypes()).as(schemas.get(i).toString()).isEqualTo(fromCedar.entityTypes());
      assertThat(fromJson.actions()).as(schemas.get(i).toString()).isEqualTo(fromCedar.actions());
    }
    assertThat(compared).isPositive();
  }
}
