package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.identity.JdbcUserStore;
import dev.gatehouse.server.identity.User;
import dev.gatehouse.server.keys.JdbcKeyStore;
import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.keys.KeyState;
import dev.gatehouse.server.keys.StoredKey;
import dev.gatehouse.server.oauth.AuthMethod;
import dev.gatehouse.server.oauth.AuthorizationCodeStore.Code;
import dev.gatehouse.server.oauth.Client;
import dev.gatehouse.server.oauth.JdbcAuthorizationCodeStore;
import dev.gatehouse.server.oauth.JdbcClientStore;
import dev.gatehouse.server.oauth.JdbcRefreshTokenStore;
import dev.gatehouse.server.oauth.JdbcTokenStore;
import dev.gatehouse.server.oauth.RefreshTokenStore.RefreshToken;
import dev.gatehouse.server.oauth.TokenStore.OpaqueToken;
import dev.gatehouse.server.session.JdbcSessionStore;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.tenant.JdbcTenantStore;
import dev.gatehouse.server.tenant.Branding;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The JDBC stores, run once per database (H2 and PostgreSQL): round trips, tenant isolation
 * ("every store query is scoped by tenant"), cascade deletion of a tenant, duplicate handling and
 * purging. Each test gets an empty, migrated database.
 */
abstract class StoreContract {

  private Database db;
  private JdbcTenantStore tenants;
  private JdbcClientStore clients;
  private JdbcKeyStore keys;
  private JdbcTokenStore tokens;

  abstract TestDatabase database();

  @BeforeEach
  void open() {
    db = Database.open(database().freshUrl(), null, null, 4, null);
    Jdbc jdbc = db.jdbc();
    tenants = new JdbcTenantStore(jdbc);
    clients = new JdbcClientStore(jdbc);
    keys = new JdbcKeyStore(jdbc);
    tokens = new JdbcTokenStore(jdbc);
    assertThat(tenants.insert(new Tenant("acme", "Acme", 100))).isTrue();
    assertThat(tenants.insert(new Tenant("globex", "Globex", 100))).isTrue();
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  private static Client client(String tenant, String id) {
    return new Client(tenant, id, "name of " + id, Client.ClientType.CONFIDENTIAL,
        AuthMethod.CLIENT_SECRET_BASIC, "hash-" + tenant + "-" + id, Set.of("client_credentials"),
        Set.of("a", "b"), Client.TokenFormat.JWT, KeyAlgorithm.ES256, 900, null,
        List.of("https://api.example"), 1_700_000_000L);
  }

  private static StoredKey key(String tenant, String kid, KeyState state) {
    return new StoredKey(tenant, kid, KeyAlgorithm.ES256, state, "{\"kid\":\"" + kid + "\"}",
        "v1.sealed-" + kid, 1_000, null, null);
  }

  private static OpaqueToken opaque(String tenant, String hash, String clientId, long exp) {
    return new OpaqueToken(tenant, hash, "jti-" + hash, clientId, clientId, "a b", 1_000, exp,
        false, "name email");
  }

  private long count(String table, String tenant) {
    return db.jdbc().queryOne("select count(*) from " + table + " where tenant_id = ?",
        rs -> rs.getLong(1), tenant).orElseThrow();
  }

  @Nested
  @DisplayName("transactions compose")
  class Transactions {

    @Test
    void inTransactionWhenWorkThrowsThenStoreCallsInsideAreRolledBackToo() {
      Jdbc jdbc = db.jdbc();
      assertThatThrownBy(() -> jdbc.inTransaction(c -> {
        tenants.update(new Tenant("acme", "Changed", 100));
        jdbc.inTransaction(inner -> Jdbc.update(inner, "delete from tenant where id = ?",
            "globex"));
        throw new IllegalStateException("boom");
      })).hasMessage("boom");
      assertThat(tenants.find("acme").orElseThrow().displayName()).isEqualTo("Acme");
      assertThat(tenants.find("globex")).isPresent();
    }

    @Test
    void updateUnlessDuplicateWhenDuplicateInsideTransactionThenZeroAndTransactionGoesOn() {
      Jdbc jdbc = db.jdbc();
      jdbc.inTransaction(c -> {
        tokens.revokeJwt("acme", "jti-1", 5_000);
        // The same jti again: a unique-key violation, absorbed at a savepoint.
        tokens.revokeJwt("acme", "jti-1", 5_000);
        tenants.update(new Tenant("acme", "After the duplicate", 100));
        return null;
      });
      assertThat(tenants.find("acme").orElseThrow().displayName())
          .isEqualTo("After the duplicate");
      assertThat(tokens.isJwtRevoked("acme", "jti-1")).isTrue();
    }
  }

  @Nested
  @DisplayName("tenant store")
  class Tenants {

    @Test
    void findWhenInsertedThenSameTenant() {
      assertThat(tenants.find("acme")).contains(new Tenant("acme", "Acme", 100));
      assertThat(tenants.find("nobody")).isEmpty();
    }

    @Test
    void insertWhenIdTakenThenFalse() {
      assertThat(tenants.insert(new Tenant("acme", "Other", 200))).isFalse();
      assertThat(tenants.find("acme").orElseThrow().displayName()).isEqualTo("Acme");
    }

    @Test
    @DisplayName("a NOT NULL violation is a failure, not \"the id is taken\"")
    void insertWhenDisplayNameMissingThenStoreExceptionNotFalse() {
      assertThatThrownBy(() -> tenants.insert(new Tenant("initech", null, 100)))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.duplicate()).isFalse());
    }

    @Test
    void updateWhenBrandingSetThenReadBackAndClearedAgain() {
      Branding b = new Branding("data:image/png;base64,iVBORw0KGgo=", "#ffcc00", "#1d4ed8",
          "https://help.acme.example", "https://acme.example/privacy");
      assertThat(tenants.update(new Tenant("acme", "Acme Inc.", 100, b))).isTrue();
      assertThat(tenants.find("acme")).contains(new Tenant("acme", "Acme Inc.", 100, b));
      assertThat(tenants.update(new Tenant("acme", "Acme", 100))).isTrue();
      assertThat(tenants.find("acme").orElseThrow().branding()).isEqualTo(Branding.NONE);
      assertThat(tenants.update(new Tenant("nobody", "Nobody", 100))).isFalse();
    }

