package dev.gatehouse.server.webhook;

import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.outbound.OutboundGuard;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Webhook subscriptions of a tenant: create (with a generated 256-bit signing secret, shown once),
 * list, delete; and the dead letters of their deliveries.
 *
 * <p>The secret signs every message, so the server needs it back: it is stored encrypted with the
 * {@link MasterKey} (AES-GCM, bound to the tenant and subscription id as associated data), not
 * hashed like client secrets.
 */
public final class WebhookService {

  /** Limits on what a subscription may hold. */
  static final int MAX_URL = 2048;
  static final int MAX_TYPES = 50;
  static final int MAX_PER_TENANT = 100;

  private final WebhookStore store;
  private final MasterKey masterKey;
  private final Clock clock;
  private final OutboundGuard guard;

  /** A subscription just created, with its secret in clear (never shown again). */
  public record Created(Subscription subscription, String secret) {}

  /** A request the API refuses, with a message for the caller. */
  public static final class InvalidSubscription extends RuntimeException {
    InvalidSubscription(String message) {
      super(message);
    }
  }

  public WebhookService(WebhookStore store, MasterKey masterKey, Clock clock,
      OutboundGuard guard) {
    this.store = store;
    this.masterKey = masterKey;
    this.clock = clock;
    this.guard = guard;
  }

  /** Creates a subscription of {@code tenantId} to {@code eventTypes} at {@code url}. */
  public Created create(String tenantId, String url, List<String> eventTypes) {
    URI uri = validUrl(url);
    List<String> types = validTypes(eventTypes);
    if (store.list(tenantId).size() >= MAX_PER_TENANT) {
      throw new InvalidSubscription("a tenant has at most " + MAX_PER_TENANT + " webhooks");
    }
    String id = "wh_" + Secrets.id();
    byte[] key = new byte[32];
    Secrets.random().nextBytes(key);
    Subscription s = new Subscription(tenantId, id, uri.toString(), types,
        masterKey.encrypt(key, context(tenantId, id)), clock.instant().getEpochSecond());
    store.insert(s);
    return new Created(s, WebhookSignature.secretText(key));
  }

  public List<Subscription> list(String tenantId) {
    return store.list(tenantId);
  }

  public Optional<Subscription> find(String tenantId, String id) {
    return store.find(tenantId, id);
  }

  /** Deletes a subscription with its pending and dead deliveries. */
  public boolean delete(String tenantId, String id) {
    return store.delete(tenantId, id);
  }

  public List<WebhookStore.Delivery> deliveries(String tenantId, String status, long before,
      int limit) {
    return store.deliveries(tenantId, status, before, limit);
  }

  /** Sends a dead (or delivered) delivery again, with a fresh attempt budget. */
  public boolean redeliver(String tenantId, long deliveryId) {
    return store.redeliver(tenantId, deliveryId, clock.millis());
  }

  /** The signing key of a subscription, unsealed. */
  byte[] key(Subscription s) {
    return masterKey.decrypt(s.secretSealed(), context(s.tenantId(), s.id()));
  }

  private static String context(String tenantId, String id) {
    return "webhook/" + tenantId + "/" + id;
  }

  private URI validUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new InvalidSubscription("`url` is required");
    }
    if (url.length() > MAX_URL) {
      throw new InvalidSubscription("`url` is longer than " + MAX_URL + " characters");
    }
    // Judged again at every delivery: a name may resolve elsewhere later.
    String problem = guard.problem(url);
    if (problem != null) {
      throw new InvalidSubscription("`url` " + problem);
    }
    URI uri = URI.create(url);
    if (uri.getRawFragment() != null) {
      throw new InvalidSubscription("`url` must not have a fragment");
    }
    return uri;
  }

  private static List<String> validTypes(List<String> eventTypes) {
    if (eventTypes == null || eventTypes.isEmpty()) {
      return List.of("*");
    }
    if (eventTypes.size() > MAX_TYPES) {
      throw new InvalidSubscription("at most " + MAX_TYPES + " event types");
    }
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String t : eventTypes) {
      if (t == null || !t.matches("\\*|[a-z0-9_]+(\\.[a-z0-9_]+)*(\\.\\*)?")) {
        throw new InvalidSubscription("event type `" + (t == null ? "null"
            : t.replaceAll("[^\\x20-\\x7e]", "?")) + "` is not a type such as `token.issued`,"
            + " a prefix such as `admin.*`, or `*`");
      }
      out.add(t);
    }
    return new ArrayList<>(out);
  }
}
