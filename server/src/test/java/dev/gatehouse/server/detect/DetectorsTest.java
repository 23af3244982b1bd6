package dev.gatehouse.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each detector on a small labelled scenario: a few days of benign traffic to learn from, then
 * an attack; the attack's events must be covered by a detection of its kind, and benign events
 * must not be.
 */
class DetectorsTest {

  private static final long DAY = 86_400;
  private static final long T0 = 1_793_491_200L;
  private static final int DAYS = 10;

  private final List<Detection> found = new ArrayList<>();
  private DetectionEngine engine;
  private long seq;
  private final Set<String> attackIds = new HashSet<>();

  @BeforeEach
  void setUp() {
    engine = engine(ResponsePolicy.STEP_UP);
  }

  private DetectionEngine engine(ResponsePolicy p) {
    return new DetectionEngine(DetectSettings.DEFAULTS.withDefaultPolicy(p),
        new InMemoryBlockList(1000), found::add);
  }

  private String feed(long t, String type, String ip, String ua, String device, String account,
      String client, boolean attack) {
    String id = (attack ? "a-" : "b-") + (++seq);
    if (attack) {
      attackIds.add(id);
    }
    engine.accept(new Observation(id, "acme", type, t, ip, ua, device, account, null, client,
        null, null, false));
    return id;
  }

  /** Ten days of 50 users signing in from home, each with a typo now and then. */
  private long benignHistory() {
    long t = T0;
    for (int day = 0; day < DAYS; day++) {
      for (int u = 0; u < 50; u++) {
        t = T0 + day * DAY + 8 * 3600 + u * 600;
        if (u % 9 == 0) {
          feed(t - 20, "login.failed", home(u), "Firefox/120", "dev" + u, "user" + u, null,
              false);
        }
        feed(t, "login.succeeded", home(u), "Firefox/120", "dev" + u, "user" + u, null, false);
      }
    }
    return T0 + DAYS * DAY + 12 * 3600;
  }

  /**
   * Client "svc" takes a token every two minutes for three days from {@code start}, from the
   * address {@code ip} gives for the minute; the time of its last token.
   */
  private long serviceHistory(long start, java.util.function.IntFunction<String> ip) {
    long t = start;
    for (int m = 0; m < 3 * 24 * 60; m += 2) {
      t = start + m * 60L;
      feed(t, "token.issued", ip.apply(m), null, null, null, "svc", false);
    }
    return t;
  }

  private static String home(int u) {
    return "81.2." + u + ".7";
  }

  private Set<String> covered(String kind) {
    Set<String> ids = new HashSet<>();
    for (Detection d : found) {
      if (d.kind().equals(kind)) {
        ids.addAll(d.covers());
      }
    }
    return ids;
  }

  private Set<String> coveredBenign() {
    Set<String> ids = new HashSet<>();
    found.forEach(d -> ids.addAll(d.covers()));
    ids.removeAll(attackIds);
    return ids;
  }

  @Test
  void stuffingWhenManyUnknownNamesFailFromManyAddressesThenDetected() {
    long t = benignHistory();
    for (int i = 0; i < 40; i++) {
      feed(t + i * 3, "login.failed", "45.1." + i + ".9", "python-requests/2.31", null,
          "leaked" + i, null, true);
    }
    engine.finish(t + 1000);
    assertThat(covered("credential_stuffing")).hasSizeGreaterThanOrEqualTo(30)
        .allMatch(attackIds::contains);
    assertThat(coveredBenign()).isEmpty();
  }

  @Test
  void sprayingWhenKnownAccountsFailFromNewNetworksThenDetected() {
    long t = benignHistory();
    for (int u = 0; u < 30; u++) {
      feed(t + u * 20, "login.failed", "45.7.7." + (u % 3), "Chrome/118", null, "user" + u, null,
          true);
    }
    engine.finish(t + 2000);
    assertThat(covered("password_spraying")).hasSizeGreaterThanOrEqualTo(20)
        .allMatch(attackIds::contains);
    assertThat(coveredBenign()).isEmpty();
  }

