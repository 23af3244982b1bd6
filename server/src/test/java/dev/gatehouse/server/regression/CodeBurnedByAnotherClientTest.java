package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GH-11: an authorization code was spent before the token endpoint checked that it was issued to
 * the client presenting it (RFC 6749 §4.1.3). Anyone holding a leaked code and any public
 * client_id of the tenant could burn it before the rightful client exchanged it, or, after, set
 * off the replay revocation of that client's tokens. The same holds for the rest of the binding:
 * without the PKCE verifier a request must change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodeBurnedByAnotherClientTest {

  private TestServer server;
  private UserSignIn in;
  private JsonNode web;
  private JsonNode spa;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("gh11");
    in = new UserSignIn(server, "gh11");
    web = in.webClient("web", Map.of());
    spa = server.createClient("gh11", Map.of("name", "spa", "public", true,
        "grant_types", List.of("authorization_code"),
        "redirect_uris", List.of(UserSignIn.REDIRECT)));
    in.user("erin");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TestServer.Response asPublicClient(UserSignIn.Code code, String verifier) {
    return server.postForm("/t/gh11/oauth2/token", "grant_type=authorization_code&client_id="
        + spa.get("client_id").asText() + "&code=" + UserSignIn.enc(code.value())
        + "&redirect_uri=" + UserSignIn.enc(UserSignIn.REDIRECT) + "&code_verifier=" + verifier,
        null);
  }

  @Test
  void whenAnotherClientPresentsTheCodeFirstThenTheRightfulClientStillGetsTokens() {
    UserSignIn.Code code = in.code(new Browser(), web, "erin", "openid");
    TestServer.Response stolen = asPublicClient(code, code.verifier());
    assertThat(stolen.status()).isEqualTo(400);
    assertThat(stolen.json().get("error").asText()).isEqualTo("invalid_grant");

    TestServer.Response rightful = in.exchange(web, code);
    assertThat(rightful.status()).as("%s", rightful).isEqualTo(200);
  }

  @Test
  void whenAnotherClientReplaysAnExchangedCodeThenTheRightfulTokensStayActive() {
    UserSignIn.Code code = in.code(new Browser(), web, "erin", "openid");
    TestServer.Response rightful = in.exchange(web, code);
    assertThat(rightful.status()).as("%s", rightful).isEqualTo(200);
    String at = rightful.json().get("access_token").asText();

    assertThat(asPublicClient(code, code.verifier()).status()).isEqualTo(400);
    assertThat(in.active(web, at)).isTrue();
  }

  @Test
  void whenTheVerifierIsWrongThenTheCodeIsNotSpent() {
    UserSignIn.Code code = in.code(new Browser(), web, "erin", "openid");
    TestServer.Response wrong = in.exchange(web, new UserSignIn.Code(code.value(),
        "wrong-verifier-wrong-verifier-wrong-verifier-0"));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(in.exchange(web, code).status()).isEqualTo(200);
  }
}
