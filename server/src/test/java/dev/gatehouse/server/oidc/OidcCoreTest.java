package dev.gatehouse.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenID Connect features the OpenID Foundation's OP certification plans check, each against a
 * real server over HTTP: request objects refused the way the client asked for the answer, the
 * RP-initiated logout error pages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcCoreTest {

  private TestServer server;
  private HostedSignIn site;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2, java.util.Map.of("GATEHOUSE_PASSWORDS_ARGON2_MEMORY_KIB", "1024"));
    site = new HostedSignIn(server, "oidc");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String unsignedJwt(String payloadJson) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  @Nested
  @DisplayName("OIDC Core §6.1 request objects")
  class RequestObjects {

    @Test
    void authorizeWhenUnsignedRequestObjectAsksFormPostThenErrorIsPostedWithItsState() {
      String request = unsignedJwt("{\"response_mode\":\"form_post\",\"state\":\"inside\","
          + "\"client_id\":\"" + site.clientId() + "\"}");
      TestServer.Response r = new Browser().get(site.authorizeUrl("&request=" + request)
          .replace("&state=s1", ""));
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(Browser.formAction(r.text())).isEqualTo(HostedSignIn.REDIRECT);
      assertThat(Browser.hiddenFields(r.text())).containsEntry("error", "request_not_supported")
          .containsEntry("state", "inside");
    }

    @Test
    void authorizeWhenRequestObjectStateDiffersThenTheObjectsStateIsReturned() {
      String request = unsignedJwt("{\"state\":\"from-object\"}");
      TestServer.Response r = new Browser().get(site.authorizeUrl("&request=" + request));
      assertThat(r.status()).isEqualTo(302);
      assertThat(r.header("Location")).startsWith(HostedSignIn.REDIRECT + "?")
          .contains("error=request_not_supported").contains("state=from-object")
          .doesNotContain("state=s1");
    }

    @Test
    void authorizeWhenRequestObjectUnreadableThenQueryStateAndModeAreUsed() {
      TestServer.Response r = new Browser().get(site.authorizeUrl("&request=not-a-jwt"));
      assertThat(r.header("Location")).contains("error=request_not_supported")
          .contains("state=s1");
    }
  }

  @Nested
  @DisplayName("RP-Initiated Logout 1.0 §2, §3")
  class LogoutErrors {

    @Test
    void logoutWhenReturnAddressWithoutHintOrClientThenPageSaysWhatIsMissing() {
      TestServer.Response r = new Browser().get(site.issuer() + "/logout?post_logout_redirect_uri="
          + URLEncoder.encode(HostedSignIn.REDIRECT, StandardCharsets.UTF_8));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("Location")).isNull();
      assertThat(r.text()).contains("id_token_hint or a client_id")
          .doesNotContain("not registered");
    }
  }
}
