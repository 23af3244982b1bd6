package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GH-02: disabling, deleting or resetting the password of a user did not end their access. The
 * SSO session kept producing codes and refresh tokens kept rotating, because nothing linked them
 * to the user and nothing looked at the user again. Now each of the three ends the user's
 * sessions, refresh tokens and access tokens (JWT and opaque) with a
 * {@code user.credentials_revoked} event. Runs once per database.
 *
 * <p>Found by the sweep: an administrator removing a user's second factors (a lost phone, a
 * suspected compromise) left the sessions and tokens obtained with them alive; it now ends them
 * as a password reset does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DisabledUserKeepsAccessContract {

  private TestServer server;

  abstract TestDatabase database();

  @BeforeAll
  void start() {
    // The back-channel logout receiver listens on loopback: allow-listed for outbound calls.
    server = TestServer.start(database(), Map.of("GATEHOUSE_OUTBOUND_ALLOWED_NETWORKS",
        "127.0.0.1/32"));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Signs a user in to a JWT and an opaque client, ends their access, checks all of it ended. */
  private void accessEndsWhen(String tenant, String reason,
      BiConsumer<String, String> endAccess) {
    server.createTenant(tenant);
    UserSignIn in = new UserSignIn(server, tenant);
    JsonNode jwtClient = in.webClient("web", Map.of());
    JsonNode opaqueClient = in.webClient("legacy", Map.of("token_format", "opaque"));
    String userId = in.user("alice");
    Browser browser = new Browser();
    JsonNode jwt = in.tokens(browser, jwtClient, "alice", "openid offline_access");
    JsonNode opaque = in.tokens(browser, opaqueClient, "alice", "openid offline_access");
    // A rotation first, so that the family holds more than one token and access token.
    JsonNode rotated = in.refresh(jwtClient, jwt.get("refresh_token").asText(), null).json();
    assertThat(in.silentAuthorize(browser, jwtClient).getQuery()).contains("code=");
    long mark = server.admin("GET", "/admin/v1/tenants/" + tenant + "/events", null).json()
        .get("last_id").asLong();

    endAccess.accept(tenant, userId);

    TestServer.Response refresh = in.refresh(jwtClient,
        rotated.get("refresh_token").asText(), null);
    assertThat(refresh.status()).as("%s", refresh).isEqualTo(400);
    assertThat(refresh.json().get("error").asText()).isEqualTo("invalid_grant");
    assertThat(in.refresh(opaqueClient, opaque.get("refresh_token").asText(), null).status())
        .isEqualTo(400);
    assertThat(in.active(jwtClient, jwt.get("access_token").asText())).isFalse();
    assertThat(in.active(jwtClient, rotated.get("access_token").asText())).isFalse();
    assertThat(in.active(opaqueClient, opaque.get("access_token").asText())).isFalse();
    URI silent = in.silentAuthorize(browser, jwtClient);
    assertThat(UserSignIn.param(silent, "code")).as("%s", silent).isNull();
    assertThat(UserSignIn.param(silent, "error")).isEqualTo("login_required");

    List<JsonNode> events = new ArrayList<>();
    server.admin("GET", "/admin/v1/tenants/" + tenant + "/events?after=" + mark, null).json()
        .get("items").forEach(e -> {
          if (e.get("type").asText().equals("user.credentials_revoked")) {
            events.add(e.get("payload"));
          }
        });
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("user_id").asText()).isEqualTo(userId);
    assertThat(events.get(0).get("reason").asText()).isEqualTo(reason);
    assertThat(events.get(0).get("sessions").asInt()).isEqualTo(1);
    assertThat(events.get(0).get("refresh_families").asInt()).isEqualTo(2);
  }

  @Test
  void whenUserDisabledThenSessionRefreshAndAccessTokensEnd() {
    accessEndsWhen("gh02-disabled", "disabled", (tenant, user) -> assertThat(server.admin(
        "PATCH", "/admin/v1/tenants/" + tenant + "/users/" + user, Map.of("disabled", true))
        .status()).isEqualTo(200));
  }

  @Test
  void whenUserDeletedThenSessionRefreshAndAccessTokensEnd() {
    accessEndsWhen("gh02-deleted", "deleted", (tenant, user) -> assertThat(server.admin(
        "DELETE", "/admin/v1/tenants/" + tenant + "/users/" + user, null).status())
        .isEqualTo(204));
  }

  @Test
  void whenAdminResetsPasswordThenSessionRefreshAndAccessTokensEnd() {
    accessEndsWhen("gh02-reset", "password_reset", (tenant, user) -> assertThat(server.admin(
        "POST", "/admin/v1/tenants/" + tenant + "/users/" + user + "/password",
        Map.of("password", "another horse battery staple")).status()).isEqualTo(204));
  }

  @Test
  void whenAdminResetsFactorsThenSessionRefreshAndAccessTokensEnd() {
    accessEndsWhen("sweep-factors", "factors_reset", (tenant, user) -> assertThat(server.admin(
        "DELETE", "/admin/v1/tenants/" + tenant + "/users/" + user + "/factors", null).status())
        .isEqualTo(200));
  }

  @Test
  void whenUserDisabledAndEnabledAgainThenOldRefreshTokenStaysRevoked() {
    String tenant = "gh02-reenabled";
    server.createTenant(tenant);
    UserSignIn in = new UserSignIn(server, tenant);
    JsonNode client = in.webClient("web", Map.of());
    String userId = in.user("bob");
    JsonNode tokens = in.tokens(new Browser(), client, "bob", "openid offline_access");
    String path = "/admin/v1/tenants/" + tenant + "/users/" + userId;
    assertThat(server.admin("PATCH", path, Map.of("disabled", true)).status()).isEqualTo(200);
    assertThat(server.admin("PATCH", path, Map.of("disabled", false)).status()).isEqualTo(200);
    assertThat(in.refresh(client, tokens.get("refresh_token").asText(), null).status())
        .isEqualTo(400);
  }

  @Test
  void whenUserDisabledThenClientsWithBackChannelLogoutAreToldOfTheEndedSession()
      throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    HttpServer rp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    rp.createContext("/bc", exchange -> {
      received.complete(new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    rp.start();
    try {
      String tenant = "gh02-backchannel";
      server.createTenant(tenant);
      UserSignIn in = new UserSignIn(server, tenant);
      JsonNode client = in.webClient("web", Map.of("backchannel_logout_uri",
          "http://127.0.0.1:" + rp.getAddress().getPort() + "/bc"));
      String userId = in.user("grace");
      JsonNode tokens = in.tokens(new Browser(), client, "grace", "openid");
      String sid = SignedJWT.parse(tokens.get("id_token").asText()).getJWTClaimsSet()
          .getStringClaim("sid");
      assertThat(server.admin("PATCH", "/admin/v1/tenants/" + tenant + "/users/" + userId,
          Map.of("disabled", true)).status()).isEqualTo(200);

      String form = received.get(10, TimeUnit.SECONDS);
      assertThat(form).startsWith("logout_token=");
      JWTClaimsSet claims = SignedJWT.parse(URLDecoder.decode(
          form.substring("logout_token=".length()), StandardCharsets.UTF_8)).getJWTClaimsSet();
      assertThat(claims.getStringClaim("sid")).isEqualTo(sid);
      assertThat(claims.getSubject()).isEqualTo(userId);
    } finally {
      rp.stop(0);
    }
  }
}
