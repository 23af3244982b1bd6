package dev.gatehouse.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.OtlpReceiver;
import dev.gatehouse.server.testing.OtlpReceiver.ReceivedSpan;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestRedis;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Distributed tracing as an operator sees it in an OTLP backend: a caller's trace continued by the
 * token endpoint with the work below it as children, one trace across two nodes for a revocation,
 * the trace id in error bodies, no secret in any attribute, and nothing at all while tracing is
 * off. Spans go through the real OTLP/HTTP exporter to {@link OtlpReceiver}.
 */
class TracingTest {

  private static Map<String, String> tracing(OtlpReceiver receiver) {
    return Map.of("GATEHOUSE_TRACING_ENABLED", "true",
        "GATEHOUSE_TRACING_ENDPOINT", receiver.endpoint(),
        "GATEHOUSE_TRACING_EXPORT_DELAY_MS", "20");
  }

  /** A caller's W3C trace context: {@code [traceparent, trace id, parent span id]}. */
  private static String[] callerContext() {
    HexFormat hex = HexFormat.of();
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    ThreadLocalRandom.current().nextBytes(trace);
    ThreadLocalRandom.current().nextBytes(span);
    String t = hex.formatHex(trace);
    String s = hex.formatHex(span);
    return new String[] {"00-" + t + "-" + s + "-01", t, s};
  }

