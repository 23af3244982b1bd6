package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The first page a newcomer opens, {@code /}, was a raw JSON {@code not_found}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LandingPageTest {

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("secretcorp");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void rootWhenOpenedThenHtmlPageLeadingOnWithoutListingTenants() {
    TestServer.Response r = server.get("/");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("text/html");
    assertThat(r.header("content-security-policy")).contains("default-src 'none'");
    assertThat(r.text()).contains("Gatehouse is running").contains("/health/ready")
        .contains(server.baseUrl() + "/t/").contains("gatehouse help")
        .doesNotContain("secretcorp").doesNotContain("/t/system");
    // Hosted-page layout: h2 below h1 in size, and space only between two buttons (a lone
    // secondary button was indented; a hidden button before it counts as none).
    assertThat(r.text()).contains("h2{font-size:1.1rem")
        .contains("button:not([hidden])+button{margin-left")
        .doesNotContainPattern("button\\.secondary\\{[^}]*margin-left");
  }

  @Test
  void rootWhenTenantGivenThenRedirectsToItsAccountPageOrDiscovery() {
    TestServer.Response account = server.send(HttpRequest.newBuilder(
        URI.create(server.httpUrl() + "/?tenant=Acme&go=account")).build());
    assertThat(account.status()).isEqualTo(303);
    assertThat(account.header("location")).isEqualTo("/t/acme/account");
    TestServer.Response discovery = server.send(HttpRequest.newBuilder(
        URI.create(server.httpUrl() + "/?tenant=acme&go=discovery")).build());
    assertThat(discovery.header("location")).isEqualTo("/t/acme/.well-known/openid-configuration");
  }

  @Test
  void rootWhenTenantNameInvalidThenNoRedirectAnywhere() {
    TestServer.Response r = server.send(HttpRequest.newBuilder(
        URI.create(server.httpUrl() + "/?tenant=%2F%2Fevil.example&go=account")).build());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("location")).isNull();
  }
}
