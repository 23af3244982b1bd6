package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.mfa.MfaService.Need;
import dev.gatehouse.server.oauth.AuthorizationRequest;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.web.SignInPolicy.Facts;
import dev.gatehouse.server.web.SignInPolicy.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sign-in decision as a table: session (none, of a disabled user, signed in for this very
 * request, some seconds or hours old) × prompt × max_age × what MFA demands × what was granted.
 */
class SignInPolicyTest {

  static final long NOW = 1_800_000_000L;
  static final String SID = "sid-1";
  static final Set<String> SCOPE = Set.of("openid", "email");

  /** How the browser's session stands. */
  enum SessionAge {
    NONE, DISABLED_USER, THIS_REQUEST, SECONDS_10, HOURS_2;

    Facts facts(Need mfa, Set<String> granted) {
      return switch (this) {
        case NONE -> Facts.NONE;
        case DISABLED_USER -> new Facts(session(10), false, mfa, granted);
        case THIS_REQUEST -> new Facts(session(7200), true, mfa, granted);
        case SECONDS_10 -> new Facts(session(10), true, mfa, granted);
        case HOURS_2 -> new Facts(session(7200), true, mfa, granted);
      };
    }
  }

  static Session session(long age) {
    return new Session("acme", SID, "u1", NOW - age, List.of("pwd"), "urn:gatehouse:acr:pwd",
        NOW - age, NOW + 3600);
  }

  static AuthorizationRequest request(Set<String> prompt, Integer maxAge, String loginSid,
      String consentSid) {
    return new AuthorizationRequest("app", "https://app.example.com/cb", false, "query", "s",
        SCOPE, null, "challenge", prompt, maxAge, null, NOW - 5, loginSid, List.of(),
        consentSid, dev.gatehouse.server.oauth.ClaimsRequest.NONE);
  }