  @Test
  void bruteForceWhenOneAccountFailsFromManyAddressesThenDetected() {
    long t = benignHistory();
    for (int i = 0; i < 9; i++) {
      feed(t + i * 30, "login.failed", "45.9." + i + ".1", "curl/8.4", null, "user3", null, true);
    }
    engine.finish(t + 2000);
    assertThat(covered("brute_force")).hasSizeGreaterThanOrEqualTo(5).allMatch(attackIds::contains);
    assertThat(found).filteredOn(d -> d.kind().equals("brute_force"))
        .allMatch(d -> d.subject().equals("account:user3"));
  }

  @Test
  void bruteForceWhenOwnerForgetsPasswordOnANewNetworkThenNothing() {
    long t = benignHistory();
    for (int i = 0; i < 8; i++) {
      feed(t + i * 20, "login.failed", "100.64.3.3", "Firefox/120", "dev5", "user5", null, false);
    }
    feed(t + 200, "login.succeeded", "100.64.3.3", "Firefox/120", "dev5", "user5", null, false);
    engine.finish(t + 2000);
    assertThat(found).filteredOn(d -> !d.status().equals("assessed")).isEmpty();
  }

  @Test
  void sprayingWhenOneOwnerFailsOverAndOverOnAMobileNetworkThenNoSurge() {
    // A forgetful owner on a carrier address (a network new to the account) tries a dozen
    // passwords while two other people make one typo each from new networks: many strange
    // failures, three accounts, but one person's bad morning, not spraying.
    oneNameFailsOverAndOver(new String[] {"100.64.8.8", "user1", "100.64.9.9", "user2"},
        "100.64.3.3", "user5");
    assertThat(found).filteredOn(d -> !d.status().equals("assessed")).isEmpty();
  }

  @Test
  void stuffingWhenANameNotYetSignedInFailsOverAndOverThenNoSurge() {
    // The same for names without a success yet (a new account, or every account while the
    // detectors' state is young): one name's many failures are not many accounts.
    oneNameFailsOverAndOver(new String[] {home(1), "typo-1", home(2), "typo-2"}, "81.3.3.3",
        "newcomer");
    assertThat(found).filteredOn(d -> !d.status().equals("assessed")).isEmpty();
  }

  /**
   * After the benign history, one failure each of two other names ({@code others}: address,
   * name, address, name), then twelve of {@code name} from {@code ip} within four minutes.
   */
  private void oneNameFailsOverAndOver(String[] others, String ip, String name) {
    long t = benignHistory();
    feed(t, "login.failed", others[0], "Firefox/120", "d1", others[1], null, false);
    feed(t + 30, "login.failed", others[2], "Firefox/120", "d2", others[3], null, false);
    for (int i = 0; i < 12; i++) {
      feed(t + 60 + i * 20, "login.failed", ip, "Firefox/120", "d3", name, null, false);
    }
    engine.finish(t + 2000);
  }

  @Test
  void sprayingWhenATravellerTyposDuringItThenTheHotelIsNotAnAttackSource() {
    // Spraying is under way (a tenant-wide incident covering every strange failure); a
    // traveller mistypes twice at a hotel, then signs in there on their own laptop. Their two
    // failures are covered, but one account's typos do not make the hotel an attacker's address.
    long t = benignHistory();
    for (int u = 10; u < 40; u++) {
      feed(t + u * 20, "login.failed", "45.7.7." + (u % 3), "Chrome/118", null, "user" + u, null,
          true);
    }
    assertThat(found).anyMatch(d -> d.kind().equals("password_spraying"));
    feed(t + 500, "login.failed", "150.1.1.9", "Firefox/120", "dev5", "user5", null, false);
    feed(t + 520, "login.failed", "150.1.1.9", "Firefox/120", "dev5", "user5", null, false);
    DetectionEngine.Risk r = engine.assess("acme", "user5", "150.1.1.9", "Firefox/120", "dev5",
        t + 540);
    assertThat(r.factors()).doesNotContainKey("attack_source");
    // An address failing on several accounts during it still is one.
    assertThat(engine.assess("acme", "user5", "45.7.7.1", "Firefox/120", "dev5", t + 540)
        .factors()).containsKey("attack_source");
  }

