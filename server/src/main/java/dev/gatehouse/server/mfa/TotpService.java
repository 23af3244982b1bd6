package dev.gatehouse.server.mfa;

import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.Secrets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * TOTP authenticators (RFC 6238): enrolment with a fresh 160-bit secret shown once as base32, an
 * {@code otpauth://} URI and its QR code; confirmation with a first code; verification within a
 * ±1 step window, each step accepted once per user (a code seen once is a replay the second time).
 *
 * <p>Secrets are encrypted with the master key (AES-GCM), bound to tenant and user as associated
 * data, so a secret copied to another user's row does not decrypt.
 */
public final class TotpService {

  /** RFC 4226 §4 R6: "The length of the shared secret MUST be at least 128 bits" (160 advised). */
  static final int SECRET_BYTES = 20;

  private final TotpStore store;
  private final MasterKey masterKey;
  private final Clock clock;

  /** An enrolment to show: the secret (base32), the URI for apps, and the URI as a QR code. */
  public record Enrollment(String secret, String uri, QrSvg.Image qr) {}

  /** How a code fared. */
  public enum Outcome { ACCEPTED, WRONG, REPLAYED, NOT_ENROLLED }

  public TotpService(TotpStore store, MasterKey masterKey, Clock clock) {
    this.store = store;
    this.masterKey = masterKey;
    this.clock = clock;
  }

  /** Whether the user has a confirmed authenticator. */
  public boolean enrolled(String tenantId, String userId) {
    return store.find(tenantId, userId).filter(TotpStore.Entry::confirmed).isPresent();
  }

  /**
   * Starts an enrolment (replacing an unconfirmed one); empty when a confirmed authenticator
   * exists: it must be removed first, so a stolen session cannot silently swap it.
   */
  public Optional<Enrollment> enrol(String tenantId, String userId, String issuerName,
      String accountName) {
    byte[] secret = new byte[SECRET_BYTES];
    Secrets.random().nextBytes(secret);
    if (!store.putPending(new TotpStore.Entry(tenantId, userId,
        masterKey.encrypt(secret, context(tenantId, userId)), false, -1,
        clock.instant().getEpochSecond()))) {
      return Optional.empty();
    }
    return Optional.of(enrollment(secret, issuerName, accountName));
  }

  /** The pending enrolment again (e.g. the page is shown a second time after a wrong code). */
  public Optional<Enrollment> pending(String tenantId, String userId, String issuerName,
      String accountName) {
    return store.find(tenantId, userId).filter(e -> !e.confirmed())
        .map(e -> enrollment(masterKey.decrypt(e.secretEnc(), context(tenantId, userId)),
            issuerName, accountName));
  }

  static Enrollment enrollment(byte[] secret, String issuerName, String accountName) {
    String b32 = Base32.encode(secret);
    // Key Uri Format (Google Authenticator): otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...
    String label = enc(issuerName) + ":" + enc(accountName);
    String uri = "otpauth://totp/" + label + "?secret=" + b32 + "&issuer=" + enc(issuerName)
        + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
    return new Enrollment(b32, uri, QrSvg.of(uri));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Confirms the pending enrolment with a first code from the app. */
  public Outcome confirm(String tenantId, String userId, String code) {
    Optional<TotpStore.Entry> e = store.find(tenantId, userId).filter(x -> !x.confirmed());
    if (e.isEmpty()) {
      return Outcome.NOT_ENROLLED;
    }
    long step = Totp.match(masterKey.decrypt(e.get().secretEnc(), context(tenantId, userId)),
        normalise(code), clock.instant().getEpochSecond());
    if (step < 0) {
      return Outcome.WRONG;
    }
    // The secret the code was checked against: another tab may have replaced it meanwhile.
    return store.confirm(tenantId, userId, e.get().secretEnc(), step) ? Outcome.ACCEPTED
        : Outcome.NOT_ENROLLED;
  }

  /** Checks a code of a confirmed authenticator; a step already used is refused. */
  public Outcome verify(String tenantId, String userId, String code) {
    Optional<TotpStore.Entry> e = store.find(tenantId, userId).filter(TotpStore.Entry::confirmed);
    if (e.isEmpty()) {
      return Outcome.NOT_ENROLLED;
    }
    long step = Totp.match(masterKey.decrypt(e.get().secretEnc(), context(tenantId, userId)),
        normalise(code), clock.instant().getEpochSecond());
    if (step < 0) {
      return Outcome.WRONG;
    }
    // RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the OTP after the
    // successful validation has been issued for the first OTP".
    return store.advance(tenantId, userId, step) ? Outcome.ACCEPTED : Outcome.REPLAYED;
  }

  public boolean remove(String tenantId, String userId) {
    return store.delete(tenantId, userId);
  }

  private static String normalise(String code) {
    return code == null ? null : code.replace(" ", "").replace("-", "");
  }

  private static String context(String tenantId, String userId) {
    return "mfa/totp\u0000" + tenantId + "\u0000" + userId;
  }
}