  /** The rule, written out from OIDC Core §3.1.2.1 independently of the code. */
  static Step expected(SessionAge age, Set<String> prompt, Integer maxAge, Need mfa,
      Set<String> granted, boolean consentedHere) {
    if (age == SessionAge.NONE || age == SessionAge.DISABLED_USER) {
      return Step.AUTHENTICATION;
    }
    long elapsed = age == SessionAge.SECONDS_10 ? 10 : 7200;
    boolean fresh = age == SessionAge.THIS_REQUEST
        || !prompt.contains("login") && (maxAge == null || maxAge != 0 && elapsed <= maxAge);
    if (!fresh) {
      return Step.AUTHENTICATION;
    }
    if (mfa != Need.NONE) {
      return Step.SECOND_FACTOR;
    }
    if (prompt.contains("consent") && !consentedHere || !granted.containsAll(SCOPE)) {
      return Step.CONSENT;
    }
    return Step.NOTHING;
  }

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    List<Set<String>> prompts = List.of(Set.of(), Set.of("none"), Set.of("login"),
        Set.of("consent"));
    List<Integer> maxAges = new ArrayList<>();
    maxAges.add(null);
    maxAges.addAll(List.of(0, 60, 86_400));
    for (SessionAge age : SessionAge.values()) {
      for (Set<String> prompt : prompts) {
        for (Integer maxAge : maxAges) {
          for (Need mfa : Need.values()) {
            for (Set<String> granted : List.of(Set.<String>of(), Set.of("openid"), SCOPE)) {
              for (boolean consentedHere : new boolean[] {false, true}) {
                rows.add(Arguments.of(age, prompt, maxAge, mfa, granted, consentedHere));
              }
            }
          }
        }
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} prompt={1} max_age={2} mfa={3} granted={4} consented={5}")
  @MethodSource("table")
  void authorizationWhenFactsVaryThenOwesWhatTheSpecSays(SessionAge age, Set<String> prompt,
      Integer maxAge, Need mfa, Set<String> granted, boolean consentedHere) {
    AuthorizationRequest ar = request(prompt, maxAge,
        age == SessionAge.THIS_REQUEST ? SID : "other-sid", consentedHere ? SID : null);
    SignInPolicy.Owed owed = SignInPolicy.authorization(ar, age.facts(mfa, granted), NOW);
    Step step = expected(age, prompt, maxAge, mfa, granted, consentedHere);
    assertThat(owed.step()).isEqualTo(step);
    if (step == Step.SECOND_FACTOR) {
      assertThat(owed.mfa()).isEqualTo(mfa);
    }
  }

  /** The rows a reader checks by eye, boundaries included. */
  @ParameterizedTest(name = "age {0}s, prompt={1}, max_age={2}, mfa={3}, granted={4} → {5}")
  @CsvSource(nullValues = "-", value = {
      "10,   -,       -,  NONE,   openid email, NOTHING",
      "10,   login,   -,  NONE,   openid email, AUTHENTICATION",
      "10,   -,       0,  NONE,   openid email, AUTHENTICATION",
      "60,   -,       60, NONE,   openid email, NOTHING",
      "61,   -,       60, NONE,   openid email, AUTHENTICATION",
      "7200, -,       60, VERIFY, openid email, AUTHENTICATION",
      "10,   -,       60, VERIFY, openid email, SECOND_FACTOR",
      "10,   -,       60, ENROL,  -,            SECOND_FACTOR",
      "10,   -,       -,  NONE,   openid,       CONSENT",
      "10,   consent, -,  NONE,   openid email, CONSENT",
      "10,   none,    -,  NONE,   openid email, NOTHING"})
  void authorizationWhenRowThenStep(long age, String prompt, Integer maxAge, Need mfa,
      String granted, Step step) {
    AuthorizationRequest ar = request(prompt == null ? Set.of() : Set.of(prompt), maxAge, null,
        null);
    Facts f = new Facts(session(age), true, mfa, granted == null ? Set.of()
        : Set.of(granted.split(" ")));
    assertThat(SignInPolicy.authorization(ar, f, NOW).step()).isEqualTo(step);
  }

  @Nested
  @DisplayName("OIDC Core §3.1.2.6 errors of prompt=none")
  class PromptNone {

    @Test
    void stepWhenOwedThenItsPromptNoneError() {
      assertThat(Step.AUTHENTICATION.promptNoneError()).isEqualTo("login_required");
      assertThat(Step.REAUTHENTICATION.promptNoneError()).isEqualTo("login_required");
      assertThat(Step.SECOND_FACTOR.promptNoneError()).isEqualTo("interaction_required");
      assertThat(Step.CONSENT.promptNoneError()).isEqualTo("consent_required");
      assertThat(Step.NOTHING.promptNoneError()).isNull();
    }
  }

  @Nested
  @DisplayName("the account page")
  class Account {

    final Duration window = Duration.ofMinutes(10);

    @Test
    void accountWhenNoSessionOrDisabledUserThenAuthentication() {
      assertThat(SignInPolicy.account(Facts.NONE, NOW, false, window).step())
          .isEqualTo(Step.AUTHENTICATION);
      assertThat(SignInPolicy.account(new Facts(session(5), false, Need.NONE, Set.of()), NOW,
          false, window).step()).isEqualTo(Step.AUTHENTICATION);
    }

    @Test
    void accountWhenSecondFactorDueThenSecondFactorEvenToLook() {
      SignInPolicy.Owed owed = SignInPolicy.account(new Facts(session(5), true, Need.ENROL,
          Set.of()), NOW, false, window);
      assertThat(owed.step()).isEqualTo(Step.SECOND_FACTOR);
      assertThat(owed.mfa()).isEqualTo(Need.ENROL);
    }

    @Test
    void accountWhenChangeAndAuthenticationOlderThanTheWindowThenReauthentication() {
      Facts old = new Facts(session(601), true, Need.NONE, Set.of());
      Facts recent = new Facts(session(600), true, Need.NONE, Set.of());
      assertThat(SignInPolicy.account(old, NOW, false, window).step()).isEqualTo(Step.NOTHING);
      assertThat(SignInPolicy.account(old, NOW, true, window).step())
          .isEqualTo(Step.REAUTHENTICATION);
      assertThat(SignInPolicy.account(recent, NOW, true, window).step()).isEqualTo(Step.NOTHING);
    }
  }
}
