package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.identity.JdbcUserStore;
import dev.gatehouse.server.identity.User;
import dev.gatehouse.server.keys.JdbcKeyStore;
import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.keys.KeyState;
import dev.gatehouse.server.keys.StoredKey;
import dev.gatehouse.server.oauth.AuthMethod;
import dev.gatehouse.server.oauth.Client;
import dev.gatehouse.server.oauth.JdbcClientStore;
import dev.gatehouse.server.oauth.JdbcTokenStore;
import dev.gatehouse.server.oauth.TokenStore.OpaqueToken;
import dev.gatehouse.server.session.JdbcSessionStore;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.tenant.JdbcTenantStore;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the store contracts share: an empty, migrated database per test (H2 or PostgreSQL, as the
 * subclass says) holding two tenants, {@code acme} and {@code globex}, and the stores and rows
 * most tests start from.
 */
abstract class StoreFixture {

  Database db;
  JdbcTenantStore tenants;
  JdbcClientStore clients;
  JdbcKeyStore keys;
  JdbcTokenStore tokens;
  JdbcUserStore users;
  JdbcSessionStore sessions;

  abstract TestDatabase database();

  @BeforeEach
  void open() {
    db = Database.open(database().freshUrl(), null, null, 4, null);
    Jdbc jdbc = db.jdbc();
    tenants = new JdbcTenantStore(jdbc);
    clients = new JdbcClientStore(jdbc);
    keys = new JdbcKeyStore(jdbc);
    tokens = new JdbcTokenStore(jdbc);
    users = new JdbcUserStore(jdbc);
    sessions = new JdbcSessionStore(jdbc);
    assertThat(tenants.insert(new Tenant("acme", "Acme", 100))).isTrue();
    assertThat(tenants.insert(new Tenant("globex", "Globex", 100))).isTrue();
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  /** Users {@code u1} and {@code u2} in both tenants, for the rows that must name a user. */
  void insertUsers() {
    for (String tenant : List.of("acme", "globex")) {
      for (String user : List.of("u1", "u2")) {
        assertThat(users.insert(new User(tenant, user, user + "@" + tenant, null, false, null,
            null, false, Map.of(), Map.of(), 1_000, 1_000))).isTrue();
      }
    }
  }

  void session(String tenant, String sid, String user) {
    session(tenant, sid, user, 1_000, 9_000);
  }

  void session(String tenant, String sid, String user, long createdAt, long expiresAt) {
    sessions.insert(new Session(tenant, sid, user, createdAt, List.of("pwd"), "acr", createdAt,
        expiresAt), "cookie-" + tenant + sid);
  }

  static Client client(String tenant, String id) {
    return new Client(tenant, id, "name of " + id, Client.ClientType.CONFIDENTIAL,
        AuthMethod.CLIENT_SECRET_BASIC, "hash-" + tenant + "-" + id, Set.of("client_credentials"),
        Set.of("a", "b"), Client.TokenFormat.JWT, KeyAlgorithm.ES256, 900, null,
        List.of("https://api.example"), 1_700_000_000L);
  }

  static StoredKey key(String tenant, String kid, KeyState state) {
    return new StoredKey(tenant, kid, KeyAlgorithm.ES256, state, "{\"kid\":\"" + kid + "\"}",
        "v1.sealed-" + kid, 1_000, null, null);
  }

  static OpaqueToken opaque(String tenant, String hash, String clientId, long exp) {
    return new OpaqueToken(tenant, hash, "jti-" + hash, clientId, clientId, "a b", 1_000, exp,
        false, "name email");
  }

  long count(String table, String tenant) {
    return db.jdbc().queryOne("select count(*) from " + table + " where tenant_id = ?",
        rs -> rs.getLong(1), tenant).orElseThrow();
  }
}