  @Test
  void riskWhenEverythingIsNewThenStepUpAndWhenHabitualThenNot() {
    long t = benignHistory();
    DetectionEngine.Risk usual = engine.assess("acme", "user4", home(4), "Firefox/121", "dev4",
        T0 + DAYS * DAY + 8 * 3600 + 2400);
    DetectionEngine.Risk strange = engine.assess("acme", "user4", "45.3.3.3", "curl/8.4", "new",
        t + 3 * 3600);
    assertThat(usual.stepUp()).isFalse();
    assertThat(usual.score()).isLessThan(0);
    assertThat(strange.stepUp()).isTrue();
    assertThat(strange.factors()).containsKeys("subnet", "agent", "device", "hour");
    // An account without history has no evidence either way.
    assertThat(engine.assess("acme", "newcomer", "45.3.3.3", "curl/8.4", "new", t).score())
        .isZero();
  }

  @Test
  void takeoverWhenRiskySuccessThenAssessedAndNotLearned() {
    long t = benignHistory();
    String id = feed(t, "login.succeeded", "45.3.3.3", "curl/8.4", "new", "user4", null, true);
    feed(t + 60, "login.succeeded", "45.3.3.3", "curl/8.4", "new", "user4", null, true);
    assertThat(covered("account_takeover")).contains(id);
    assertThat(found).filteredOn(d -> d.kind().equals("account_takeover")).hasSize(2)
        .allMatch(d -> d.action().equals("step_up"));
  }

  @Test
  void takeoverWhenSecondFactorShownThenTheNewLaptopIsTheOwnersAndNotSteppedUpAgain() {
    long t = benignHistory();
    Observation signIn = new Observation("b-new", "acme", "login.succeeded", t, "45.3.3.3",
        "Safari/17", "new-laptop", "user4", "u4", null, null, null, false, "sid-1");
    engine.accept(signIn);
    assertThat(found).filteredOn(d -> d.kind().equals("account_takeover")).hasSize(1);
    engine.accept(new Observation("b-mfa", "acme", "mfa.verified", t + 30, null, null, null,
        null, "u4", null, null, null, false, "sid-1"));
    // The next morning, the same laptop at the same place: the owner's, confirmed.
    DetectionEngine.Risk next = engine.assess("acme", "user4", "45.3.3.3", "Safari/17",
        "new-laptop", t + DAY);
    assertThat(next.stepUp()).isFalse();
  }

  @Test
  void tokenAbuseWhenClientTokensComeFromNewSubnetsThenDetected() {
    long t = T0;
    for (int m = 0; m < 3 * 24 * 60; m += 2) {
      feed(T0 + m * 60L, "token.issued", "203.0.113." + (m % 5), null, null, null, "svc", false);
      t = T0 + m * 60L;
    }
    for (int i = 0; i < 60; i++) {
      feed(t + 60 + i, "token.issued", "185." + i % 7 + ".1.1", null, null, null, "svc", true);
    }
    engine.finish(t + 5000);
    assertThat(covered("token_abuse")).hasSizeGreaterThanOrEqualTo(40)
        .allMatch(attackIds::contains);
  }

  @Test
  void tokenRateSurgeWhenFromTheClientsOwnAddressThenPeopleThereAreNotSteppedUp() {
    // A service at user4's address issues a token every two minutes for three days, then a
    // surge: a token_abuse incident, but its address is the client's own, not an attacker's.
    long t = serviceHistory(benignHistory(), m -> home(4));
    for (int i = 0; i < 600; i++) {
      feed(t + 60 + i / 10, "token.issued", home(4), null, null, null, "svc", true);
    }
    assertThat(found).anyMatch(d -> d.kind().equals("token_abuse"));

    DetectionEngine.Risk r = engine.assess("acme", "user4", home(4), "Firefox/120", "dev4",
        t + 200);
    assertThat(r.factors()).doesNotContainKey("attack_source");
    assertThat(r.stepUp()).isFalse();
  }

  @Test
  void tokenAbuseWhenFromNewSubnetsThenSignInsFromThemAreRisky() {
    long t = serviceHistory(benignHistory(), m -> "203.0.113." + (m % 5));
    for (int i = 0; i < 60; i++) {
      feed(t + 60 + i, "token.issued", "185." + i % 7 + ".1.1", null, null, null, "svc", true);
    }
    assertThat(found).anyMatch(d -> d.kind().equals("token_abuse"));

    DetectionEngine.Risk r = engine.assess("acme", "user4", "185.0.1.1", "Firefox/120", "dev4",
        t + 200);
    assertThat(r.factors()).containsKey("attack_source");
  }