    @Test
    void listWhenPagedThenOrderedByIdAfterTheCursor() {
      tenants.insert(new Tenant("initech", "Initech", 100));
      assertThat(tenants.list(null, 2)).extracting(Tenant::id).containsExactly("acme", "globex");
      assertThat(tenants.list("globex", 2)).extracting(Tenant::id).containsExactly("initech");
      assertThat(tenants.list("initech", 2)).isEmpty();
    }

    @Test
    void deleteWhenPresentThenTrueOnceAndGone() {
      assertThat(tenants.delete("globex")).isTrue();
      assertThat(tenants.delete("globex")).isFalse();
      assertThat(tenants.find("globex")).isEmpty();
    }

    @Test
    @DisplayName("deleting a tenant deletes, by cascade, everything it owns and nothing else")
    void deleteWhenTenantOwnsRowsThenTheyGoAndOtherTenantsStay() {
      for (String t : List.of("acme", "globex")) {
        clients.insert(client(t, "c1"));
        keys.insert(key(t, "k1", KeyState.ACTIVE));
        tokens.insertOpaque(opaque(t, "h1", "c1", 5_000));
        tokens.revokeJwt(t, "j1", 5_000);
        assertThat(tokens.useAssertionJti(t, "c1", "a1", 5_000)).isTrue();
      }
      assertThat(tenants.delete("acme")).isTrue();
      for (String table : List.of("oauth_client", "signing_key", "opaque_token", "revoked_jwt",
          "used_client_assertion")) {
        assertThat(count(table, "acme")).as(table).isZero();
        assertThat(count(table, "globex")).as(table).isEqualTo(1);
      }
      assertThat(clients.find("acme", "c1")).isEmpty();
      assertThat(clients.find("globex", "c1")).isPresent();
    }
  }

  @Nested
  @DisplayName("client store")
  class Clients {

    @Test
    void findWhenInsertedThenEveryFieldRoundTrips() {
      Client c = client("acme", "c1");
      clients.insert(c);
      assertThat(clients.find("acme", "c1")).contains(c);
    }

    @Test
    void findWhenPrivateKeyJwtClientThenNullSecretAndJwksRoundTrip() {
      Client c = new Client("acme", "pk", "pk", Client.ClientType.CONFIDENTIAL,
          AuthMethod.PRIVATE_KEY_JWT, null, Set.of("client_credentials"), Set.of(),
          Client.TokenFormat.OPAQUE, KeyAlgorithm.RS256, 60, "{\"keys\":[]}", List.of(), 5);
      clients.insert(c);
      assertThat(clients.find("acme", "pk")).contains(c);
    }

    @Test
    void insertWhenClientIdTakenInTheSameTenantThenDuplicate() {
      clients.insert(client("acme", "c1"));
      assertThatThrownBy(() -> clients.insert(client("acme", "c1")))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.duplicate()).isTrue());
    }

    @Test
    @DisplayName("the same client id in two tenants: two clients that never cross")
    void findWhenSameClientIdInTwoTenantsThenEachSeesItsOwn() {
      clients.insert(client("acme", "c1"));
      clients.insert(client("globex", "c1"));
      assertThat(clients.find("acme", "c1").orElseThrow().secretHash()).isEqualTo("hash-acme-c1");
      assertThat(clients.find("globex", "c1").orElseThrow().secretHash())
          .isEqualTo("hash-globex-c1");

      assertThat(clients.updateSecretHash("acme", "c1", "rotated")).isTrue();
      assertThat(clients.find("globex", "c1").orElseThrow().secretHash())
          .isEqualTo("hash-globex-c1");
      assertThat(clients.delete("acme", "c1")).isTrue();
      assertThat(clients.find("globex", "c1")).isPresent();
      assertThat(clients.list("globex", null, 10)).hasSize(1);
    }

    @Test
    void listWhenPagedThenOrderedByClientIdWithinTheTenant() {
      for (String id : List.of("c3", "c1", "c2")) {
        clients.insert(client("acme", id));
      }
      clients.insert(client("globex", "c0"));
      assertThat(clients.list("acme", null, 2)).extracting(Client::clientId)
          .containsExactly("c1", "c2");
      assertThat(clients.list("acme", "c2", 2)).extracting(Client::clientId).containsExactly("c3");
    }

    @Test
    @DisplayName("only a unique-key violation is a duplicate: a client of an unknown tenant is not")
    void insertWhenTenantUnknownThenStoreExceptionThatIsNotADuplicate() {
      assertThatThrownBy(() -> clients.insert(client("nobody", "c1")))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.duplicate()).isFalse());
    }

    @Test
    void updateAndDeleteWhenClientUnknownThenFalse() {
      assertThat(clients.updateSecretHash("acme", "nobody", "x")).isFalse();
      assertThat(clients.delete("acme", "nobody")).isFalse();
    }
  }

  @Nested
  @DisplayName("key store")
  class Keys {

    @Test
    void findByTenantWhenInsertedThenRoundTripsAndStaysInItsTenant() {
      StoredKey k = key("acme", "k1", KeyState.ACTIVE);
      keys.insert(k);
      keys.insert(key("globex", "k1", KeyState.NEXT));
      assertThat(keys.findByTenant("acme")).containsExactly(k);
      assertThat(keys.findByTenant("globex")).extracting(StoredKey::state)
          .containsExactly(KeyState.NEXT);
    }

    @Test
    void rotateWhenNextIsCurrentThenPromotesRetiresAndAddsANewNext() {
      keys.insert(key("acme", "a", KeyState.ACTIVE));
      keys.insert(key("acme", "b", KeyState.NEXT));
      keys.insert(key("globex", "a", KeyState.ACTIVE));
      assertThat(keys.rotate("acme", KeyAlgorithm.ES256, "b", 2_000, 3_000,
          key("acme", "c", KeyState.NEXT))).isTrue();
      List<StoredKey> after = keys.findByTenant("acme");
      assertThat(after).extracting(StoredKey::kid, StoredKey::state).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple("a", KeyState.RETIRED),
          org.assertj.core.groups.Tuple.tuple("b", KeyState.ACTIVE),
          org.assertj.core.groups.Tuple.tuple("c", KeyState.NEXT));
      StoredKey retired = after.stream().filter(k -> k.kid().equals("a")).findFirst().orElseThrow();
      assertThat(retired.retiredAt()).isEqualTo(2_000);
      assertThat(retired.publishUntil()).isEqualTo(3_000);
      assertThat(keys.findByTenant("globex")).extracting(StoredKey::state)
          .containsExactly(KeyState.ACTIVE);
    }

    @Test
    @DisplayName("a stale rotation inside a caller's transaction leaves the caller's work alone")
    void rotateWhenNextKidIsStaleInACallersTransactionThenTheCallersWritesStay() {
      keys.insert(key("acme", "a", KeyState.ACTIVE));
      db.jdbc().inTransaction(c -> {
        keys.insert(key("acme", "b", KeyState.NEXT));
        assertThat(keys.rotate("acme", KeyAlgorithm.ES256, "a", 2_000, 3_000,
            key("acme", "c", KeyState.NEXT))).isFalse();
        return null;
      });
      assertThat(keys.findByTenant("acme")).extracting(StoredKey::kid).containsExactly("a", "b");
    }

    @Test
    void rotateWhenNextKidIsStaleThenFalseAndNothingChanges() {
      keys.insert(key("acme", "a", KeyState.ACTIVE));
      keys.insert(key("acme", "b", KeyState.NEXT));
      assertThat(keys.rotate("acme", KeyAlgorithm.ES256, "a", 2_000, 3_000,
          key("acme", "c", KeyState.NEXT))).isFalse();
      assertThat(keys.findByTenant("acme")).extracting(StoredKey::kid).containsExactly("a", "b");
    }

    @Test
    void purgeRetiredWhenPublicationWindowPassedThenOnlyThoseKeysGo() {
      keys.insert(key("acme", "a", KeyState.ACTIVE));
      keys.insert(key("acme", "b", KeyState.NEXT));
      keys.rotate("acme", KeyAlgorithm.ES256, "b", 2_000, 3_000, key("acme", "c", KeyState.NEXT));
      assertThat(keys.purgeRetired("acme", 2_999)).isZero();
      assertThat(keys.purgeRetired("acme", 3_001)).isEqualTo(1);
      assertThat(keys.findByTenant("acme")).extracting(StoredKey::kid)
          .containsExactlyInAnyOrder("b", "c");
    }
  }

  @Nested
  @DisplayName("token store")
  class Tokens {

    @Test
    void findOpaqueWhenInsertedThenRoundTripsAndRevokes() {
      OpaqueToken t = opaque("acme", "h1", "c1", 5_000);
      tokens.insertOpaque(t);
      assertThat(tokens.findOpaque("acme", "h1")).contains(t);
      assertThat(tokens.revokeOpaque("acme", "h1")).isTrue();
      assertThat(tokens.findOpaque("acme", "h1").orElseThrow().revoked()).isTrue();
      assertThat(tokens.revokeOpaque("acme", "nothing")).isFalse();
    }

    @Test
    @DisplayName("the same token hash in two tenants: revoking one leaves the other")
    void findOpaqueWhenSameHashInTwoTenantsThenNeverCross() {
      tokens.insertOpaque(opaque("acme", "h1", "c1", 5_000));
      assertThat(tokens.findOpaque("globex", "h1")).isEmpty();
      tokens.insertOpaque(opaque("globex", "h1", "c9", 5_000));
      assertThat(tokens.revokeOpaque("acme", "h1")).isTrue();
      OpaqueToken globex = tokens.findOpaque("globex", "h1").orElseThrow();
      assertThat(globex.revoked()).isFalse();
      assertThat(globex.clientId()).isEqualTo("c9");
    }

    @Test
    @DisplayName("revoking a JWT twice is a no-op (RFC 7009 §2.2 answers 200 either way)")
    void revokeJwtWhenTwiceThenNoErrorAndRevoked() {
      tokens.revokeJwt("acme", "j1", 5_000);
      tokens.revokeJwt("acme", "j1", 5_000);
      assertThat(tokens.isJwtRevoked("acme", "j1")).isTrue();
      assertThat(count("revoked_jwt", "acme")).isEqualTo(1);
    }

    @Test
    void isJwtRevokedWhenSameJtiRevokedInAnotherTenantThenFalse() {
      tokens.revokeJwt("globex", "j1", 5_000);
      assertThat(tokens.isJwtRevoked("acme", "j1")).isFalse();
      assertThat(tokens.isJwtRevoked("globex", "j1")).isTrue();
    }

    @Test
    @DisplayName("the revocations read since a time: those stamped since, and unstamped ones")
    void revokedJwtsSinceWhenPolledThenRowsStampedSinceAndUnstampedRowsNotExpired() {
      long before = System.currentTimeMillis();
      tokens.revokeJwt("acme", "j1", 5_000);
      tokens.revokeJwt("globex", "j2", 5_000);
      tokens.revokeJwt("acme", "expired", 1_000);
      // A node of the previous version writes no time.
      db.jdbc().update("insert into revoked_jwt (tenant_id, jti, expires_at) values (?, ?, ?)",
          "acme", "legacy", 5_000);
      assertThat(revokedSince(Long.MIN_VALUE, 2_000))
          .containsExactlyInAnyOrder("acme/j1", "globex/j2", "acme/legacy");
      assertThat(revokedSince(before, 2_000))
          .containsExactlyInAnyOrder("acme/j1", "globex/j2", "acme/legacy");
      assertThat(revokedSince(System.currentTimeMillis() + 60_000, 2_000))
          .containsExactly("acme/legacy");
      assertThat(revokedSince(Long.MIN_VALUE, 5_001)).isEmpty();
    }

    private List<String> revokedSince(long sinceMillis, long now) {
      List<String> seen = new java.util.ArrayList<>();
      tokens.revokedJwtsSince(sinceMillis, now, (tenant, jti, exp) -> {
        assertThat(exp).isEqualTo(jti.equals("expired") ? 1_000 : 5_000);
        seen.add(tenant + "/" + jti);
      });
      return seen;
    }

    @Test
    @DisplayName("RFC 7523 §3: a used assertion jti is refused the second time")
    void useAssertionJtiWhenReplayedThenFalse() {
      assertThat(tokens.useAssertionJti("acme", "c1", "a1", 5_000)).isTrue();
      assertThat(tokens.useAssertionJti("acme", "c1", "a1", 5_000)).isFalse();
    }

    @Test
    @DisplayName("an assertion jti of an unknown tenant is a failure, not a replay")
    void useAssertionJtiWhenTenantUnknownThenStoreExceptionNotReplay() {
      assertThatThrownBy(() -> tokens.useAssertionJti("nobody", "c1", "a1", 5_000))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.duplicate()).isFalse());
    }

    @Test
    void useAssertionJtiWhenSameJtiForAnotherClientOrTenantThenAccepted() {
      assertThat(tokens.useAssertionJti("acme", "c1", "a1", 5_000)).isTrue();
      assertThat(tokens.useAssertionJti("acme", "c2", "a1", 5_000)).isTrue();
      assertThat(tokens.useAssertionJti("globex", "c1", "a1", 5_000)).isTrue();
    }

    @Test
    void purgeExpiredWhenSomeStateExpiredThenOnlyThatIsDeleted() {
      tokens.insertOpaque(opaque("acme", "old", "c1", 1_000));
      tokens.insertOpaque(opaque("acme", "new", "c1", 9_000));
      tokens.revokeJwt("acme", "old", 1_000);
      tokens.revokeJwt("globex", "new", 9_000);
      tokens.useAssertionJti("acme", "c1", "old", 1_000);
      tokens.useAssertionJti("acme", "c1", "new", 9_000);
      assertThat(tokens.purgeExpired(5_000)).isEqualTo(3);
      assertThat(tokens.findOpaque("acme", "old")).isEmpty();
      assertThat(tokens.findOpaque("acme", "new")).isPresent();
      assertThat(tokens.isJwtRevoked("acme", "old")).isFalse();
      assertThat(tokens.isJwtRevoked("globex", "new")).isTrue();
      // Purged: the jti is free again, which is safe since an assertion past exp is refused.
      assertThat(tokens.useAssertionJti("acme", "c1", "old", 9_000)).isTrue();
      assertThat(tokens.useAssertionJti("acme", "c1", "new", 9_000)).isFalse();
    }
  }

  @Nested
  @DisplayName("second factors: passkey counters, TOTP enrolment")
  class SecondFactors {

    private dev.gatehouse.server.mfa.JdbcPasskeyStore passkeys;
    private dev.gatehouse.server.mfa.JdbcTotpStore totp;

    @BeforeEach
    void stores() {
      passkeys = new dev.gatehouse.server.mfa.JdbcPasskeyStore(db.jdbc());
      totp = new dev.gatehouse.server.mfa.JdbcTotpStore(db.jdbc());
    }

    private void passkey(String id, long signCount) {
      assertThat(passkeys.insert(new dev.gatehouse.server.mfa.PasskeyStore.Passkey("acme", id,
          "u1", "key", "data", signCount, true, false, false, "usb", 1_000, null))).isTrue();
    }

    @Test
    @DisplayName("WebAuthn §7.2 step 22: a counter only moves forward, so of two assertions"
        + " checked against one stored count (a clone's and the original's) one is refused")
    void usedWhenTheCounterIsNotAboveTheStoredOneThenFalseAndNothingRecorded() {
      passkey("k1", 4);
      assertThat(passkeys.used("acme", "k1", 5, false, 2_000)).isTrue();
      assertThat(passkeys.used("acme", "k1", 5, true, 3_000)).as("the same count again")
          .isFalse();
      assertThat(passkeys.used("acme", "k1", 3, true, 3_000)).isFalse();
      assertThat(passkeys.find("acme", "k1").orElseThrow())
          .extracting(p -> p.signCount(), p -> p.backupState(), p -> p.lastUsedAt())
          .containsExactly(5L, false, 2_000L);
      assertThat(passkeys.used("acme", "k1", 6, false, 4_000)).isTrue();
      assertThat(passkeys.used("globex", "k1", 9, false, 4_000)).as("another tenant").isFalse();
    }

    @Test
    void usedWhenTheAuthenticatorKeepsNoCounterThenZeroAfterZeroIsRecorded() {
      passkey("k0", 0);
      assertThat(passkeys.used("acme", "k0", 0, false, 2_000)).isTrue();
      assertThat(passkeys.used("acme", "k0", 0, false, 3_000)).isTrue();
    }

    @Test
    @DisplayName("a TOTP enrolment is confirmed only for the secret the code was checked against")
    void confirmWhenThePendingSecretWasReplacedSinceThenFalse() {
      assertThat(totp.putPending(new dev.gatehouse.server.mfa.TotpStore.Entry("acme", "u1",
          "secret-1", false, -1, 1_000))).isTrue();
      assertThat(totp.putPending(new dev.gatehouse.server.mfa.TotpStore.Entry("acme", "u1",
          "secret-2", false, -1, 1_000))).as("another tab").isTrue();

      assertThat(totp.confirm("acme", "u1", "secret-1", 7)).isFalse();
      assertThat(totp.find("acme", "u1").orElseThrow().confirmed()).isFalse();
      assertThat(totp.confirm("acme", "u1", "secret-2", 7)).isTrue();
      assertThat(totp.find("acme", "u1").orElseThrow())
          .extracting(e -> e.secretEnc(), e -> e.confirmed(), e -> e.lastStep())
          .containsExactly("secret-2", true, 7L);
    }
  }

  @Nested
  @DisplayName("consents")
  class Consents {

    private dev.gatehouse.server.session.JdbcConsentStore consents;

    @BeforeEach
    void store() {
      consents = new dev.gatehouse.server.session.JdbcConsentStore(db.jdbc());
    }

    @Test
    void grantWhenGrantedBeforeThenScopesAddUpPerClientAndTenant() {
      consents.grant("acme", "u1", "c1", Set.of("openid"), 1_000);
      consents.grant("acme", "u1", "c1", Set.of("email"), 2_000);
      consents.grant("acme", "u1", "c2", Set.of("profile"), 2_000);
      assertThat(consents.granted("acme", "u1", "c1")).containsExactlyInAnyOrder("openid",
          "email");
      assertThat(consents.granted("acme", "u1", "c2")).containsExactly("profile");
      assertThat(consents.granted("globex", "u1", "c1")).isEmpty();
    }

    @Test
    @DisplayName("deleting a user forgets their consents to every client, only theirs, only in"
        + " that tenant")
    void deleteAllWhenUserAllowedSeveralClientsThenAllOfTheirsGoAndNoOneElses() {
      consents.grant("acme", "u1", "c1", Set.of("openid"), 1_000);
      consents.grant("acme", "u1", "c2", Set.of("email"), 1_000);
      consents.grant("acme", "u2", "c1", Set.of("openid"), 1_000);
      consents.grant("globex", "u1", "c1", Set.of("openid"), 1_000);
      assertThat(consents.deleteAll("acme", "u1")).isEqualTo(2);
      assertThat(consents.granted("acme", "u1", "c1")).isEmpty();
      assertThat(consents.granted("acme", "u1", "c2")).isEmpty();
      assertThat(consents.granted("acme", "u2", "c1")).containsExactly("openid");
      assertThat(consents.granted("globex", "u1", "c1")).containsExactly("openid");
      assertThat(consents.deleteAll("acme", "u1")).isZero();
    }

    /**
     * Runs {@code grant} while another transaction has run {@code sql} and not committed, and
     * commits that one once the grant waits for it (as the database reports who blocks whom): the
     * grant has then read the row as it was before the other change, and writes after it. The
     * race the concurrent test below meets by chance, lost every time.
     */
    private void grantMeeting(String sql, Object[] args, Runnable grant) throws Exception {
      try (java.sql.Connection other = db.dataSource().getConnection()) {
        other.setAutoCommit(false);
        Jdbc.update(other, sql, args);
        long blocker = Jdbc.query(other, db.isPostgres() ? "select pg_backend_pid()"
            : "select session_id()", rs -> rs.getLong(1)).get(0);
        // H2 names no blocker of an insert that meets an uncommitted key: it retries the
        // statement until the key is committed or rolled back, so its executing statement tells.
        String blocked = db.isPostgres()
            ? "select count(*) from pg_stat_activity where ? = any(pg_blocking_pids(pid))"
            : "select count(*) from information_schema.sessions where blocker_id = ?1 or"
                + " (session_id <> ?1 and executing_statement like 'insert into user_consent%')";
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
          try {
            grant.run();
          } catch (Throwable e) {
            failure.set(e);
          }
        });
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (db.jdbc().queryOne(blocked, rs -> rs.getLong(1), db.isPostgres() ? (int) blocker
            : blocker).orElseThrow() == 0) {
          assertThat(t.isAlive()).as("the grant waits for the other transaction, not %s",
              failure.get()).isTrue();
          assertThat(System.nanoTime()).as("waited for the grant to block").isLessThan(deadline);
          Thread.sleep(5);
        }
        other.commit();
        t.join();
        assertThat(failure.get()).isNull();
      }
    }

    @Test
    @DisplayName("a first grant whose insert meets another first grant, committed meanwhile:"
        + " retried as an update, both scopes kept")
    void grantWhenAnotherFirstGrantCommitsUnderItsInsertThenRetriedAndBothScopesKept()
        throws Exception {
      grantMeeting("insert into user_consent (tenant_id, user_id, client_id, scope, granted_at)"
          + " values (?, ?, ?, ?, ?)", new Object[] {"acme", "u1", "c1", "email", 500},
          () -> consents.grant("acme", "u1", "c1", Set.of("openid"), 1_000));
      assertThat(consents.granted("acme", "u1", "c1")).containsExactlyInAnyOrder("email",
          "openid");
    }

    @Test
    @DisplayName("a grant whose update meets another grant's, committed meanwhile: it reads"
        + " again and adds its scope to the other's")
    void grantWhenAnotherGrantChangedTheRowSinceItWasReadThenReadAgainAndBothScopesKept()
        throws Exception {
      consents.grant("acme", "u1", "c1", Set.of("profile"), 500);
      grantMeeting("update user_consent set scope = ? where tenant_id = ? and user_id = ?"
          + " and client_id = ?", new Object[] {"profile email", "acme", "u1", "c1"},
          () -> consents.grant("acme", "u1", "c1", Set.of("openid"), 1_000));
      assertThat(consents.granted("acme", "u1", "c1")).containsExactlyInAnyOrder("profile",
          "email", "openid");
    }

    @Test
    @DisplayName("two grants of one consent at once (two tabs), alone or in a caller's transaction:"
        + " both succeed, both scopes kept")
    void grantWhenTwoAtOnceThenNeitherFailsAndTheScopesAddUp() throws Exception {
      for (int round = 0; round < 40; round++) {
        String user = "racer" + round;
        boolean outer = round % 2 == 1;
        boolean existing = round % 4 >= 2;
        if (existing) {
          // Both then update the same row: one compare-and-set must fail and read again.
          consents.grant("acme", user, "c1", Set.of("profile"), 500);
        }
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (String scope : List.of("openid", "email")) {
          threads.add(Thread.ofPlatform().start(() -> {
            try {
              start.await();
              if (outer) {
                // As sign-in writes it: in the transaction that writes its event.
                db.jdbc().inTransaction(c -> {
                  consents.grant("acme", user, "c1", Set.of(scope), 1_000);
                  return null;
                });
              } else {
                consents.grant("acme", user, "c1", Set.of(scope), 1_000);
              }
            } catch (Throwable e) {
              failures.add(e);
            }
          }));
        }
        for (Thread t : threads) {
          t.join();
        }
        assertThat(failures).as("round %d", round).isEmpty();
        assertThat(consents.granted("acme", user, "c1")).as("round %d", round)
            .containsExactlyInAnyOrderElementsOf(existing ? List.of("profile", "openid", "email")
                : List.of("openid", "email"));
      }
    }
  }

  @Nested
  @DisplayName("credentials of a user: sessions, refresh tokens, codes, opaque tokens")
  class UserCredentials {

    private JdbcUserStore users;
    private JdbcSessionStore sessions;
    private JdbcRefreshTokenStore refresh;
    private JdbcAuthorizationCodeStore codes;

    @BeforeEach
    void stores() {
      Jdbc jdbc = db.jdbc();
      users = new JdbcUserStore(jdbc);
      sessions = new JdbcSessionStore(jdbc);
      refresh = new JdbcRefreshTokenStore(jdbc);
      codes = new JdbcAuthorizationCodeStore(jdbc);
      for (String tenant : List.of("acme", "globex")) {
        for (String user : List.of("u1", "u2")) {
          assertThat(users.insert(new User(tenant, user, user + "@" + tenant, null, false, null,
              null, false, Map.of(), Map.of(), 1_000, 1_000))).isTrue();
        }
      }
    }

    private void session(String tenant, String sid, String user) {
      session(tenant, sid, user, 1_000, 9_000);
    }

    private void session(String tenant, String sid, String user, long createdAt, long expiresAt) {
      sessions.insert(new Session(tenant, sid, user, createdAt, List.of("pwd"), "acr", createdAt,
          expiresAt), "cookie-" + tenant + sid);
    }

    private RefreshToken token(String tenant, String hash, String family, String user,
        String sid) {
      return new RefreshToken(tenant, hash, family, "c1", user, Set.of("openid"),
          new dev.gatehouse.server.oauth.RequestedClaims(Set.of("name"), Set.of("email")), sid,
          1_000,
          "pwd", "acr", 1_000, 9_000, 9_000, false, false);
    }

    @Test
    void revokeByUserWhenUserHasSessionsThenOnlyTheirsInTheirTenantEnd() {
      session("acme", "s1", "u1");
      session("acme", "s2", "u1");
      session("acme", "s3", "u2");
      session("globex", "s1", "u1");
      assertThat(sessions.revokeByUser("acme", "u1")).isEqualTo(2);
      assertThat(sessions.find("acme", "s1")).isEmpty();
      assertThat(sessions.find("acme", "s3")).isPresent();
      assertThat(sessions.find("globex", "s1")).isPresent();
      assertThat(sessions.revokeByUser("acme", "u1")).isZero();
    }

    @Test
    @DisplayName("two regenerations of recovery codes at once leave one set, not both")
    void replaceAllWhenTwoAtOnceThenOnlyOneSetRemains() throws Exception {
      dev.gatehouse.server.mfa.JdbcRecoveryCodeStore recovery =
          new dev.gatehouse.server.mfa.JdbcRecoveryCodeStore(db.jdbc());
      for (int round = 0; round < 20; round++) {
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        List<Thread> threads = new java.util.ArrayList<>();
        for (String set : List.of("a", "b")) {
          int r = round;
          threads.add(Thread.ofPlatform().start(() -> {
            List<String> hashes = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
              hashes.add(set + r + "-" + i);
            }
            try {
              start.await();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            recovery.replaceAll("acme", "u1", hashes, 1_000);
          }));
        }
        for (Thread t : threads) {
          t.join();
        }
        assertThat(recovery.remaining("acme", "u1")).as("round %d", round).isEqualTo(10);
      }
    }

    /** Runs {@code work} on two threads at once, {@code rounds} times; no failure in any. */
    private void twiceAtOnce(int rounds, java.util.function.IntFunction<List<Runnable>> work)
        throws Exception {
      for (int round = 0; round < rounds; round++) {
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (Runnable r : work.apply(round)) {
          threads.add(Thread.ofPlatform().start(() -> {
            try {
              start.await();
              r.run();
            } catch (Throwable e) {
              failures.add(e);
            }
          }));
        }
        for (Thread t : threads) {
          t.join();
        }
        assertThat(failures).as("round %d", round).isEmpty();
      }
    }

    @Test
    @DisplayName("two replacements of a user's roles at once: one set wins, never both")
    void setRolesWhenTwoAtOnceThenOneSetNotTheUnion() throws Exception {
      dev.gatehouse.server.identity.JdbcGroupStore groups =
          new dev.gatehouse.server.identity.JdbcGroupStore(db.jdbc());
      twiceAtOnce(20, round -> List.of(
          () -> groups.setRoles("acme", "u1", Set.of("viewer")),
          () -> groups.setRoles("acme", "u1", Set.of("admin", "auditor"))));
      assertThat(groups.roles("acme").get("u1")).isIn(Set.of("viewer"), Set.of("admin",
          "auditor"));
    }

    @Test
    @DisplayName("two first settings of a tenant's password or MFA policy at once: no failure")
    void putWhenTwoPoliciesAtOnceThenBothAnsweredAndOneKept() throws Exception {
      dev.gatehouse.server.identity.JdbcPasswordPolicyStore passwords =
          new dev.gatehouse.server.identity.JdbcPasswordPolicyStore(db.jdbc());
      dev.gatehouse.server.mfa.JdbcMfaPolicyStore mfa =
          new dev.gatehouse.server.mfa.JdbcMfaPolicyStore(db.jdbc());
      twiceAtOnce(10, round -> List.of(
          () -> passwords.put("acme", new dev.gatehouse.server.identity.PasswordPolicy(12, true)),
          () -> passwords.put("acme", new dev.gatehouse.server.identity.PasswordPolicy(14,
              false))));
      assertThat(passwords.find("acme").minLength()).isIn(12, 14);
      for (int round = 0; round < 10; round++) {
        String tenant = "mfa" + round;
        assertThat(tenants.insert(new Tenant(tenant, "T", 100))).isTrue();
        twiceAtOnce(1, r -> List.of(
            () -> mfa.put(tenant, new dev.gatehouse.server.mfa.MfaPolicy(
                dev.gatehouse.server.mfa.MfaPolicy.Mode.REQUIRED, Set.of(), Set.of(), null,
                Set.of()), 1_000),
            () -> mfa.put(tenant, new dev.gatehouse.server.mfa.MfaPolicy(
                dev.gatehouse.server.mfa.MfaPolicy.Mode.OPTIONAL, Set.of(), Set.of(), null,
                Set.of()), 1_000)));
      }
    }

    @Test
    @DisplayName("a session started without authentication methods reads back with none")
    void findWhenSessionHasNoAmrThenAnEmptyList() {
      sessions.insert(new Session("acme", "s0", "u1", 1_000, List.of(), "acr", 1_000, 9_000),
          "cookie-s0");
      assertThat(sessions.find("acme", "s0").orElseThrow().amr()).isEmpty();
      session("acme", "s1", "u1");
      assertThat(sessions.find("acme", "s1").orElseThrow().amr()).containsExactly("pwd");
    }

    @Test
    void findForUpdateWhenSessionLiveThenFoundElseEmpty() {
      session("acme", "s1", "u1");
      session("acme", "s2", "u1");
      assertThat(sessions.revoke("acme", "s2")).isTrue();
      assertThat(sessions.revoke("acme", "s2")).as("already ended").isFalse();
      assertThat(sessions.revoke("acme", "nothing")).isFalse();
      java.util.Optional<Session> locked =
          db.jdbc().inTransaction(c -> sessions.findForUpdate("acme", "s1"));
      assertThat(locked).isPresent();
      assertThat(sessions.findForUpdate("acme", "s2")).as("revoked").isEmpty();
      assertThat(sessions.findForUpdate("globex", "s1")).as("another tenant").isEmpty();
    }

    @Test
    @DisplayName("a session cookie signs in only at its own tenant, and not once the session ended")
    void findByCookieWhenTheSameHashAtTwoTenantsThenEachItsOwnAndNoneOnceRevoked() {
      sessions.insert(new Session("acme", "s1", "u1", 1_500, List.of("pwd", "otp"), "mfa",
          1_000, 9_000), "same-hash");
      sessions.insert(new Session("globex", "s7", "u2", 1_000, List.of("pwd"), "acr", 1_000,
          9_000), "same-hash");
      assertThat(sessions.findByCookie("acme", "same-hash")).contains(new Session("acme", "s1",
          "u1", 1_500, List.of("pwd", "otp"), "mfa", 1_000, 9_000));
      assertThat(sessions.findByCookie("globex", "same-hash").orElseThrow().sid()).isEqualTo("s7");
      assertThat(sessions.findByCookie("acme", "other-hash")).isEmpty();
      assertThat(sessions.revoke("acme", "s1")).isTrue();
      assertThat(sessions.findByCookie("acme", "same-hash")).isEmpty();
      assertThat(sessions.findByCookie("globex", "same-hash")).isPresent();
    }

    @Test
    @DisplayName("a second authentication in a session: its methods, level and time recorded, a new"
        + " cookie, the old one ended; never in another tenant's session or an ended one")
    void reauthenticatedWhenLiveThenRecordedUnderANewCookieAndTheOldOneEnds() {
      session("acme", "s1", "u1");
      session("globex", "s1", "u1");
      session("acme", "s2", "u1");
      assertThat(sessions.revoke("acme", "s2")).isTrue();
      assertThat(sessions.reauthenticated("acme", "s1", "cookie-new", List.of("pwd", "otp"),
          "mfa", 2_000)).isTrue();
      assertThat(sessions.findByCookie("acme", "cookie-acmes1")).as("old cookie").isEmpty();
      assertThat(sessions.findByCookie("acme", "cookie-new")).contains(new Session("acme", "s1",
          "u1", 2_000, List.of("pwd", "otp"), "mfa", 1_000, 9_000));
      assertThat(sessions.find("globex", "s1")).contains(new Session("globex", "s1", "u1", 1_000,
          List.of("pwd"), "acr", 1_000, 9_000));
      assertThat(sessions.findByCookie("globex", "cookie-globexs1")).isPresent();
      assertThat(sessions.reauthenticated("acme", "s2", "cookie-s2", List.of("pwd"), "acr",
          2_000)).as("ended").isFalse();
      assertThat(sessions.findByCookie("acme", "cookie-s2")).isEmpty();
      assertThat(sessions.reauthenticated("globex", "s9", "cookie-s9", List.of("pwd"), "acr",
          2_000)).as("no such session").isFalse();
    }

    @Test
    @DisplayName("the sessions an administrator lists: the tenant's live ones, newest first")
    void listWhenSessionsOfSeveralUsersAndTenantsThenTheTenantsLiveOnesNewestFirst() {
      session("acme", "s1", "u1", 1_000, 9_000);
      session("acme", "s2", "u2", 3_000, 9_000);
      session("acme", "s3", "u1", 2_000, 9_000);
      session("acme", "s4", "u1", 4_000, 9_000);
      assertThat(sessions.revoke("acme", "s4")).isTrue();
      session("acme", "s6", "u1", 4_500, 5_000);  // expired at 5,000, not yet purged
      session("globex", "s5", "u1", 5_000, 9_000);
      assertThat(sessions.list("acme", 10, 6_000)).extracting(Session::sid)
          .containsExactly("s2", "s3", "s1");
      assertThat(sessions.list("acme", 2, 6_000)).extracting(Session::sid)
          .containsExactly("s2", "s3");
      assertThat(sessions.listByUser("acme", "u1", 6_000)).extracting(Session::sid)
          .containsExactly("s3", "s1");
      assertThat(sessions.listByUser("acme", "u2", 6_000)).extracting(Session::sid)
          .containsExactly("s2");
      assertThat(sessions.listByUser("globex", "u2", 6_000)).isEmpty();
      assertThat(sessions.listByUser("acme", "u1", 4_999)).extracting(Session::sid)
          .as("before it expired").containsExactly("s6", "s3", "s1");
    }

    @Test
    @DisplayName("the clients a session signed in to (for back-channel logout): each once, per"
        + " session and tenant")
    void clientsWhenAddedThenEachOncePerSessionAndTenant() {
      session("acme", "s1", "u1");
      session("acme", "s2", "u1");
      session("globex", "s1", "u1");
      sessions.addClient("acme", "s1", "c1");
      sessions.addClient("acme", "s1", "c2");
      sessions.addClient("acme", "s1", "c1");
      sessions.addClient("globex", "s1", "c3");
      assertThat(sessions.clients("acme", "s1")).containsExactlyInAnyOrder("c1", "c2");
      assertThat(sessions.clients("globex", "s1")).containsExactly("c3");
      assertThat(sessions.clients("acme", "s2")).isEmpty();
    }

    @Test
    @DisplayName("purging deletes the sessions past their expiry in every tenant, ended or not,"
        + " with their clients, and keeps the others")
    void purgeExpiredWhenSomePastTheirExpiryThenOnlyThoseGoWithTheirClients() {
      session("acme", "old", "u1", 1_000, 4_000);
      session("globex", "old", "u1", 1_000, 5_000);
      session("acme", "ended", "u1", 1_000, 5_000);
      assertThat(sessions.revoke("acme", "ended")).isTrue();
      session("acme", "live", "u1", 1_000, 5_002);
      session("acme", "ended-live", "u1", 1_000, 9_000);
      assertThat(sessions.revoke("acme", "ended-live")).isTrue();
      sessions.addClient("acme", "old", "c1");
      sessions.addClient("acme", "live", "c1");
      assertThat(sessions.purgeExpired(5_001)).isEqualTo(3);
      assertThat(sessions.find("acme", "old")).isEmpty();
      assertThat(sessions.find("globex", "old")).isEmpty();
      assertThat(sessions.find("acme", "live")).isPresent();
      assertThat(count("sso_session", "acme")).as("live and ended-live").isEqualTo(2);
      assertThat(count("sso_session", "globex")).isZero();
      assertThat(count("sso_session_client", "acme")).as("live's client").isEqualTo(1);
      assertThat(sessions.clients("acme", "live")).containsExactly("c1");
      assertThat(sessions.purgeExpired(5_001)).isZero();
    }

    @Test
    @DisplayName("a rotation checked before its family's revocation committed does not happen")
    void markRotatedWhenTheFamilyWasRevokedSinceTheTokenWasReadThenFalse() {
      refresh.insert(token("acme", "h1", "f1", "u1", "s1"));
      assertThat(refresh.find("acme", "h1").orElseThrow().revoked()).isFalse();
      refresh.revokeFamily("acme", "f1");

      assertThat(refresh.markRotated("acme", "h1")).isFalse();
      assertThat(refresh.find("acme", "h1").orElseThrow().rotated()).isFalse();
    }

    @Test
    @DisplayName("a successor inserted after its family was revoked is revoked with it")
    void findWhenASuccessorArrivedAfterItsFamilysRevocationThenRevoked() {
      refresh.insert(token("acme", "h1", "f1", "u1", "s1"));
      assertThat(refresh.markRotated("acme", "h1")).isTrue();
      refresh.revokeFamily("acme", "f1");
      // The rotation's successor, written after the revocation's update.
      refresh.insert(token("acme", "h2", "f1", "u1", "s1"));
      refresh.insert(token("acme", "h3", "f2", "u1", "s1"));

      assertThat(refresh.find("acme", "h2").orElseThrow().revoked()).isTrue();
      assertThat(refresh.markRotated("acme", "h2")).isFalse();
      assertThat(refresh.find("acme", "h3").orElseThrow().revoked()).as("another family")
          .isFalse();
      assertThat(refresh.markRotated("acme", "h3")).isTrue();
    }

    @Test
    void familiesAndAccessTokenRefsWhenRecordedThenFoundPerUserSessionAndTenant() {
      refresh.insert(token("acme", "h1", "f1", "u1", "s1"));
      refresh.insert(token("acme", "h2", "f1", "u1", "s1"));
      refresh.insert(token("acme", "h3", "f2", "u2", "s2"));
      refresh.insert(token("globex", "h1", "f9", "u1", "s1"));
      refresh.recordAccessToken("acme", "h1", "jwt:a:9000");
      refresh.recordAccessToken("acme", "h2", "opaque:b");
      assertThat(refresh.liveFamiliesOfUser("acme", "u1")).containsExactly("f1");
      assertThat(refresh.liveFamiliesOfSession("acme", "s1")).containsExactly("f1");
      assertThat(refresh.accessTokenRefs("acme", "f1"))
          .containsExactlyInAnyOrder("jwt:a:9000", "opaque:b");
      assertThat(refresh.accessTokenRefs("globex", "f1")).isEmpty();
      assertThat(refresh.revokeFamily("acme", "f1")).isEqualTo(2);
      assertThat(refresh.liveFamiliesOfUser("acme", "u1")).isEmpty();
      assertThat(refresh.liveFamiliesOfUser("globex", "u1")).containsExactly("f9");
    }

    @Test
    void accessTokenRefsOfUserWhenCodesExchangedThenOnlyThatUsersInThatTenant() {
      for (String tenant : List.of("acme", "globex")) {
        codes.insert(new Code(tenant, "c-" + tenant, "c1", null, null, null, Set.of("openid"),
            dev.gatehouse.server.oauth.RequestedClaims.NONE, "u1", "s1", 1_000, "pwd", "acr",
            2_000, false));
      }
      codes.recordIssued("acme", "c-acme", "jwt:x:9000", null);
      assertThat(codes.accessTokenRefsOfUser("acme", "u1")).containsExactly("jwt:x:9000");
      assertThat(codes.accessTokenRefsOfUser("acme", "u2")).isEmpty();
      assertThat(codes.accessTokenRefsOfUser("globex", "u1")).isEmpty();
    }

    @Test
    @DisplayName("RFC 6749 §4.1.2: a replay racing the exchange; whichever is second sees the"
        + " first, so the tokens issued from the code are revoked either way")
    void recordIssuedWhenAReplayWasRecordedFirstThenFalseElseTheReplayReadsTheTokens() {
      for (String c : List.of("c-replayed-first", "c-issued-first")) {
        codes.insert(new Code("acme", c, "c1", null, null, null, Set.of("openid"),
            dev.gatehouse.server.oauth.RequestedClaims.NONE, "u1", "s1", 1_000, "pwd", "acr",
            2_000, false));
        assertThat(codes.markUsed("acme", c)).isTrue();
      }
      // The replay comes while the exchange is still issuing: nothing to read yet.
      codes.markReplayed("acme", "c-replayed-first");
      assertThat(codes.issued("acme", "c-replayed-first")).containsExactly(null, null);
      assertThat(codes.recordIssued("acme", "c-replayed-first", "jwt:a:9000", "f1")).isFalse();

      // The exchange recorded first: the replay reads what to revoke.
      assertThat(codes.recordIssued("acme", "c-issued-first", "jwt:b:9000", "f2")).isTrue();
      codes.markReplayed("acme", "c-issued-first");
      assertThat(codes.issued("acme", "c-issued-first")).containsExactly("jwt:b:9000", "f2");
    }

    @Test
    void liveOpaqueOfSubjectWhenSomeRevokedOrExpiredThenOnlyTheLiveOnes() {
      tokens.insertOpaque(opaque("acme", "live", "u1", 5_000));
      tokens.insertOpaque(opaque("acme", "old", "u1", 1_500));
      tokens.insertOpaque(opaque("acme", "gone", "u1", 5_000));
      tokens.revokeOpaque("acme", "gone");
      tokens.insertOpaque(opaque("globex", "other", "u1", 5_000));
      assertThat(tokens.liveOpaqueOfSubject("acme", "u1", 2_000)).containsExactly("live");
    }

    @Test
    @DisplayName("V9: sessions and refresh tokens are tied to their user: deleting the user"
        + " deletes them, and none can be written for a user who does not exist")
    void deleteUserWhenSessionsAndRefreshTokensExistThenTheyGoWithTheUser() {
      session("acme", "s1", "u1");
      session("acme", "s2", "u2");
      refresh.insert(token("acme", "h1", "f1", "u1", "s1"));
      assertThat(users.delete("acme", "u1")).isTrue();
      assertThat(sessions.find("acme", "s1")).isEmpty();
      assertThat(sessions.find("acme", "s2")).isPresent();
      assertThat(refresh.find("acme", "h1")).isEmpty();
      assertThatThrownBy(() -> session("acme", "s9", "nobody"))
          .isInstanceOf(StoreException.class);
      assertThatThrownBy(() -> refresh.insert(token("acme", "h9", "f9", "nobody", "s9")))
          .isInstanceOf(StoreException.class);
    }
  }
}
