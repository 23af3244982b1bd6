package dev.gatehouse.server.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.store.Transactions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in security events, written to the transactional outbox through {@link EventSink} and
 * logged on {@code dev.gatehouse.security}. Each type name is stable (consumers match on it); the
 * payload is a JSON object of the event's details. docs/sign-in.md lists them.
 *
 * <p>An event that describes a state change (a session created or ended, tokens revoked, a consent
 * recorded) is written in the same transaction as the change, through {@link #recordWith}: both
 * commit or neither does. An event without one (a failed login) is written on its own through
 * {@link #record}; if the outbox cannot take it, the failure is logged and the request goes on.
 */
public final class SignInEvents {

  /** A person signed in with a password: {@code user_id}, {@code sid}, {@code client_id}, ip. */
  public static final String LOGIN_SUCCEEDED = "login.succeeded";
  /** Wrong username or password: {@code username_hash}, {@code client_id}, ip. */
  public static final String LOGIN_FAILED = "login.failed";
  /** This failure locked the account name: {@code username_hash}, {@code locked_seconds}, ip. */
  public static final String ACCOUNT_LOCKED = "account.locked";
  /** This failure put the client address over its failure cap: {@code window_seconds}, ip. */
  public static final String IP_THROTTLED = "ip.throttled";
  /** A form without a valid CSRF token was refused: ip. */
  public static final String CSRF_REFUSED = "csrf.refused";
  /** An authorization code was used twice: {@code client_id}, the tokens revoked. */
  public static final String CODE_REPLAYED = "code.replayed";
  /** A rotated refresh token was used again: {@code client_id}, {@code user_id}, family. */
  public static final String REFRESH_REUSED = "refresh.reused";
  /** An SSO session ended: {@code sid}, {@code user_id}, {@code reason} (logout or admin). */
  public static final String SESSION_ENDED = "session.ended";
  /**
   * A user's sessions and tokens were ended because the user was disabled, deleted or given a new
   * password by an administrator: {@code user_id}, {@code reason}, and how many of each.
   */
  public static final String USER_CREDENTIALS_REVOKED = "user.credentials_revoked";
  /** A person allowed a client: {@code user_id}, {@code client_id}, {@code scope}. */
  public static final String CONSENT_GRANTED = "consent.granted";

  private static final Logger LOG = LoggerFactory.getLogger("dev.gatehouse.security");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventSink sink;
  private final Transactions transactions;
  private final Clock clock;
  private volatile SecurityMeters meters;

  public SignInEvents(EventSink sink, Transactions transactions, Clock clock) {
    this.sink = sink;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** Events that are only logged: for tests and tools without an outbox. */
  public static SignInEvents logOnly(Clock clock) {
    return new SignInEvents(events -> { }, Transactions.NONE, clock);
  }

  /** Records an event that no state change goes with; never fails the caller. */
  public void record(String tenantId, String type, Map<String, ?> details) {
    try {
      sink.append(List.of(event(tenantId, type, details)));
    } catch (RuntimeException e) {
      LOG.warn("event={} tenant={} could not be written to the outbox: {}", type, tenantId,
          e.getMessage());
    }
  }

  /**
   * Runs {@code change} and records the event {@code details} makes of its result, in one
   * transaction. If either fails, neither happens, and the failure is thrown.
   */
  public <T> T recordWith(String tenantId, String type, Supplier<T> change,
      Function<? super T, ? extends Map<String, ?>> details) {
    return transactions.transactionally(() -> {
      T result = change.get();
      sink.append(List.of(event(tenantId, type, details.apply(result))));
      return result;
    });
  }

  /** {@link #recordWith(String, String, Supplier, Function)} for a change without a result. */
  public void recordWith(String tenantId, String type, Runnable change, Map<String, ?> details) {
    recordWith(tenantId, type, () -> {
      change.run();
      return null;
    }, r -> details);
  }

  /** Counts sign-ins and second-factor checks into {@code securityMeters} from now on. */
  public void meters(SecurityMeters securityMeters) {
    this.meters = securityMeters;
  }

  private EventOutbox.Event event(String tenantId, String type, Map<String, ?> details) {
    SecurityLog.event(LOG, type, tenantId, details);
    SecurityMeters m = meters;
    if (m != null) {
      m.event(type, details);
    }
    try {
      return new EventOutbox.Event(tenantId, type, JSON.writeValueAsString(details),
          clock.instant().getEpochSecond());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event details are not JSON: " + e.getMessage(), e);
    }
  }
}
