package dev.gatehouse.server.mfa;

import dev.gatehouse.server.session.Acr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.events.EventOutbox;
import dev.gatehouse.server.identity.JdbcGroupStore;
import dev.gatehouse.server.identity.JdbcPasswordPolicyStore;
import dev.gatehouse.server.identity.JdbcUserStore;
import dev.gatehouse.server.identity.NewUser;
import dev.gatehouse.server.identity.PasswordHasher;
import dev.gatehouse.server.identity.UserService;
import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.store.Jdbc;
import dev.gatehouse.server.tenant.JdbcTenantStore;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.testing.MutableClock;
import dev.gatehouse.server.testing.TestDatabase;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The MFA services without HTTP, on a migrated database (H2 and PostgreSQL) with the real JDBC
 * stores: TOTP enrolment, window and replay, encryption at rest; recovery codes; the policy's
 * decisions; an administrator's reset; the events of each.
 */
abstract class MfaServiceContract {

  abstract TestDatabase database();

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:10Z"));
  final List<EventOutbox.Event> events = new ArrayList<>();
  Database db;
  Jdbc jdbc;
  UserService users;
  MfaService mfa;
  String alice;
  String bob;

  @BeforeEach
  void open() throws Exception {
    db = Database.open(database().freshUrl(), null, null, 4, null);
    jdbc = db.jdbc();
    new JdbcTenantStore(jdbc).insert(new Tenant("acme", "Acme", 1));
    new JdbcTenantStore(jdbc).insert(new Tenant("globex", "Globex", 1));
    MasterKey key = MasterKey.load(Base64.getEncoder().encodeToString(new byte[32]),
        Files.createTempDirectory("mk"));
    users = new UserService(new JdbcUserStore(jdbc), new JdbcGroupStore(jdbc),
        new JdbcPasswordPolicyStore(jdbc), new PasswordHasher(64, 1, 1), clock);
    alice = users.create("acme", new NewUser("alice", null, null, null, null, null, Map.of()))
        .id();
    bob = users.create("acme", new NewUser("bob", null, null, null, null, null, Map.of())).id();
    mfa = new MfaService(new JdbcMfaPolicyStore(jdbc),
        new TotpService(new JdbcTotpStore(jdbc), key, clock),
        new RecoveryCodes(new JdbcRecoveryCodeStore(jdbc), key.secretHasher(), clock),
        new PasskeyService(new JdbcPasskeyStore(jdbc),
            new Challenges(new JdbcChallengeStore(jdbc), key.secretHasher(), clock), clock),
        users, new MfaEvents(events::addAll, clock));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private byte[] enrol(String userId) {
    TotpService.Enrollment e = mfa.totp().enrol("acme", userId, "Acme", "alice").orElseThrow();
    assertThat(e.uri()).startsWith("otpauth://totp/Acme:alice?secret=" + e.secret());
    assertThat(e.qr().size()).isGreaterThan(21);
    assertThat(e.qr().path()).matches("[Mhvz0-9,-]+");
    return Base32.decode(e.secret());
  }

  private String codeAt(byte[] secret, long offsetSteps) {
    return Totp.code(secret, Totp.step(clock.instant().getEpochSecond()) + offsetSteps);
  }

  private List<String> types() {
    return events.stream().map(EventOutbox.Event::type).toList();
  }

  @Nested
  @DisplayName("TOTP")
  class TotpFactor {

    @Test
    void confirmWhenFirstCodeRightThenEnrolledWithRecoveryCodes() {
      byte[] secret = enrol(alice);
      assertThat(mfa.totp().enrolled("acme", alice)).isFalse();
      assertThat(mfa.confirmTotp("acme", alice, "000000".equals(codeAt(secret, 0)) ? "111111"
          : "000000")).isNull();
      List<String> codes = mfa.confirmTotp("acme", alice, codeAt(secret, 0));
      assertThat(codes).hasSize(RecoveryCodes.COUNT).doesNotHaveDuplicates();
      assertThat(mfa.totp().enrolled("acme", alice)).isTrue();
      assertThat(types()).contains("mfa.enrolled", "mfa.recovery_codes_generated");
    }

    @Test
    void verifyWhenCodeUsedTwiceThenReplayRefused() {
      byte[] secret = enrol(alice);
      mfa.confirmTotp("acme", alice, codeAt(secret, 0));
      clock.advance(Duration.ofSeconds(30));
      String code = codeAt(secret, 0);
      assertThat(mfa.totp().verify("acme", alice, code)).isEqualTo(TotpService.Outcome.ACCEPTED);
      assertThat(mfa.totp().verify("acme", alice, code)).isEqualTo(TotpService.Outcome.REPLAYED);
      // The confirmation's step is used as well: its code cannot sign in afterwards.
      assertThat(mfa.totp().verify("acme", alice, codeAt(secret, -1)))
          .isEqualTo(TotpService.Outcome.REPLAYED);
    }

    @Test
    void verifyWhenClockOffByOneStepThenAcceptedByTwoThenRefused() {
      byte[] secret = enrol(alice);
      mfa.confirmTotp("acme", alice, codeAt(secret, -1));
      clock.advance(Duration.ofSeconds(300));
      assertThat(mfa.totp().verify("acme", alice, codeAt(secret, 2)))
          .isEqualTo(TotpService.Outcome.WRONG);
      assertThat(mfa.totp().verify("acme", alice, codeAt(secret, -2)))
          .isEqualTo(TotpService.Outcome.WRONG);
      assertThat(mfa.totp().verify("acme", alice, codeAt(secret, -1)))
          .isEqualTo(TotpService.Outcome.ACCEPTED);
      // A later step still works; an earlier one than the last used is a replay.
      assertThat(mfa.totp().verify("acme", alice, codeAt(secret, 1)))
          .isEqualTo(TotpService.Outcome.ACCEPTED);
      assertThat(mfa.totp().verify("acme", alice, codeAt(secret, 0)))
          .isEqualTo(TotpService.Outcome.REPLAYED);
    }

    @Test
    void secretWhenStoredThenEncryptedAndBoundToTheUser() {
      byte[] secret = enrol(alice);
      String stored = jdbc.queryOne("select secret_enc from mfa_totp where tenant_id = ? and"
          + " user_id = ?", rs -> rs.getString(1), "acme", alice).orElseThrow();
      assertThat(stored).startsWith("v1.").doesNotContain(Base32.encode(secret));
      // Copied to bob's row, the ciphertext does not decrypt: tenant and user are bound into it.
      enrol(bob);
      jdbc.update("update mfa_totp set secret_enc = ? where tenant_id = ? and user_id = ?",
          stored, "acme", bob);
      org.assertj.core.api.Assertions.assertThatThrownBy(() ->
          mfa.totp().confirm("acme", bob, codeAt(secret, 0)))
          .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void enrolWhenAlreadyConfirmedThenRefusedUntilRemoved() {
      byte[] secret = enrol(alice);
      mfa.confirmTotp("acme", alice, codeAt(secret, 0));
      assertThat(mfa.totp().enrol("acme", alice, "Acme", "alice")).isEmpty();
      assertThat(mfa.removeTotp("acme", alice)).isTrue();
      assertThat(mfa.totp().enrol("acme", alice, "Acme", "alice")).isPresent();
      assertThat(types()).contains("mfa.removed");
    }

    @Test
    void verifyWhenOtherTenantThenNotEnrolled() {
      byte[] secret = enrol(alice);
      mfa.confirmTotp("acme", alice, codeAt(secret, 0));
      assertThat(mfa.totp().verify("globex", alice, codeAt(secret, 1)))
          .isEqualTo(TotpService.Outcome.NOT_ENROLLED);
    }
  }

  @Nested
  @DisplayName("Recovery codes")
  class Recovery {

    @Test
    void useWhenCodeGivenThenAcceptedOnceInAnyCaseAndSpacing() {
      List<String> codes = mfa.regenerateRecoveryCodes("acme", alice);
      assertThat(codes).allMatch(c -> c.matches("[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}"));
      String first = codes.get(0);
      assertThat(mfa.verifyCode("acme", alice, " " + first.toUpperCase().replace("-", " ")))
          .containsExactly(Acr.AMR_RECOVERY);
      assertThat(mfa.verifyCode("acme", alice, first)).isEmpty();
      assertThat(mfa.recovery().remaining("acme", alice)).isEqualTo(RecoveryCodes.COUNT - 1);
      assertThat(types()).contains("mfa.recovery_code_used", "mfa.failed");
    }

    @Test
    void regenerateWhenCalledThenOldCodesStopWorking() {
      List<String> old = mfa.regenerateRecoveryCodes("acme", alice);
      mfa.regenerateRecoveryCodes("acme", alice);
      assertThat(mfa.verifyCode("acme", alice, old.get(1))).isEmpty();
      assertThat(mfa.recovery().remaining("acme", alice)).isEqualTo(RecoveryCodes.COUNT);
    }

    @Test
    void codesWhenStoredThenOnlyHashes() {
      List<String> codes = mfa.regenerateRecoveryCodes("acme", alice);
      List<String> stored = jdbc.query("select code_hash from mfa_recovery_code where"
          + " tenant_id = ?", rs -> rs.getString(1), "acme");
      assertThat(stored).hasSize(RecoveryCodes.COUNT).allMatch(h -> h.length() == 43)
          .noneMatch(h -> codes.stream().anyMatch(c -> h.contains(c.replace("-", ""))));
    }

    @Test
    void useWhenCodeOfAnotherUserThenRefused() {
      List<String> codes = mfa.regenerateRecoveryCodes("acme", alice);
      assertThat(mfa.verifyCode("acme", bob, codes.get(0))).isEmpty();
      assertThat(mfa.verifyCode("globex", alice, codes.get(0))).isEmpty();
    }
  }

  @Nested
  @DisplayName("Policy")
  class Policy {

    private void totpFor(String userId) {
      byte[] secret = enrol(userId);
      mfa.confirmTotp("acme", userId, codeAt(secret, 0));
    }

    @Test
    void needWhenOptionalThenOnlyForUsersWithAFactor() {
      totpFor(alice);
      assertThat(mfa.need("acme", alice, Acr.PWD, List.of())).isEqualTo(MfaService.Need.VERIFY);
      assertThat(mfa.need("acme", bob, Acr.PWD, List.of())).isEqualTo(MfaService.Need.NONE);
      assertThat(mfa.need("acme", alice, Acr.MFA, List.of())).isEqualTo(MfaService.Need.NONE);
    }

    @Test
    void needWhenRequiredThenEnrolmentForUsersWithout() {
      mfa.setPolicy("acme", new MfaPolicy(MfaPolicy.Mode.REQUIRED, Set.of(), Set.of(), null,
          Set.of()), 1);
      assertThat(mfa.need("acme", bob, Acr.PWD, List.of())).isEqualTo(MfaService.Need.ENROL);
      // Other tenants keep the default.
      assertThat(mfa.policy("globex")).isEqualTo(MfaPolicy.DEFAULT);
    }

    @Test
    void needWhenGroupsPolicyThenMembersAndRoleHoldersOnly() {
      users.createGroup("acme", "admins", null, null);
      users.addToGroup("acme", "admins", alice);
      mfa.setPolicy("acme", new MfaPolicy(MfaPolicy.Mode.GROUPS, Set.of("admins"),
          Set.of("auditor"), null, Set.of()), 1);
      assertThat(mfa.need("acme", alice, Acr.PWD, List.of())).isEqualTo(MfaService.Need.ENROL);
      assertThat(mfa.need("acme", bob, Acr.PWD, List.of())).isEqualTo(MfaService.Need.NONE);
      users.setRoles("acme", bob, Set.of("auditor"));
      assertThat(mfa.need("acme", bob, Acr.PWD, List.of())).isEqualTo(MfaService.Need.ENROL);
    }

    @Test
    void needWhenAcrValuesPreferMfaThenStepUp() {
      assertThat(mfa.need("acme", bob, Acr.PWD, List.of(Acr.MFA)))
          .isEqualTo(MfaService.Need.ENROL);
      assertThat(mfa.need("acme", bob, Acr.PWD, List.of(Acr.PWD, Acr.MFA)))
          .isEqualTo(MfaService.Need.NONE);
      totpFor(bob);
      assertThat(mfa.need("acme", bob, Acr.PWD, List.of(Acr.MFA)))
          .isEqualTo(MfaService.Need.VERIFY);
    }

    @Test
    void needWhenPolicyOffThenNeverEvenForStepUp() {
      totpFor(alice);
      mfa.setPolicy("acme", new MfaPolicy(MfaPolicy.Mode.OFF, Set.of(), Set.of(), null,
          Set.of()), 1);
      assertThat(mfa.need("acme", alice, Acr.PWD, List.of(Acr.MFA)))
          .isEqualTo(MfaService.Need.NONE);
    }
  }

  @Test
  void resetWhenFactorsExistThenAllGoneAndEvent() {
    byte[] secret = enrol(alice);
    mfa.confirmTotp("acme", alice, codeAt(secret, 0));
    assertThat(mfa.factors("acme", alice).any()).isTrue();
    Map<String, Object> removed = mfa.reset("acme", alice);
    assertThat(removed).containsEntry("totp", true).containsEntry("recovery_codes",
        RecoveryCodes.COUNT);
    assertThat(mfa.factors("acme", alice)).isEqualTo(new MfaService.Factors(false, List.of(), 0));
    assertThat(types()).contains("mfa.reset");
  }
}
