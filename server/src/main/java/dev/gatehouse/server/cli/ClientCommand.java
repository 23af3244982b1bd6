package dev.gatehouse.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse client create|list|get|update|delete|rotate-secret}. */
@Command(name = "client", description = "Manage OAuth clients.",
    subcommands = {ClientCommand.Create.class, ClientCommand.ListClients.class,
        ClientManageCommands.Get.class, ClientManageCommands.Update.class,
        ClientManageCommands.Delete.class, ClientManageCommands.RotateSecret.class})
final class ClientCommand {

  @ParentCommand
  Main main;

  @Command(name = "create", description = "Register a client; prints its client_id and, once,"
      + " its client_secret.")
  static final class Create implements Callable<Integer> {
    @ParentCommand
    ClientCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--grant", description = "Allowed grant type; repeatable"
        + " (default client_credentials).")
    List<String> grants;

    @Option(names = "--scope", description = "Allowed scopes, space-separated.")
    String scope;

    @Option(names = "--token-format", description = "jwt (default) or opaque.")
    String tokenFormat;

    @Option(names = "--access-token-alg", description = "ES256 (default), RS256 or EdDSA.")
    String accessTokenAlg;

    @Option(names = "--auth-method", description = "client_secret_basic (default),"
        + " client_secret_post or private_key_jwt.")
    String authMethod;

    @Option(names = "--jwks-file", description = "JWK Set with the client's public keys"
        + " (private_key_jwt).")
    Path jwksFile;

    @Option(names = "--ttl", description = "Access token lifetime in seconds.")
    Integer ttl;

    @Option(names = "--audience", description = "aud of its access tokens; repeatable.")
    List<String> audience;

    @Option(names = "--redirect-uri", description = "Redirection endpoint (authorization_code);"
        + " repeatable.")
    List<String> redirectUris;

    @Option(names = "--post-logout-redirect-uri", description = "Where logout may return to;"
        + " repeatable.")
    List<String> postLogoutRedirectUris;

    @Option(names = "--backchannel-logout-uri", description = "Receives back-channel logout"
        + " tokens.")
    String backchannelLogoutUri;

    @Option(names = "--id-token-alg", description = "RS256 (default), ES256 or EdDSA.")
    String idTokenAlg;

    @Option(names = "--frontchannel-logout-uri", description = "Loaded in an iframe by the"
        + " sign-out page (Front-Channel Logout 1.0); iss and sid are added.")
    String frontchannelLogoutUri;

    @Option(names = "--initiate-login-uri", description = "Where the client starts a sign-in"
        + " (third-party-initiated login, OpenID Connect Core section 4).")
    String initiateLoginUri;

    @Option(names = "--public", description = "A public client (no secret; PKCE required).")
    boolean publicClient;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      if (grants != null) {
        body.put("grant_types", grants);
      }
      if (scope != null) {
        body.put("scope", scope);
      }
      if (tokenFormat != null) {
        body.put("token_format", tokenFormat);
      }
      if (accessTokenAlg != null) {
        body.put("access_token_alg", accessTokenAlg);
      }
      if (authMethod != null) {
        body.put("token_endpoint_auth_method", authMethod);
      }
      if (jwksFile != null) {
        body.put("jwks", AdminClient.JSON.readTree(Files.readString(jwksFile)));
      }
      if (ttl != null) {
        body.put("access_token_ttl", ttl);
      }
      if (audience != null) {
        body.put("audience", audience);
      }
      if (redirectUris != null) {
        body.put("redirect_uris", redirectUris);
      }
      if (postLogoutRedirectUris != null) {
        body.put("post_logout_redirect_uris", postLogoutRedirectUris);
      }
      if (backchannelLogoutUri != null) {
        body.put("backchannel_logout_uri", backchannelLogoutUri);
      }
      if (idTokenAlg != null) {
        body.put("id_token_signed_response_alg", idTokenAlg);
      }
      if (frontchannelLogoutUri != null) {
        body.put("frontchannel_logout_uri", frontchannelLogoutUri);
        body.put("frontchannel_logout_session_required", true);
      }
      if (initiateLoginUri != null) {
        body.put("initiate_login_uri", initiateLoginUri);
      }
      if (publicClient) {
        body.put("public", true);
      }
      AdminClient.print(parent.main.admin().call("POST", "/admin/v1/tenants/" + tenant
          + "/clients", body));
      return 0;
    }
  }

  @Command(name = "list", description = "List a tenant's clients.")
  static final class ListClients implements Callable<Integer> {
    @ParentCommand
    ClientCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.main.admin().call("GET", "/admin/v1/tenants/" + tenant
          + "/clients?limit=500", null));
      return 0;
    }
  }
}
