package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.keys.KeyAlgorithm;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A registered client's grants and return addresses, compared exactly. */
class ClientTest {

  final Client client = new Client("acme", "app", "App", Client.ClientType.PUBLIC,
      AuthMethod.NONE, null, Set.of(Grants.AUTHORIZATION_CODE), Set.of(), Client.TokenFormat.OPAQUE,
      KeyAlgorithm.ES256, 900, null, List.of(), 0, List.of("https://app.example.com/cb"),
      List.of("https://app.example.com/bye"), null, KeyAlgorithm.RS256);

  @Test
  void allowsGrantWhenRegisteredOnly() {
    assertThat(client.allowsGrant(Grants.AUTHORIZATION_CODE)).isTrue();
    assertThat(client.allowsGrant(Grants.REFRESH_TOKEN)).isFalse();
  }

  @Test
  @DisplayName("RFC 9700 §4.1.3: redirect URIs compared as exact strings")
  void hasRedirectWhenRegisteredExactlyThenTrue() {
    assertThat(client.hasRedirect("https://app.example.com/cb")).isTrue();
    assertThat(client.hasRedirect("https://app.example.com/cb/")).isFalse();
    assertThat(client.hasRedirect("https://APP.example.com/cb")).isFalse();
    assertThat(client.hasRedirect("https://app.example.com/cb?x=1")).isFalse();
    assertThat(client.hasRedirect("https://app.example.com/bye")).isFalse();
    assertThat(client.hasRedirect(null)).isFalse();
  }

  @Test
  @DisplayName("RP-Initiated Logout §2: \"The value MUST have been previously registered\"")
  void hasPostLogoutRedirectWhenRegisteredExactlyThenTrue() {
    assertThat(client.hasPostLogoutRedirect("https://app.example.com/bye")).isTrue();
    assertThat(client.hasPostLogoutRedirect("https://app.example.com/bye/")).isFalse();
    assertThat(client.hasPostLogoutRedirect("https://app.example.com/cb")).isFalse();
    assertThat(client.hasPostLogoutRedirect(null)).isFalse();
    assertThat(client.hasRedirect("https://app.example.com/bye")).isFalse();
  }

  @Test
  void valueWhenTypeOrFormatThenTheLowerCaseNameOfTheApi() {
    assertThat(Client.ClientType.CONFIDENTIAL.value()).isEqualTo("confidential");
    assertThat(Client.ClientType.PUBLIC.value()).isEqualTo("public");
    assertThat(Client.TokenFormat.JWT.value()).isEqualTo("jwt");
    assertThat(Client.TokenFormat.OPAQUE.value()).isEqualTo("opaque");
  }
}
