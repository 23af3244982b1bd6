package dev.gatehouse.server.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.tenant.JdbcTenantStore;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.testing.MutableClock;
import dev.gatehouse.server.testing.SoftwareAuthenticator;
import dev.gatehouse.server.testing.TestDatabase;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * WebAuthn ceremonies through webauthn4j without a browser, with a {@link SoftwareAuthenticator}:
 * registration and authentication, discoverable (username-less) sign-in, the challenge's single
 * use and binding, the origin and RP ID checks, user verification, and clone detection by the
 * signature counter.
 */
abstract class PasskeyServiceContract {

  abstract TestDatabase database();


  static final String ORIGIN = "https://login.example.com";
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:10Z"));
  Database db;
  PasskeyService passkeys;
  Challenges challenges;
  final PasskeyService.RelyingParty rp = new PasskeyService.RelyingParty("login.example.com",
      "Acme", Set.of(ORIGIN));

  @BeforeEach
  void open() throws Exception {
    db = Database.open(database().freshUrl(), null, null, 4, null);
    new JdbcTenantStore(db.jdbc()).insert(new Tenant("acme", "Acme", 1));
    MasterKey key = MasterKey.load(Base64.getEncoder().encodeToString(new byte[32]),
        Files.createTempDirectory("mk"));
    challenges = new Challenges(new JdbcChallengeStore(db.jdbc()), key.secretHasher(), clock);
    passkeys = new PasskeyService(new JdbcPasskeyStore(db.jdbc()), challenges, clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private SoftwareAuthenticator registered(String userId) throws Exception {
    SoftwareAuthenticator a = new SoftwareAuthenticator(rp.id(), ORIGIN);
    a.counter = 1;
    PasskeyService.CreationOptions o = passkeys.creationOptions("acme", rp, userId, "alice", null,
        "sid-1");
    assertThat(o.userId()).isEqualTo(Base64.getUrlEncoder().withoutPadding()
        .encodeToString(userId.getBytes()));
    PasskeyStore.Passkey p = passkeys.register("acme", rp, userId, "sid-1", o.challenge(),
        a.create(o.challenge()), "Laptop");
    assertThat(p.name()).isEqualTo("Laptop");
    assertThat(p.credentialId()).isEqualTo(a.credentialIdB64());
    return a;
  }

  @Nested
  @DisplayName("WebAuthn L2 §7.1 registration")
  class Registration {

    @Test
    void registerWhenSameCredentialTwiceThenRefused() throws Exception {
      SoftwareAuthenticator a = registered("u1");
      String c = passkeys.creationOptions("acme", rp, "u1", "alice", null, "sid-1").challenge();
      assertThatThrownBy(() -> passkeys.register("acme", rp, "u1", "sid-1", c, a.create(c), "x"))
          .hasMessageContaining("already registered");
    }

    @Test
    void registerWhenChallengeReusedOrOfAnotherSessionThenRefused() throws Exception {
      SoftwareAuthenticator a = new SoftwareAuthenticator(rp.id(), ORIGIN);
      String c = passkeys.creationOptions("acme", rp, "u1", "alice", null, "sid-1").challenge();
      assertThatThrownBy(() -> passkeys.register("acme", rp, "u1", "sid-2", c, a.create(c), "x"))
          .hasMessageContaining("expired");
      passkeys.register("acme", rp, "u1", "sid-1", c, a.create(c), "x");
      SoftwareAuthenticator b = new SoftwareAuthenticator(rp.id(), ORIGIN);
      assertThatThrownBy(() -> passkeys.register("acme", rp, "u1", "sid-1", c, b.create(c), "y"))
          .hasMessageContaining("expired");
    }

    @Test
    void registerWhenChallengeExpiredThenRefused() throws Exception {
      SoftwareAuthenticator a = new SoftwareAuthenticator(rp.id(), ORIGIN);
      String c = passkeys.creationOptions("acme", rp, "u1", "alice", null, "sid-1").challenge();
      clock.advance(Challenges.LIFETIME.plusSeconds(1));
      assertThatThrownBy(() -> passkeys.register("acme", rp, "u1", "sid-1", c, a.create(c), "x"))
          .hasMessageContaining("expired");
    }

    @Test
    void registerWhenOtherOriginThenRefused() throws Exception {
      SoftwareAuthenticator a = new SoftwareAuthenticator(rp.id(), "https://evil.example.net");
      String c = passkeys.creationOptions("acme", rp, "u1", "alice", null, "sid-1").challenge();
      assertThatThrownBy(() -> passkeys.register("acme", rp, "u1", "sid-1", c, a.create(c), "x"))
          .hasMessageContaining("could not be verified");
    }

    @Test
    void registerWhenNoUserVerificationThenRefused() throws Exception {
      SoftwareAuthenticator a = new SoftwareAuthenticator(rp.id(), ORIGIN);
      a.userVerified = false;
      String c = passkeys.creationOptions("acme", rp, "u1", "alice", null, "sid-1").challenge();
      assertThatThrownBy(() -> passkeys.register("acme", rp, "u1", "sid-1", c, a.create(c), "x"))
          .hasMessageContaining("could not be verified");
    }

    @Test
    void registerWhenGarbageThenRefusedWithoutException() {
      String c = passkeys.creationOptions("acme", rp, "u1", "alice", null, "sid-1").challenge();
      assertThatThrownBy(() -> passkeys.register("acme", rp, "u1", "sid-1", c, "{\"id\":1}", "x"))
          .isInstanceOf(PasskeyService.PasskeyException.class);
    }
  }

  @Nested
  @DisplayName("WebAuthn L2 §7.2 authentication")
  class Authentication {

    @Test
    void authenticateWhenDiscoverableThenUserFromHandleAndAmr() throws Exception {
      SoftwareAuthenticator a = registered("u1");
      a.counter = 2;
      String c = passkeys.requestChallenge("acme", "browser-1");
      PasskeyService.Assertion r = passkeys.authenticate("acme", rp, "browser-1", c,
          a.get(c, "u1"), null);
      assertThat(r.userId()).isEqualTo("u1");
      assertThat(r.amr()).containsExactly("hwk", "user", "mfa");
      assertThat(passkeys.list("acme", "u1").get(0).signCount()).isEqualTo(2);
    }

    @Test
    void authenticateWhenSyncedPasskeyThenSoftwareKey() throws Exception {
      SoftwareAuthenticator a = new SoftwareAuthenticator(rp.id(), ORIGIN);
      a.backupEligible = true;
      String c = passkeys.creationOptions("acme", rp, "u1", "alice", null, "s").challenge();
      passkeys.register("acme", rp, "u1", "s", c, a.create(c), "Phone");
      String g = passkeys.requestChallenge("acme", "b");
      assertThat(passkeys.authenticate("acme", rp, "b", g, a.get(g, "u1"), null).amr())
          .containsExactly("swk", "user", "mfa");
    }

    @Test
    void authenticateWhenCounterGoesBackThenCloneRefused() throws Exception {
      SoftwareAuthenticator a = registered("u1");
      a.counter = 5;
      String c1 = passkeys.requestChallenge("acme", "b");
      passkeys.authenticate("acme", rp, "b", c1, a.get(c1, "u1"), null);
      a.counter = 3;
      String c2 = passkeys.requestChallenge("acme", "b");
      assertThatThrownBy(() -> passkeys.authenticate("acme", rp, "b", c2, a.get(c2, "u1"), null))
          .isInstanceOfSatisfying(PasskeyService.PasskeyException.class,
              e -> assertThat(e.cloned()).isTrue());
    }

    @Test
    void authenticateWhenExpectedUserDiffersThenRefused() throws Exception {
      SoftwareAuthenticator a = registered("u1");
      a.counter = 9;
      String c = passkeys.requestChallenge("acme", "b");
      assertThatThrownBy(() -> passkeys.authenticate("acme", rp, "b", c, a.get(c, "u1"), "u2"))
          .hasMessageContaining("someone else");
    }

    @Test
    void authenticateWhenUserHandleNamesAnotherUserThenRefused() throws Exception {
      SoftwareAuthenticator a = registered("u1");
      a.counter = 9;
      String c = passkeys.requestChallenge("acme", "b");
      assertThatThrownBy(() -> passkeys.authenticate("acme", rp, "b", c, a.get(c, "u2"), null))
          .hasMessageContaining("could not be verified");
      String c2 = passkeys.requestChallenge("acme", "b");
      // Username-less sign-in needs the handle.
      assertThatThrownBy(() -> passkeys.authenticate("acme", rp, "b", c2, a.get(c2, null), null))
          .hasMessageContaining("could not be verified");
    }

    @Test
    void authenticateWhenChallengeReplayedOrOtherBrowserThenRefused() throws Exception {
      SoftwareAuthenticator a = registered("u1");
      a.counter = 10;
      String c = passkeys.requestChallenge("acme", "b");
      String response = a.get(c, "u1");
      assertThatThrownBy(() -> passkeys.authenticate("acme", rp, "other", c, response, null))
          .hasMessageContaining("expired");
      passkeys.authenticate("acme", rp, "b", c, response, null);
      assertThatThrownBy(() -> passkeys.authenticate("acme", rp, "b", c, response, null))
          .hasMessageContaining("expired");
    }

    @Test
    void authenticateWhenRemovedOrOtherTenantThenNotRegistered() throws Exception {
      SoftwareAuthenticator a = registered("u1");
      a.counter = 11;
      new JdbcTenantStore(db.jdbc()).insert(new Tenant("globex", "Globex", 1));
      String g = passkeys.requestChallenge("globex", "b");
      assertThatThrownBy(() -> passkeys.authenticate("globex", rp, "b", g, a.get(g, "u1"), null))
          .hasMessageContaining("not registered");
      assertThat(passkeys.remove("acme", "u1", a.credentialIdB64())).isTrue();
      String c = passkeys.requestChallenge("acme", "b");
      assertThatThrownBy(() -> passkeys.authenticate("acme", rp, "b", c, a.get(c, "u1"), null))
          .hasMessageContaining("not registered");
    }
  }

  @Test
  void relyingPartyWhenNoPolicyThenIssuerHostAndOrigin() {
    PasskeyService.RelyingParty d = PasskeyService.RelyingParty.of(MfaPolicy.DEFAULT,
        "http://localhost:8080/t/acme", "Acme");
    assertThat(d.id()).isEqualTo("localhost");
    assertThat(d.origins()).containsExactly("http://localhost:8080");
    PasskeyService.RelyingParty c = PasskeyService.RelyingParty.of(new MfaPolicy(
        MfaPolicy.Mode.OPTIONAL, Set.of(), Set.of(), "example.com",
        Set.of("https://id.example.com")), "http://localhost:8080/t/acme", "Acme");
    assertThat(c.id()).isEqualTo("example.com");
    assertThat(c.origins()).containsExactly("https://id.example.com");
  }
}
