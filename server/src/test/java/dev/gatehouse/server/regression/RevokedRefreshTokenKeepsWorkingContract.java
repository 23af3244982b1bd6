package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GH-05: {@code /oauth2/revoke} and the admin {@code tokens/revoke} answered 200 for a refresh
 * token and the token kept working: only access tokens were looked up. RFC 7009 §2.1: revoking a
 * refresh token revokes it (we revoke its family) and SHOULD revoke "all access tokens based on
 * the same authorization grant". Runs once per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RevokedRefreshTokenKeepsWorkingContract {

  private TestServer server;
  private UserSignIn in;

  abstract TestDatabase database();

  @BeforeAll
  void start() {
    server = TestServer.start(database());
    server.createTenant("gh05");
    in = new UserSignIn(server, "gh05");
    in.user("carol");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Tokens, then one rotation: the first access token, the second one and the current refresh. */
  private JsonNode[] rotatedTokens(JsonNode client) {
    JsonNode first = in.tokens(new Browser(), client, "carol", "openid offline_access");
    TestServer.Response r = in.refresh(client, first.get("refresh_token").asText(), null);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return new JsonNode[] {first, r.json()};
  }

  private void familyAndItsAccessTokensAreRevoked(JsonNode client, JsonNode[] t) {
    TestServer.Response r = in.refresh(client, t[1].get("refresh_token").asText(), null);
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.json().get("error").asText()).isEqualTo("invalid_grant");
    assertThat(in.active(client, t[0].get("access_token").asText())).isFalse();
    assertThat(in.active(client, t[1].get("access_token").asText())).isFalse();
  }

  @Test
  void whenClientRevokesItsRefreshTokenThenFamilyAndItsAccessTokensAreRevoked() {
    for (String format : new String[] {"jwt", "opaque"}) {
      JsonNode client = in.webClient("web-" + format, Map.of("token_format", format));
      JsonNode[] t = rotatedTokens(client);
      TestServer.Response revoked = server.postForm("/t/gh05/oauth2/revoke", "token="
          + UserSignIn.enc(t[1].get("refresh_token").asText())
          + "&token_type_hint=refresh_token", UserSignIn.basic(client));
      assertThat(revoked.status()).as("%s", revoked).isEqualTo(200);
      familyAndItsAccessTokensAreRevoked(client, t);
    }
  }

  @Test
  void whenRefreshTokenRevokedWithoutHintThenItIsFoundAndRevoked() {
    JsonNode client = in.webClient("web-nohint", Map.of());
    JsonNode[] t = rotatedTokens(client);
    assertThat(server.postForm("/t/gh05/oauth2/revoke", "token="
        + UserSignIn.enc(t[1].get("refresh_token").asText()), UserSignIn.basic(client)).status())
        .isEqualTo(200);
    familyAndItsAccessTokensAreRevoked(client, t);
  }

  @Test
  void whenAdminRevokesRefreshTokenThenFamilyAndItsAccessTokensAreRevoked() {
    JsonNode client = in.webClient("web-admin", Map.of());
    JsonNode[] t = rotatedTokens(client);
    TestServer.Response r = server.admin("POST", "/admin/v1/tenants/gh05/tokens/revoke",
        Map.of("token", t[1].get("refresh_token").asText()));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.json().get("revoked").asBoolean()).isTrue();
    familyAndItsAccessTokensAreRevoked(client, t);
  }

  @Test
  void whenAnotherClientRevokesTheRefreshTokenThen200AndItKeepsWorking() {
    JsonNode client = in.webClient("web-owner", Map.of());
    JsonNode other = in.webClient("web-other", Map.of());
    JsonNode[] t = rotatedTokens(client);
    assertThat(server.postForm("/t/gh05/oauth2/revoke", "token="
        + UserSignIn.enc(t[1].get("refresh_token").asText()), UserSignIn.basic(other)).status())
        .isEqualTo(200);
    assertThat(in.refresh(client, t[1].get("refresh_token").asText(), null).status())
        .isEqualTo(200);
  }
}
