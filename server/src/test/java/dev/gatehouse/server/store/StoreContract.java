package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.keys.KeyState;
import dev.gatehouse.server.keys.StoredKey;
import dev.gatehouse.server.oauth.AuthMethod;
import dev.gatehouse.server.oauth.Client;
import dev.gatehouse.server.oauth.TokenStore.OpaqueToken;
import dev.gatehouse.server.tenant.Branding;
import dev.gatehouse.server.tenant.Tenant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The tenant, client, key, token and second-factor stores, run once per database (H2 and
 * PostgreSQL): round trips, tenant isolation ("every store query is scoped by tenant"), cascade
 * deletion of a tenant, duplicate handling and purging. The session and consent stores are in
 * {@link SessionStoreContract}, the rest of a user's credentials in
 * {@link UserCredentialStoreContract}.
 */
abstract class StoreContract extends StoreFixture {

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
}
