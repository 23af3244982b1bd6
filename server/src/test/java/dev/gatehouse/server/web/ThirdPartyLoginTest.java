package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Initiating Login from a Third Party, from the OP's side: the account page lists the applications
 * a person allowed that registered an {@code initiate_login_uri}, each linked there with the
 * tenant's issuer as {@code iss}.
 *
 * <p>One person in tenant {@code apps} allows four clients: two with an {@code initiate_login_uri}
 * (one of them with a query of its own), one without, and {@code shared}, whose namesake in tenant
 * {@code other} has one. A fifth client with an {@code initiate_login_uri} is not allowed. A person
 * of the same name in {@code other} allows that tenant's clients.
 */
@DisplayName("OpenID Connect Core 1.0 §4")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThirdPartyLoginTest {

  static final Pattern APPLICATION = Pattern.compile(
      "<a class=\"application\" href=\"([^\"]*)\">([^<]*)</a>");

  private TestServer server;
  private HostedSignIn apps;
  private HostedSignIn other;
  /** The {@code apps} person's account page, as their browser gets it. */
  private TestServer.Response page;
  /** The browser the {@code other} person signed in with. */
  private Browser otherBrowser;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_PASSWORDS_ARGON2_MEMORY_KIB",
        "1024"));
    apps = new HostedSignIn(server, "apps");
    other = new HostedSignIn(server, "other");
    JsonNode crm = client("apps", null, "CRM <Sales>", "https://crm.example.com/login");
    JsonNode wiki = client("apps", null, "Wiki",
        "https://wiki.example.com/start?team=blue%20green");
    JsonNode shared = client("apps", "shared", "Shared here", null);
    client("apps", null, "Mail", "https://mail.example.com/login");
    JsonNode sharedThere = client("other", "shared", "Shared there",
        "https://shared.example.com/login");
    JsonNode board = client("other", null, "Board", "https://board.example.com/login");

    apps.createUser("ada");
    Browser b = new Browser();
    allow(apps, b, "ada", apps.client, crm, wiki, shared);
    other.createUser("ada");
    otherBrowser = new Browser();
    allow(other, otherBrowser, "ada", sharedThere, board);
    page = b.get(apps.issuer() + "/account");
    assertThat(page.status()).as("%s", page).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private JsonNode client(String tenant, String id, String name, String initiateLoginUri) {
    Map<String, Object> r = new LinkedHashMap<>(Map.of("name", name,
        "grant_types", List.of("authorization_code"),
        "redirect_uris", List.of(HostedSignIn.REDIRECT)));
    if (id != null) {
      r.put("client_id", id);
    }
    if (initiateLoginUri != null) {
      r.put("initiate_login_uri", initiateLoginUri);
    }
    return server.createClient(tenant, r);
  }

  /** Signs {@code username} in to each client in turn in {@code b}, allowing consent. */
  private void allow(HostedSignIn t, Browser b, String username, JsonNode... clients) {
    for (JsonNode c : clients) {
      String url = t.authorizeUrl("").replace("client_id=" + t.clientId(),
          "client_id=" + c.get("client_id").asText());
      TestServer.Response first = t.go(b, url);
      TestServer.Response answer = HostedSignIn.walkToClient(b, server.baseUrl(), first,
          username, HostedSignIn.PASSWORD);
      assertThat(HostedSignIn.carriesCode(answer)).as("%s", answer).isTrue();
    }
  }

  /** The applications listed on {@code page}: link (unescaped) by name (as shown, escaped). */
  private static Map<String, String> applications(TestServer.Response page) {
    Map<String, String> found = new LinkedHashMap<>();
    Matcher m = APPLICATION.matcher(page.text());
    while (m.find()) {
      found.put(m.group(2), m.group(1).replace("&amp;", "&"));
    }
    return found;
  }

  private String iss() {
    return URLEncoder.encode(apps.issuer(), StandardCharsets.UTF_8);
  }

  @Nested
  @DisplayName("the account page's applications")
  class AccountPage {

    @Test
    @DisplayName("lists exactly the allowed clients with an initiate_login_uri, by name, escaped")
    void accountWhenClientsAllowedThenOnlyThoseWithInitiateLoginUriListed() {
      assertThat(page.text()).contains("<h2>Your applications</h2>");
      assertThat(applications(page).keySet())
          .containsExactly("CRM &lt;Sales&gt;", "Wiki");
    }

    @Test
    @DisplayName("links to initiate_login_uri with iss, the tenant's issuer, and nothing else")
    void accountWhenInitiateLoginUriHasNoQueryThenIssIsItsQuery() {
      assertThat(applications(page)).containsEntry("CRM &lt;Sales&gt;",
          "https://crm.example.com/login?iss=" + iss());
      assertThat(page.text()).doesNotContain("login_hint").doesNotContain("target_link_uri");
    }

    @Test
    @DisplayName("adds iss after & to an initiate_login_uri that has a query")
    void accountWhenInitiateLoginUriHasQueryThenIssIsAppended() {
      assertThat(applications(page)).containsEntry("Wiki",
          "https://wiki.example.com/start?team=blue%20green&iss=" + iss());
    }

    @Test
    @DisplayName("leaves out a client with an initiate_login_uri that the person did not allow")
    void accountWhenClientNotAllowedThenAbsent() {
      assertThat(applications(page)).as("the list is there").isNotEmpty()
          .doesNotContainKey("Mail");
      assertThat(page.text()).doesNotContain("mail.example.com");
    }

    @Test
    @DisplayName("leaves out other tenants' clients, even one of the same client id")
    void accountWhenOtherTenantsClientsAllowedThenAbsent() {
      assertThat(applications(page)).as("the list is there").isNotEmpty()
          .doesNotContainKeys("Shared there", "Shared here", "Board");
      assertThat(page.text()).doesNotContain("shared.example.com")
          .doesNotContain("board.example.com");
    }

    @Test
    @DisplayName("in the other tenant, lists that tenant's clients with that tenant's issuer")
    void accountWhenOtherTenantThenItsOwnApplicationsAndIssuer() {
      TestServer.Response there = otherBrowser.get(other.issuer() + "/account");
      assertThat(there.status()).as("%s", there).isEqualTo(200);
      String iss = URLEncoder.encode(other.issuer(), StandardCharsets.UTF_8);
      assertThat(applications(there)).containsExactly(
          Map.entry("Board", "https://board.example.com/login?iss=" + iss),
          Map.entry("Shared there", "https://shared.example.com/login?iss=" + iss));
    }
  }

  @Nested
  @DisplayName("the link")
  class Link {

    static final String ISSUER = "https://id.example.com/t/acme";
    static final String ISS = "iss=https%3A%2F%2Fid.example.com%2Ft%2Facme";

    @Test
    void linkWhenNoQueryThenQuestionMark() {
      assertThat(ThirdPartyLogin.link("https://app.example.com/login", ISSUER))
          .isEqualTo("https://app.example.com/login?" + ISS);
    }

    @Test
    void linkWhenQueryThenAmpersand() {
      assertThat(ThirdPartyLogin.link("https://app.example.com/login?a=1", ISSUER))
          .isEqualTo("https://app.example.com/login?a=1&" + ISS);
    }

    @Test
    void linkWhenEmptyQueryOrTrailingAmpersandThenNoSecondSeparator() {
      assertThat(ThirdPartyLogin.link("https://app.example.com/login?", ISSUER))
          .isEqualTo("https://app.example.com/login?" + ISS);
      assertThat(ThirdPartyLogin.link("https://app.example.com/login?a=1&", ISSUER))
          .isEqualTo("https://app.example.com/login?a=1&" + ISS);
    }

    @Test
    void linkWhenFragmentThenIssGoesInTheQueryBeforeIt() {
      assertThat(ThirdPartyLogin.link("https://app.example.com/login?a=1#start", ISSUER))
          .isEqualTo("https://app.example.com/login?a=1&" + ISS + "#start");
      assertThat(ThirdPartyLogin.link("https://app.example.com/#/login?x=1", ISSUER))
          .isEqualTo("https://app.example.com/?" + ISS + "#/login?x=1");
    }

    @Test
    void linkWhenIssuerHasReservedCharactersThenEncoded() {
      assertThat(ThirdPartyLogin.link("https://app.example.com/login",
          "https://id.example.com/t/a&b=c"))
          .isEqualTo("https://app.example.com/login"
              + "?iss=https%3A%2F%2Fid.example.com%2Ft%2Fa%26b%3Dc");
    }
  }
}
