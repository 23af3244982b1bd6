package dev.gatehouse.server.web;

import dev.gatehouse.server.oauth.Client;
import dev.gatehouse.server.oauth.ClientService;
import dev.gatehouse.server.session.ConsentStore;
import dev.gatehouse.server.web.page.AccountPage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The applications a person can start a sign-in at from their account page: OpenID Connect Core
 * 1.0 §4, Initiating Login from a Third Party, with this OP as the third party.
 *
 * <p>Listed are the tenant's clients that the person has granted consent to and that registered an
 * {@code initiate_login_uri}; a client is looked up in the person's own tenant only, so another
 * tenant's client of the same id is never listed. Each link is that URI with {@code iss}, the one
 * parameter §4 requires ("Issuer Identifier for the OP that the RP is to send the Authentication
 * Request to"). {@code login_hint} is left out on purpose: it would hand the account's name to an
 * application before the person chose to go there, and the session already tells who they are
 * once the application sends its authentication request. {@code target_link_uri} is left out too:
 * the account page has no deep link to give.
 *
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#ThirdPartyInitiatedLogin">
 *     OpenID Connect Core 1.0 §4</a>
 */
final class ThirdPartyLogin {

  private static final Comparator<AccountPage.Application> BY_NAME = Comparator.comparing(
      AccountPage.Application::name, String.CASE_INSENSITIVE_ORDER);

  private final ConsentStore consents;
  private final ClientService clients;

  ThirdPartyLogin(ConsentStore consents, ClientService clients) {
    this.consents = consents;
    this.clients = clients;
  }

  /** The applications of {@code userId} in {@code tenantId}, ordered by name. */
  List<AccountPage.Application> applications(String tenantId, String userId, String issuer) {
    return consents.clients(tenantId, userId).stream()
        .map(id -> clients.find(tenantId, id))
        .flatMap(Optional::stream)
        .filter(c -> c.initiateLoginUri() != null)
        .map(c -> new AccountPage.Application(name(c), link(c.initiateLoginUri(), issuer)))
        .sorted(BY_NAME)
        .toList();
  }

  private static String name(Client c) {
    return c.name() == null || c.name().isBlank() ? c.clientId() : c.name();
  }

  /**
   * {@code initiateLoginUri} with {@code iss} added to its query: after {@code ?} when it has
   * none, after {@code &} when it has one, and before a fragment, which is not part of the query.
   */
  static String link(String initiateLoginUri, String issuer) {
    int hash = initiateLoginUri.indexOf('#');
    String base = hash < 0 ? initiateLoginUri : initiateLoginUri.substring(0, hash);
    String fragment = hash < 0 ? "" : initiateLoginUri.substring(hash);
    String separator = base.indexOf('?') < 0 ? "?"
        : base.endsWith("?") || base.endsWith("&") ? "" : "&";
    return base + separator + "iss=" + URLEncoder.encode(issuer, StandardCharsets.UTF_8)
        + fragment;
  }
}