  @Test
  void refreshReuseBurstThenDetected() {
    long t = T0;
    for (int d = 0; d < 3; d++) {
      t = T0 + d * DAY + 3600;
      feed(t, "refresh.reused", "81.1.1.1", null, null, null, "app", false);
    }
    for (int i = 0; i < 12; i++) {
      feed(t + DAY / 2 + i * 5, "refresh.reused", "45.0.0." + i, null, null, null, "app", true);
    }
    engine.finish(t + DAY);
    assertThat(covered("refresh_reuse_burst")).hasSizeGreaterThanOrEqualTo(6)
        .allMatch(attackIds::contains);
  }

  @Test
  void probingWhenAPrincipalIsDeniedOnManyNewResourcesThenDetected() {
    long t = T0;
    for (int h = 0; h < 72; h++) {
      t = T0 + h * 3600L;
      engine.accept(new Observation("b-p" + h, "acme", "policy.decision", t, null, null, null,
          null, null, null, "User::\"ann\"", "Doc::\"d" + h % 5 + "\"", h % 10 == 0));
    }
    for (int i = 0; i < 40; i++) {
      String id = "a-p" + i;
      attackIds.add(id);
      engine.accept(new Observation(id, "acme", "policy.decision", t + 60 + i * 5, null, null,
          null, null, null, null, "User::\"ann\"", "Doc::\"secret" + i + "\"", true));
    }
    engine.finish(t + DAY);
    assertThat(covered("authorization_probing")).hasSizeGreaterThanOrEqualTo(25)
        .allMatch(attackIds::contains);
    assertThat(coveredBenign()).isEmpty();
  }

  @Test
  void blockPolicyWhenStuffingFromOneAddressThenAddressBlockedOthersNot() {
    engine = engine(ResponsePolicy.BLOCK);
    long t = benignHistory();
    for (int i = 0; i < 30; i++) {
      feed(t + i, "login.failed", "45.6.6.6", "python-requests/2.31", null, "leaked" + i, null,
          true);
    }
    assertThat(engine.blocked("acme", "45.6.6.6", "whoever", t + 60)).isPresent();
    assertThat(engine.blocked("acme", home(1), "user1", t + 60)).isEmpty();
    // A block ends by itself.
    assertThat(engine.blocked("acme", "45.6.6.6", "whoever",
        t + DetectSettings.DEFAULTS.blockSeconds() + 60)).isEmpty();
  }

  @Test
  void accountBlockWhenOwnerComesFromAFamiliarNetworkThenLetThrough() {
    engine = engine(ResponsePolicy.BLOCK);
    long t = benignHistory();
    for (int i = 0; i < 9; i++) {
      feed(t + i * 30, "login.failed", "45.9." + i + ".1", "curl/8.4", null, "user3", null, true);
    }
    assertThat(engine.blocked("acme", "45.99.1.1", "user3", t + 400)).isPresent();
    assertThat(engine.blocked("acme", home(3), "user3", t + 400)).isEmpty();
  }

  @Test
  void allowPolicyWhenDetectedThenNoActionNamed() {
    engine = engine(ResponsePolicy.ALLOW);
    long t = benignHistory();
    for (int i = 0; i < 30; i++) {
      feed(t + i, "login.failed", "45.6.6.6", "python-requests/2.31", null, "leaked" + i, null,
          true);
    }
    assertThat(found).isNotEmpty().allMatch(d -> d.action().equals("none"));
    assertThat(engine.blocked("acme", "45.6.6.6", "x", t + 60)).isEmpty();
  }

  @Test
  void tenantsWhenOneIsAttackedThenTheOtherLearnsNothingOfIt() {
    long t = benignHistory();
    for (int i = 0; i < 40; i++) {
      engine.accept(new Observation("other-" + i, "beta", "login.failed", t + i, "45.1.1." + i,
          null, null, "leaked" + i, null, null, null, null, false));
    }
    assertThat(found).allMatch(d -> d.tenant().equals("beta"));
    assertThat(engine.assess("acme", "user4", home(4), "Firefox/120", "dev4", t).stepUp())
        .isFalse();
  }
}
