package dev.gatehouse.server.mfa;

import dev.gatehouse.server.session.Acr;
import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * WebAuthn (Level 2, with Level 3's JSON encodings) registration and authentication ceremonies
 * for passkeys, verified by webauthn4j: discoverable credentials, user verification required,
 * signature counters checked, several named credentials per user.
 *
 * <p>The browser's answer arrives as the JSON of {@code PublicKeyCredential} (WebAuthn L3
 * §5.1.8 {@code RegistrationResponseJSON} / {@code AuthenticationResponseJSON}). webauthn4j's own
 * JSON handling uses Jackson 3; our code never touches it. Attestation is not required (passkeys
 * rarely carry one): the non-strict manager accepts {@code none} and self attestation.
 *
 * <p>The user handle of every credential is the Gatehouse user id (random, no personal data),
 * which is how a username-less sign-in finds its user.
 */
public final class PasskeyService {

  /** The ceremony a challenge was issued for. */
  public static final String REGISTER = "webauthn.create";
  public static final String AUTHENTICATE = "webauthn.get";
  /** WebAuthn L2 §5.4: "-7 (ES256)", "-257 (RS256)", "-8 (EdDSA)" cover every common authenticator. */
  static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
      new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY,
          COSEAlgorithmIdentifier.ES256),
      new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY,
          COSEAlgorithmIdentifier.EdDSA),
      new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY,
          COSEAlgorithmIdentifier.RS256));
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final int MAX_RESPONSE = 64 * 1024;

  private final PasskeyStore store;
  private final Challenges challenges;
  private final Clock clock;
  private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager();
  private final AttestedCredentialDataConverter attested =
      new AttestedCredentialDataConverter(new ObjectConverter());

  /** Where ceremonies happen: the RP ID and the origins allowed in client data. */
  public record RelyingParty(String id, String name, Set<String> origins) {

    /** The policy's RP, or by default the host and origin of {@code issuer}. */
    public static RelyingParty of(MfaPolicy policy, String issuer, String name) {
      URI u = URI.create(issuer);
      String origin = u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":"
          + u.getPort());
      return new RelyingParty(policy.rpId() != null ? policy.rpId() : u.getHost(), name,
          policy.origins().isEmpty() ? Set.of(origin) : policy.origins());
    }
  }

  /** What the page passes to {@code navigator.credentials.create()}. */
  public record CreationOptions(String challenge, String rpId, String rpName, String userId,
      String userName, String userDisplayName, List<String> excludeCredentials) {}

  /** A refusal with a message a person can act on. */
  public static final class PasskeyException extends RuntimeException {
    private final boolean cloned;

    /** The session the passkey was being added in ended meanwhile (signed out, reset). */
    public static PasskeyException sessionEnded() {
      return new PasskeyException("Your session has ended. Sign in again.", false);
    }

    PasskeyException(String message, boolean cloned) {
      super(message, null, false, false);
      this.cloned = cloned;
    }

    /** Whether the signature counter went backwards: a cloned authenticator is suspected. */
    public boolean cloned() {
      return cloned;
    }
  }

  /** A verified assertion: whose credential, and the RFC 8176 methods it stands for. */
  public record Assertion(String userId, String credentialId, List<String> amr) {}

  public PasskeyService(PasskeyStore store, Challenges challenges, Clock clock) {
    this.store = store;
    this.challenges = challenges;
    this.clock = clock;
  }

  public List<PasskeyStore.Passkey> list(String tenantId, String userId) {
    return store.listByUser(tenantId, userId);
  }

  public boolean remove(String tenantId, String userId, String credentialId) {
    return store.delete(tenantId, userId, credentialId);
  }

  public int removeAll(String tenantId, String userId) {
    return store.deleteAll(tenantId, userId);
  }

  /** Options for registering a passkey of a signed-in user; the challenge is bound to its session. */
  public CreationOptions creationOptions(String tenantId, RelyingParty rp, String userId,
      String userName, String displayName, String sid) {
    return new CreationOptions(challenges.issue(tenantId, REGISTER, sid), rp.id(), rp.name(),
        B64.encodeToString(userId.getBytes(StandardCharsets.UTF_8)), userName,
        displayName == null || displayName.isBlank() ? userName : displayName,
        store.listByUser(tenantId, userId).stream().map(PasskeyStore.Passkey::credentialId)
            .toList());
  }

  /** A challenge for {@code navigator.credentials.get()}, bound to the browser. */
  public String requestChallenge(String tenantId, String browserBinding) {
    return challenges.issue(tenantId, AUTHENTICATE, browserBinding);
  }

  /** Verifies a registration response and stores the credential under {@code name}. */
  public PasskeyStore.Passkey register(String tenantId, RelyingParty rp, String userId,
      String sid, String challenge, String responseJson, String name) {
    byte[] expected = challenges.consume(tenantId, REGISTER, sid, challenge);
    if (expected == null) {
      throw new PasskeyException("The passkey request has expired. Try again.", false);
    }
    if (responseJson == null || responseJson.length() > MAX_RESPONSE) {
      throw new PasskeyException("The browser sent no passkey.", false);
    }
    RegistrationData data;
    try {
      data = manager.parseRegistrationResponseJSON(responseJson);
      // §7.1 steps 14-16: user present, and (we require it) user verified.
      manager.verify(data, new RegistrationParameters(server(rp, expected), ALGORITHMS, true,
          true));
    } catch (RuntimeException e) {
      throw new PasskeyException("The passkey could not be verified.", false);
    }
    AuthenticatorData<?> ad = data.getAttestationObject().getAuthenticatorData();
    AttestedCredentialData acd = ad.getAttestedCredentialData();
    String credentialId = B64.encodeToString(acd.getCredentialId());
    String transports = data.getTransports() == null ? "" : data.getTransports().stream()
        .map(AuthenticatorTransport::getValue).collect(Collectors.joining(" "));
    String label = name == null || name.isBlank() ? "Passkey" : name.strip();
    PasskeyStore.Passkey p = new PasskeyStore.Passkey(tenantId, credentialId, userId,
        label.length() > 100 ? label.substring(0, 100) : label,
        B64.encodeToString(attested.convert(acd)), ad.getSignCount(), ad.isFlagUV(),
        ad.isFlagBE(), ad.isFlagBS(), transports, clock.instant().getEpochSecond(), null);
    // §7.1 step 22: "If the credentialId is already known then the Relying Party SHOULD fail
    // this registration ceremony."
    if (!store.insert(p)) {
      throw new PasskeyException("This passkey is already registered.", false);
    }
    return p;
  }

  /**
   * Verifies an authentication response. With {@code expectedUserId} (a second factor after a
   * password) the credential must be that user's; without (username-less sign-in) the user is the
   * credential's owner, and the response's user handle must name them.
   */
  public Assertion authenticate(String tenantId, RelyingParty rp, String browserBinding,
      String challenge, String responseJson, String expectedUserId) {
    byte[] expected = challenges.consume(tenantId, AUTHENTICATE, browserBinding, challenge);
    if (expected == null) {
      throw new PasskeyException("The passkey request has expired. Try again.", false);
    }
    if (responseJson == null || responseJson.length() > MAX_RESPONSE) {
      throw new PasskeyException("The browser sent no passkey.", false);
    }
    AuthenticationData data;
    try {
      data = manager.parseAuthenticationResponseJSON(responseJson);
    } catch (RuntimeException e) {
      throw new PasskeyException("The passkey could not be verified.", false);
    }
    String credentialId = B64.encodeToString(data.getCredentialId());
    PasskeyStore.Passkey p = store.find(tenantId, credentialId).orElseThrow(() ->
        new PasskeyException("This passkey is not registered here.", false));
    if (expectedUserId != null && !expectedUserId.equals(p.userId())) {
      throw new PasskeyException("This passkey belongs to someone else.", false);
    }
    // §7.2 step 6: "If the user was identified before the authentication ceremony was initiated,
    // ... if response.userHandle is present, verify that it equals the user handle"; otherwise
    // "verify that response.userHandle is present" and that the credential belongs to it.
    byte[] handle = data.getUserHandle();
    if (handle == null ? expectedUserId == null
        : !p.userId().equals(new String(handle, StandardCharsets.UTF_8))) {
      throw new PasskeyException("The passkey could not be verified.", false);
    }
    AttestedCredentialData acd = attested.convert(B64D.decode(p.attestedData()));
    CredentialRecordImpl record = new CredentialRecordImpl(null, p.uvInitialized(),
        p.backupEligible(), p.backupState(), p.signCount(), acd, null, null, null, null);
    try {
      manager.verify(data, new AuthenticationParameters(server(rp, expected), record,
          List.of(data.getCredentialId()), true, true));
    } catch (MaliciousCounterValueException e) {
      // §7.2 step 22: "If authData.signCount is ... less than or equal to storedSignCount: This
      // is a signal that the authenticator may be cloned ... the Relying Party ... may decide to
      // fail the ceremony" — we do.
      throw new PasskeyException("This passkey's signature counter went backwards: it may have"
          + " been copied. Use another factor and remove this passkey.", true);
    } catch (RuntimeException e) {
      throw new PasskeyException("The passkey could not be verified.", false);
    }
    AuthenticatorData<?> ad = data.getAuthenticatorData();
    if (!store.used(tenantId, credentialId, ad.getSignCount(), ad.isFlagBS(),
        clock.instant().getEpochSecond())) {
      // Another assertion with this count or a higher one was accepted since the count was read.
      throw new PasskeyException("This passkey's signature counter went backwards: it may have"
          + " been copied. Use another factor and remove this passkey.", true);
    }
    // A device-bound credential proves a hardware key; a synced one a software-held one.
    return new Assertion(p.userId(), credentialId, List.of(p.backupEligible() ? Acr.AMR_SWK
        : Acr.AMR_HWK, Acr.AMR_USER, Acr.AMR_MFA));
  }

  private static ServerProperty server(RelyingParty rp, byte[] challenge) {
    Set<Origin> origins = new LinkedHashSet<>();
    for (String o : rp.origins()) {
      origins.add(new Origin(o));
    }
    return ServerProperty.builder().origins(origins).rpId(rp.id())
        .challenge(new DefaultChallenge(challenge)).build();
  }
}
