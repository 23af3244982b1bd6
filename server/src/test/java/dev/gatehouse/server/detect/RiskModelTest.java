package dev.gatehouse.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sign-in risk score's terms, each on a small tenant whose history is written out: 40 people
 * signing in from home (one ISP's /16), half of them also from one mobile carrier's /16.
 */
class RiskModelTest {

  private static final String AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0";

  private static final long DAY = 86_400;
  private static final long NOW = 1_793_491_200L + 10 * DAY;

  private final RiskModel model = new RiskModel(1000, DAY);

  /** Ten days of sign-ins of 40 accounts; {@code alice} is one of them, at home only. */
  private void history() {
    for (int day = 0; day < 10; day++) {
      for (int u = 0; u < 40; u++) {
        boolean mobile = u % 2 == 1 && day % 2 == 1;
        String ip = mobile ? "100.64." + (day * 40 + u) % 256 + ".9" : "81.2." + u + ".7";
        model.learn(u == 0 ? "alice" : "user" + u, RiskModel.features(ip, AGENT,
            mobile ? "phone" + u : "laptop" + u), 8);
      }
    }
  }

  private static String home() {
    return "81.2.0.7";
  }

  private double score(String account, String ip, Map<String, Object> factors) {
    return model.score(account, RiskModel.features(ip, AGENT, "new-device"), NOW, 8, factors);
  }

  /** The score of alice signing in at {@code time} on a new laptop from an address never seen. */
  private double stranger(long time) {
    return model.score("alice", RiskModel.features("45.77.0.10", AGENT, "attacker-laptop"), time,
        8, null);
  }

  private void holdStranger(long time, String sid, boolean risky) {
    model.hold("alice", RiskModel.features("45.77.0.10", AGENT, "attacker-laptop"), 8, time, sid,
        risky);
  }

  @Test
  void scoreWhenNetworkNoOneInTheTenantUsedThenRiskierThanACarrierOthersUse() {
    history();
    Map<String, Object> carrier = RiskModel.newFactors();
    Map<String, Object> elsewhere = RiskModel.newFactors();
    // Both networks are new to alice; only the second is new to the whole tenant.
    double known = score("alice", "100.64.200.3", carrier);
    double unknown = score("alice", "45.77.0.10", elsewhere);
    assertThat(unknown - known).isGreaterThan(1.5);
    assertThat((double) elsewhere.get("tenant_network")).isGreaterThan(1.0);
    assertThat((double) carrier.get("tenant_network")).isLessThanOrEqualTo(0.0);
  }

  @Test
  void scoreWhenANewDeviceBringsANewBrowserFamilyThenCountedOnce() {
    // A new phone is one piece of news: its browser family comes with it. Without the device
    // term the family would be counted twice over.
    history();
    String phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148";
    Map<String, Object> sameFamily = RiskModel.newFactors();
    Map<String, Object> newFamily = RiskModel.newFactors();
    double same = model.score("alice", RiskModel.features(home(), AGENT, "new-phone"), NOW, 8,
        sameFamily);
    double other = model.score("alice", RiskModel.features(home(), phone, "new-phone"), NOW, 8,
        newFamily);
    assertThat((double) newFamily.get("device")).isGreaterThan(0.5);
    // The new family costs at most the reassurance a familiar one would have given.
    assertThat(other).isLessThanOrEqualTo(same - (double) sameFamily.get("agent") + 0.01);
  }

  @Test
  void scoreWhenTheOwnersOwnLaptopComesFromANetworkNobodyUsedThenNotRisky() {
    // A traveller at a hotel no one in the tenant ever used, at an unusual hour, on the laptop
    // whose device cookie the account has signed in with for days: the cookie is a secret the
    // server set, better evidence of the owner than one hotel is of a stranger.
    history();
    double s = model.score("alice", RiskModel.features("151.20.30.40", AGENT, "laptop0"), NOW, 3,
        null);
    assertThat(s).isLessThan(DetectSettings.DEFAULTS.stepUpScore());
  }

  @Test
  void scoreWhenEveryNetworkOfTheTenantIsNewThenTheNetworkTermFades() {
    // A tenant whose people all come from networks no one else used: a new one is no news (at
    // most the small evidence for the owner of log10(1/2)).
    for (int day = 0; day < 10; day++) {
      for (int u = 0; u < 40; u++) {
        model.learn("user" + u, RiskModel.features((20 + u) + "." + day + ".1.7", AGENT,
            "laptop" + u), 8);
      }
    }
    Map<String, Object> factors = RiskModel.newFactors();
    score("user1", "45.77.0.10", factors);
    assertThat((double) factors.get("tenant_network")).isBetween(-0.31, 0.0);
  }

  @Test
  void holdWhenTheSameStrangerSignsInAgainSoonThenStillMeasuredAgainstTheOwner() {
    history();
    double first = stranger(NOW);
    holdStranger(NOW, "s1", false);
    // Ten minutes later the first sign-in is not yet the owner's history: the same score.
    assertThat(stranger(NOW + 600)).isCloseTo(first, org.assertj.core.data.Offset.offset(0.01));
    // A quiet day later it is.
    assertThat(stranger(NOW + DAY + 1)).isLessThan(first - 1);
  }

  @Test
  void holdWhenRiskyThenLearnedOnlyWhenASecondFactorConfirmsIt() {
    history();
    double first = stranger(NOW);
    holdStranger(NOW, "s1", true);
    assertThat(stranger(NOW + 2 * DAY)).isCloseTo(first, org.assertj.core.data.Offset.offset(0.3));
    holdStranger(NOW + 2 * DAY, "s2", true);
    assertThat(model.confirm("alice", "s-other")).isFalse();
    assertThat(model.confirm("alice", "s2")).isTrue();
    assertThat(stranger(NOW + 2 * DAY + 60)).isLessThan(first - 1);
  }

  @Test
  void knowsWhenHeldThenTheNetworkIsFamiliarUnlessTheSignInWasRisky() {
    history();
    holdStranger(NOW, "s1", true);
    assertThat(model.profile("alice").knows("45.77.0.0/24")).isFalse();
    holdStranger(NOW + 60, "s2", false);
    assertThat(model.profile("alice").knows("45.77.0.0/24")).isTrue();
  }

  @Test
  void holdWhenMoreThanFitThenTheOldestIsLearnedEarly() {
    history();
    double first = stranger(NOW);
    for (int i = 0; i <= RiskModel.HELD; i++) {
      holdStranger(NOW + i, "s" + i, false);
    }
    assertThat(stranger(NOW + 60)).isLessThan(first - 0.5);
  }

  @Test
  void blockWhenIpv4OrIpv6ThenProviderSizedPrefix() {
    assertThat(Network.block("203.0.113.7")).isEqualTo("203.0.0.0/16");
    assertThat(Network.block("2001:db8:1:2::7")).isEqualTo("2001:db8::/32");
    assertThat(Network.block(null)).isEqualTo("none");
  }
}
