package dev.gatehouse.server.oauth;

import dev.gatehouse.server.observe.Spans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The token endpoint's logic (RFC 6749 §3.2): authenticate the client, then hand the request to
 * the grant it names. HTTP framing lives in {@code http}; this class sees parameters only.
 */
public final class TokenEndpoint {

  private final ClientAuthenticator authenticator;
  private final Map<String, Grant> grants = new HashMap<>();
  /** Span names by grant type, built once: nothing is concatenated per request. */
  private final Map<String, String> spanNames = new HashMap<>();
  private volatile TokenEvents events;
  private volatile TokenMeters meters;

  public TokenEndpoint(ClientAuthenticator authenticator, List<Grant> grants) {
    this.authenticator = authenticator;
    grants.forEach(g -> this.grants.put(g.grantType(), g));
    grants.forEach(g -> spanNames.put(g.grantType(), "oauth.grant " + g.grantType()));
  }

  /** The JSON body of a successful token response, or an {@link OAuthException}. */
  public Map<String, Object> token(String tenantId, Map<String, String> form,
      String authorization, String endpointUrl) {
    TokenMeters m = meters;
    if (m == null) {
      return tokenUnmetered(tenantId, form, authorization, endpointUrl);
    }
    try {
      return tokenUnmetered(tenantId, form, authorization, endpointUrl);
    } catch (OAuthException e) {
      m.error(e.error());
      throw e;
    } catch (dev.gatehouse.server.store.StoreException e) {
      m.error("temporarily_unavailable");
      throw e;
    } catch (RuntimeException e) {
      m.error("server_error");
      throw e;
    }
  }

  private Map<String, Object> tokenUnmetered(String tenantId, Map<String, String> form,
      String authorization, String endpointUrl) {
    String grantType = form.get("grant_type");
    if (grantType == null) {
      throw OAuthException.invalidRequest("grant_type is required");
    }
    Client client = authenticator.authenticate(tenantId, form, authorization, endpointUrl);
    Grant grant = grants.get(grantType);
    if (grant == null) {
      throw OAuthException.unsupportedGrantType("grant_type `" + Scopes.printable(grantType)
          + "` is not supported; supported: " + String.join(", ", grants.keySet()));
    }
    TokenResponse response = handle(grant, spanNames.get(grantType), grantType, client, form);
    TokenMeters m = meters;
    if (m != null) {
      m.issued(grantType, client.tokenFormat());
    }
    TokenEvents e = events;
    if (e != null) {
      e.issued(tenantId, client, grantType, response);
    }
    return response.body();
  }

  /** Runs {@code grant} in a span of its own, named after the grant type. */
  private static TokenResponse handle(Grant grant, String spanName, String grantType,
      Client client, Map<String, String> form) {
    Span span = Spans.start(spanName);
    try (Scope scope = Spans.enter(span)) {
      if (span.isRecording()) {
        span.setAttribute(GRANT_TYPE, grantType);
      }
      return grant.handle(client, form);
    } catch (OAuthException e) {
      if (span.isRecording()) {
        span.setAttribute(ClientAuthenticator.OAUTH_ERROR, e.error());
      }
      throw Spans.failed(span, e);
    } catch (RuntimeException e) {
      throw Spans.failed(span, e);
    } finally {
      span.end();
    }
  }

  private static final io.opentelemetry.api.common.AttributeKey<String> GRANT_TYPE =
      Spans.key("gatehouse.oauth.grant_type");

  /** Counts responses and errors into {@code tokenMeters} from now on. */
  public void meters(TokenMeters tokenMeters) {
    this.meters = tokenMeters;
  }

  /** Writes a {@code token.issued} event for every token response from now on. */
  public void events(TokenEvents tokenEvents) {
    this.events = tokenEvents;
  }
}
