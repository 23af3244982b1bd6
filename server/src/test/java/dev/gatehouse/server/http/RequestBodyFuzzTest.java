package dev.gatehouse.server.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;

/**
 * The shared body decoders: form bodies (token, introspection, revocation, sign-in pages) and
 * JSON bodies of the admin API, with their limits. Only the exceptions each maps to a 400 may
 * escape (docs/fuzzing.md).
 */
class RequestBodyFuzzTest {

  @FuzzTest
  void form(byte[] input) {
    try {
      Form.parse(input);
    } catch (HttpError expected) {
      // documented: invalid_request
    }
  }

  @FuzzTest
  void json(byte[] input) {
    try {
      Exchange.JSON.readTree(input);
    } catch (StreamConstraintsException e) {
      Exchange.exceeded(e);
    } catch (JsonProcessingException expected) {
      // documented: "the body is not valid JSON"
    } catch (IOException expected) {
      // likewise
    }
  }
}
