package dev.gatehouse.server.oauth;

import dev.gatehouse.server.keys.KeyAlgorithm;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The registration metadata of clients that send browsers here: redirect URIs, post-logout
 * redirect URIs, the back-channel logout URI and the ID token algorithm, validated.
 */
record BrowserMetadata(List<String> redirectUris, List<String> postLogoutRedirectUris,
    String backchannelLogoutUri, KeyAlgorithm idTokenAlg, String frontchannelLogoutUri,
    boolean frontchannelLogoutSessionRequired, String initiateLoginUri) {

  static final int MAX_URIS = 20;

  static BrowserMetadata validate(ClientRegistration r, Set<String> grants) {
    List<String> redirects = uris("redirect_uris", r.redirectUris());
    if (grants.contains(Grants.AUTHORIZATION_CODE) && redirects.isEmpty()) {
      throw new ClientService.InvalidClientMetadata("authorization_code needs at least one"
          + " redirect_uris value");
    }
    if (!grants.contains(Grants.AUTHORIZATION_CODE) && !redirects.isEmpty()) {
      throw new ClientService.InvalidClientMetadata("redirect_uris are only used with the"
          + " authorization_code grant");
    }
    List<String> postLogout = uris("post_logout_redirect_uris", r.postLogoutRedirectUris());
    String backchannel = null;
    if (r.backchannelLogoutUri() != null && !r.backchannelLogoutUri().isEmpty()) {
      backchannel = uris("backchannel_logout_uri", List.of(r.backchannelLogoutUri())).get(0);
    }
    KeyAlgorithm alg = r.idTokenAlg() == null ? KeyAlgorithm.RS256
        : KeyAlgorithm.fromName(r.idTokenAlg()).orElseThrow(() ->
            new ClientService.InvalidClientMetadata(
                "id_token_signed_response_alg must be RS256, ES256 or EdDSA"));
    String frontchannel = single("frontchannel_logout_uri", r.frontchannelLogoutUri());
    String initiate = single("initiate_login_uri", r.initiateLoginUri());
    if (initiate != null && !initiate.startsWith("https://") && !initiate.startsWith("http://")) {
      // OIDC Registration §2: "The URI MUST use the https scheme" (loopback http for development).
      throw new ClientService.InvalidClientMetadata("initiate_login_uri must be an https URL");
    }
    return new BrowserMetadata(List.copyOf(redirects), List.copyOf(postLogout), backchannel, alg,
        frontchannel, Boolean.TRUE.equals(r.frontchannelLogoutSessionRequired()), initiate);
  }

  private static String single(String field, String value) {
    return value == null || value.isEmpty() ? null : uris(field, List.of(value)).get(0);
  }

  /**
   * RFC 6749 §3.1.2: "The redirection endpoint URI MUST be an absolute URI as defined by
   * [RFC3986] Section 4.3. ... The endpoint URI MUST NOT include a fragment component."
   * RFC 9700 §4.1.1 and OAuth 2.1 §7.5: https, or http only on a loopback address; private-use
   * schemes of native apps (RFC 8252 §7.1) are allowed when they contain a dot.
   */
  static List<String> uris(String field, List<String> values) {
    List<String> out = new ArrayList<>();
    if (values == null) {
      return out;
    }
    if (values.size() > MAX_URIS) {
      throw new ClientService.InvalidClientMetadata(field + " has more than " + MAX_URIS
          + " values");
    }
    for (String v : values) {
      String problem = problem(v);
      if (problem != null) {
        throw new ClientService.InvalidClientMetadata(field + " value `"
            + (v == null ? "" : v.replaceAll("[^\\x21-\\x7e]", "?")) + "` " + problem);
      }
      if (!out.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  private static String problem(String v) {
    if (v == null || v.isEmpty() || v.length() > 1000) {
      return "must be 1 to 1000 characters";
    }
    if (v.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
      return "must not contain spaces or non-ASCII characters";
    }
    URI u;
    try {
      u = new URI(v);
    } catch (URISyntaxException e) {
      return "is not a URI";
    }
    if (!u.isAbsolute()) {
      return "must be an absolute URI";
    }
    if (u.getRawFragment() != null || v.contains("#")) {
      return "must not have a fragment";
    }
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return u.getHost() == null ? "must name a host" : null;
    }
    if (scheme.equals("http")) {
      String host = u.getHost();
      if (host != null && (host.equals("localhost") || host.equals("127.0.0.1")
          || host.equals("[::1]"))) {
        return null;
      }
      return "must use https (http only for localhost, 127.0.0.1 or [::1])";
    }
    if (scheme.equals("javascript") || scheme.equals("data") || scheme.equals("file")
        || scheme.equals("vbscript")) {
      return "uses a forbidden scheme";
    }
    return scheme.contains(".") ? null
        : "must use https, loopback http, or a private-use scheme in reverse-domain form";
  }
}