  private static TestServer.Response postForm(TestServer at, String path, String form,
      String authorization, String traceparent) {
    return at.send(HttpRequest.newBuilder(URI.create(at.httpUrl() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", authorization)
        .header("traceparent", traceparent)
        .header("baggage", "team=checkout")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }

  private static List<ReceivedSpan> childrenOf(OtlpReceiver r, ReceivedSpan parent) {
    return r.spans().stream().filter(s -> s.parentSpanId().equals(parent.spanId())).toList();
  }

  private static boolean descends(OtlpReceiver r, ReceivedSpan s, ReceivedSpan ancestor) {
    Map<String, ReceivedSpan> byId = new HashMap<>();
    r.spans().forEach(x -> byId.put(x.spanId(), x));
    for (ReceivedSpan at = s; at != null; at = byId.get(at.parentSpanId())) {
      if (at.parentSpanId().equals(ancestor.spanId())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void tokenRequestWhenCallerSendsTraceparentThenItsSpansContinueTheCallersTrace() {
    try (OtlpReceiver receiver = new OtlpReceiver();
        TestServer server = TestServer.start(TestDatabase.H2, tracing(receiver))) {
      server.createTenant("acme");
      JsonNode client = server.createClient("acme", Map.of("name", "billing", "scope", "read"));
      String secret = client.get("client_secret").asText();
      String[] caller = callerContext();

      TestServer.Response r = postForm(server, "/t/acme/oauth2/token",
          "grant_type=client_credentials&scope=read",
          TestServer.basic(client.get("client_id").asText(), secret), caller[0]);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      String token = r.json().get("access_token").asText();

      ReceivedSpan root = receiver.await(s -> s.traceId().equals(caller[1])
          && s.name().equals("POST /t/{tenant}/oauth2/token"));
      assertThat(root.kind()).isEqualTo(ReceivedSpan.SERVER);
      assertThat(root.parentSpanId()).as("the caller's span is the parent").isEqualTo(caller[2]);
      assertThat(root.attributes()).containsEntry("http.request.method", "POST")
          .containsEntry("http.route", "/t/{tenant}/oauth2/token")
          .containsEntry("http.response.status_code", 200L)
          .containsEntry("url.scheme", "http")
          .containsKey("server.port");
      assertThat(root.resource()).containsEntry("service.name", "gatehouse")
          .containsKey("service.instance.id");

      ReceivedSpan auth = receiver.await(s -> s.traceId().equals(caller[1])
          && s.name().equals("oauth.client_authentication"));
      ReceivedSpan grant = receiver.await(s -> s.traceId().equals(caller[1])
          && s.name().equals("oauth.grant client_credentials"));
      ReceivedSpan sign = receiver.await(s -> s.traceId().equals(caller[1])
          && s.name().equals("jwt.sign"));
      assertThat(childrenOf(receiver, root)).contains(auth, grant);
      assertThat(auth.attributes()).containsEntry("gatehouse.oauth.auth_method",
          "client_secret_basic");
      assertThat(grant.attributes()).containsEntry("gatehouse.oauth.grant_type",
          "client_credentials");
      assertThat(descends(receiver, sign, grant)).as("signing happens inside the grant").isTrue();
      assertThat(sign.attributes()).containsEntry("gatehouse.jwt.alg", "ES256");

      // What the store did for this request: client lookups, key loads, token rows.
      ReceivedSpan db = receiver.await(s -> s.traceId().equals(caller[1])
          && s.kind() == ReceivedSpan.CLIENT && "h2database".equals(s.attributes()
              .get("db.system.name")));
      assertThat(descends(receiver, db, root)).isTrue();
      assertThat((String) db.attributes().get("db.query.text")).contains("?");

      // Not a single attribute holds the secret, the token or a part of either.
      for (ReceivedSpan s : receiver.spans()) {
        for (Object v : s.attributes().values()) {
          assertThat(String.valueOf(v)).doesNotContain(secret).doesNotContain(token)
              .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
      }
      assertThat(receiver.contentTypes()).allMatch(t -> t.startsWith("application/x-protobuf"));
    }
  }

  @Test
  void revocationWhenTwoNodesShareRedisThenOneTraceSpansBothNodes() {
    String redis = TestRedis.url();
    String db = TestDatabase.H2.freshUrl();
    Map<String, String> env = new HashMap<>(TestServer.clusterEnv(db, redis));
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      env.putAll(tracing(receiver));
      try (TestServer a = TestServer.start(TestDatabase.H2, env);
          TestServer b = TestServer.start(TestDatabase.H2, env)) {
        a.createTenant("acme");
        JsonNode api = a.createClient("acme", Map.of("name", "api"));
        JsonNode app = a.createClient("acme", Map.of("name", "app", "scope", "read",
            "audience", api.get("client_id").asText()));
        String appAuth = TestServer.basic(app.get("client_id").asText(),
            app.get("client_secret").asText());
        String apiAuth = TestServer.basic(api.get("client_id").asText(),
            api.get("client_secret").asText());
        String token = a.postForm("/t/acme/oauth2/token", "grant_type=client_credentials",
            appAuth).json().get("access_token").asText();
        // Node b knows the token as active (and caches that) before the revocation.
        assertThat(b.postForm("/t/acme/oauth2/introspect", "token=" + token, apiAuth).json()
            .get("active").asBoolean()).isTrue();

        String[] caller = callerContext();
        assertThat(postForm(a, "/t/acme/oauth2/revoke", "token=" + token, appAuth, caller[0])
            .status()).isEqualTo(200);
        long deadline = System.nanoTime() + 5_000_000_000L;
        JsonNode seen;
        do {
          seen = postForm(b, "/t/acme/oauth2/introspect", "token=" + token, apiAuth, caller[0])
              .json();
        } while (seen.get("active").asBoolean() && System.nanoTime() < deadline);
        assertThat(seen.get("active").asBoolean()).as("node b sees the revocation").isFalse();

        ReceivedSpan revoke = receiver.await(s -> s.traceId().equals(caller[1])
            && s.name().equals("POST /t/{tenant}/oauth2/revoke"));
        ReceivedSpan introspect = receiver.await(s -> s.traceId().equals(caller[1])
            && s.name().equals("POST /t/{tenant}/oauth2/introspect"));
        assertThat(revoke.parentSpanId()).isEqualTo(caller[2]);
        assertThat(introspect.parentSpanId()).isEqualTo(caller[2]);
        assertThat(revoke.attributes().get("server.port")).isEqualTo((long) a.node().port());
        assertThat(introspect.attributes().get("server.port")).isEqualTo((long) b.node().port());
        assertThat(revoke.resource().get("service.instance.id"))
            .as("two nodes, two instances").isNotEqualTo(
                introspect.resource().get("service.instance.id"));
        // Node a tells the others through Redis, inside the revocation's trace.
        ReceivedSpan publish = receiver.await(s -> s.traceId().equals(caller[1])
            && s.name().equals("PUBLISH"));
        assertThat(publish.kind()).isEqualTo(ReceivedSpan.CLIENT);
        assertThat(publish.attributes()).containsEntry("db.system.name", "redis");
        assertThat(descends(receiver, publish, revoke)).isTrue();
      }
    }
  }

  @Test
  void problemWhenTracingOnThenBodyCarriesTheTraceId() {
    try (OtlpReceiver receiver = new OtlpReceiver();
        TestServer server = TestServer.start(TestDatabase.H2, tracing(receiver))) {
      String[] caller = callerContext();
      TestServer.Response r = server.send(HttpRequest.newBuilder(
              URI.create(server.httpUrl() + "/admin/v1/tenants"))
          .header("Authorization", "Bearer " + server.adminToken())
          .header("Content-Type", "application/json")
          .header("traceparent", caller[0])
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Not A Tenant Name!\"}"))
          .build());
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.json().get("trace_id").asText()).isEqualTo(caller[1]);
      ReceivedSpan span = receiver.await(s -> s.traceId().equals(caller[1])
          && s.name().equals("POST /admin/v1/tenants"));
      assertThat(span.attributes()).containsEntry("http.response.status_code", 400L);
    }
  }

  @Test
  void tokenWhenTracingOffThenNoSpanAndNoTraceId() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver();
        TestServer server = TestServer.start(TestDatabase.H2,
            Map.of("GATEHOUSE_TRACING_ENDPOINT", receiver.endpoint(),
                "GATEHOUSE_TRACING_EXPORT_DELAY_MS", "20"))) {
      String[] caller = callerContext();
      TestServer.Response r = server.send(HttpRequest.newBuilder(
              URI.create(server.httpUrl() + "/admin/v1/tenants"))
          .header("Authorization", "Bearer " + server.adminToken())
          .header("Content-Type", "application/json")
          .header("traceparent", caller[0])
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Not A Tenant Name!\"}"))
          .build());
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().has("trace_id")).isFalse();
      assertThat(r.json().get("request_id").asText()).isNotEmpty();
      server.close();
      // The node has stopped (an exporter would have flushed): nothing was ever sent.
      assertThat(receiver.spans()).isEmpty();
    }
  }
}
