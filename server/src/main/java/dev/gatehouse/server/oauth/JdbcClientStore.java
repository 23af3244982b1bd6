package dev.gatehouse.server.oauth;

import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.store.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link ClientStore} on the {@code oauth_client} table. */
public final class JdbcClientStore implements ClientStore {

  private final Jdbc jdbc;

  public JdbcClientStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<Client> find(String tenantId, String clientId) {
    return jdbc.queryOne("select * from oauth_client where tenant_id = ? and client_id = ?",
        JdbcClientStore::map, tenantId, clientId);
  }

  @Override
  public void insert(Client c) {
    jdbc.update("insert into oauth_client (tenant_id, client_id, name, client_type, auth_method,"
            + " secret_hash, grant_types, scopes, token_format, access_token_alg, access_token_ttl, jwks,"
            + " audience, created_at, redirect_uris, post_logout_redirect_uris,"
            + " backchannel_logout_uri, id_token_alg, frontchannel_logout_uri,"
            + " frontchannel_logout_session_required, initiate_login_uri)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        c.tenantId(), c.clientId(), c.name(), c.type().value(), c.authMethod().value(),
        c.secretHash(), String.join(" ", c.grantTypes()), String.join(" ", c.scopes()),
        c.tokenFormat().value(), c.accessTokenAlg().name(), c.accessTokenTtl(), c.jwks(), String.join(" ", c.audience()),
        c.createdAt(), String.join(" ", c.redirectUris()),
        String.join(" ", c.postLogoutRedirectUris()), c.backchannelLogoutUri(),
        c.idTokenAlg().name(), c.frontchannelLogoutUri(), c.frontchannelLogoutSessionRequired(),
        c.initiateLoginUri());
  }

  @Override
  public List<Client> list(String tenantId, String afterClientId, int limit) {
    return jdbc.query("select * from oauth_client where tenant_id = ? and client_id > ?"
            + " order by client_id limit ?",
        JdbcClientStore::map, tenantId, afterClientId == null ? "" : afterClientId, limit);
  }

  @Override
  public boolean delete(String tenantId, String clientId) {
    return jdbc.update("delete from oauth_client where tenant_id = ? and client_id = ?",
        tenantId, clientId) == 1;
  }

  @Override
  public boolean updateSecretHash(String tenantId, String clientId, String secretHash) {
    return jdbc.update("update oauth_client set secret_hash = ? where tenant_id = ?"
        + " and client_id = ?", secretHash, tenantId, clientId) == 1;
  }

  @Override
  public boolean update(Client c) {
    return jdbc.update("update oauth_client set name = ?, grant_types = ?, scopes = ?,"
            + " token_format = ?, access_token_alg = ?, access_token_ttl = ?, jwks = ?,"
            + " audience = ?, redirect_uris = ?, post_logout_redirect_uris = ?,"
            + " backchannel_logout_uri = ?, id_token_alg = ?, auth_method = ?,"
            + " frontchannel_logout_uri = ?, frontchannel_logout_session_required = ?,"
            + " initiate_login_uri = ? where tenant_id = ? and client_id = ?",
        c.name(), String.join(" ", c.grantTypes()), String.join(" ", c.scopes()),
        c.tokenFormat().value(), c.accessTokenAlg().name(), c.accessTokenTtl(), c.jwks(),
        String.join(" ", c.audience()), String.join(" ", c.redirectUris()),
        String.join(" ", c.postLogoutRedirectUris()), c.backchannelLogoutUri(),
        c.idTokenAlg().name(), c.authMethod().value(), c.frontchannelLogoutUri(),
        c.frontchannelLogoutSessionRequired(), c.initiateLoginUri(), c.tenantId(),
        c.clientId()) == 1;
  }

  private static Client map(ResultSet rs) throws SQLException {
    return new Client(
        rs.getString("tenant_id"),
        rs.getString("client_id"),
        rs.getString("name"),
        Client.ClientType.valueOf(rs.getString("client_type").toUpperCase(java.util.Locale.ROOT)),
        AuthMethod.fromValue(rs.getString("auth_method")).orElseThrow(),
        rs.getString("secret_hash"),
        words(rs.getString("grant_types")),
        words(rs.getString("scopes")),
        Client.TokenFormat.valueOf(rs.getString("token_format").toUpperCase(java.util.Locale.ROOT)),
        KeyAlgorithm.valueOf(rs.getString("access_token_alg")),
        rs.getInt("access_token_ttl"),
        rs.getString("jwks"),
        List.copyOf(words(rs.getString("audience"))),
        rs.getLong("created_at"),
        List.copyOf(words(rs.getString("redirect_uris"))),
        List.copyOf(words(rs.getString("post_logout_redirect_uris"))),
        rs.getString("backchannel_logout_uri"),
        KeyAlgorithm.valueOf(rs.getString("id_token_alg")),
        rs.getString("frontchannel_logout_uri"),
        rs.getBoolean("frontchannel_logout_session_required"),
        rs.getString("initiate_login_uri"));
  }

  private static Set<String> words(String s) {
    if (s == null || s.isBlank()) {
      return Set.of();
    }
    return java.util.Collections.unmodifiableSet(
        new LinkedHashSet<>(Arrays.asList(s.trim().split(" +"))));
  }
}
