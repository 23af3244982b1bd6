package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bad input gets a 4xx answer with a JSON error body: OAuth errors (RFC 6749 §5.2) on tenant
 * endpoints, problem+json (RFC 9457) on the admin API; never a 500, never a stack trace.
 * docs/architecture.md: "Errors never leak internals"; "Every limit is explicit" (body size,
 * form parameters, JSON depth ...).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Bad input")
class BadInputTest {

  private static final String TOKEN = "/t/acme/oauth2/token";

  private TestServer server;
  private String basic;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("acme");
    JsonNode c = server.createClient("acme", Map.of("name", "billing"));
    basic = TestServer.basic(c.get("client_id").asText(), c.get("client_secret").asText());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TestServer.Response post(String path, String contentType, byte[] body,
      String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return server.send(b.build());
  }

  private TestServer.Response form(String body, String authorization) {
    return post(TOKEN, "application/x-www-form-urlencoded",
        body.getBytes(StandardCharsets.ISO_8859_1), authorization);
  }

  /** An OAuth error: the status, JSON with error and error_description, nothing internal. */
  private static JsonNode assertOAuthError(TestServer.Response r, int status, String error) {
    assertNoLeak(r);
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.header("Content-Type")).as("%s", r).startsWith("application/json");
    JsonNode body = r.json();
    assertThat(body.path("error").asText()).as("%s", r).isEqualTo(error);
    assertThat(body.path("error_description").isTextual()).isTrue();
    return body;
  }

  /** A problem+json error with status, title and detail (RFC 9457 §3.1). */
  private static JsonNode assertProblem(TestServer.Response r, int status) {
    assertNoLeak(r);
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.header("Content-Type")).as("%s", r).startsWith("application/problem+json");
    JsonNode body = r.json();
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("title").asText()).isNotBlank();
    assertThat(body.path("detail").asText()).isNotBlank();
    return body;
  }

  private static void assertNoLeak(TestServer.Response r) {
    assertThat(r.status()).as("%s", r).isBetween(400, 499);
    assertThat(r.text()).doesNotContain("Exception").doesNotContain("at dev.")
        .doesNotContain("at java.").doesNotContain("at io.helidon")
        .doesNotContainIgnoringCase("jackson").doesNotContain("StreamReadConstraints")
        .doesNotContain("REDACTED");
  }

  @Nested
  @DisplayName("Form bodies at OAuth endpoints")
  class FormBodies {

    @Test
    @DisplayName("a body over server.max-body-bytes is refused with 413 and an OAuth error")
    void tokenWhenBodyOverLimitThen413Json() {
      String big = "grant_type=client_credentials&pad=" + "a".repeat(70_000);
      assertOAuthError(form(big, basic), 413, "invalid_request");
    }

    @Test
    @DisplayName("a declared length over the web server's payload limit is refused before the"
        + " body is read, with 413 and an OAuth error")
    void tokenWhenDeclaredLengthOverTheServersPayloadLimitThen413Json() throws Exception {
      RawResponse r = raw("POST " + TOKEN + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2097152\r\n"
          + "Authorization: " + basic + "\r\n\r\ngrant_type=client_credentials");
      assertThat(r.status()).as("%s", r).isEqualTo(413);
      assertThat(r.contentType()).startsWith("application/json");
      JsonNode body = TestServer.JSON.readTree(r.body());
      assertThat(body.get("error").asText()).isEqualTo("invalid_request");
      assertThat(body.get("error_description").asText()).contains("too large");
    }

    @Test
    @DisplayName("RFC 6749 §3.2: the token request uses application/x-www-form-urlencoded")
    void tokenWhenContentTypeIsJsonThen415Json() {
      assertOAuthError(post(TOKEN, "application/json",
          "{\"grant_type\":\"client_credentials\"}".getBytes(StandardCharsets.UTF_8), basic),
          415, "invalid_request");
    }

    @Test
    void tokenWhenNoContentTypeThen415Json() {
      assertOAuthError(post(TOKEN, null,
          "grant_type=client_credentials".getBytes(StandardCharsets.UTF_8), basic), 415,
          "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grant_type=client%zzcredentials", "grant_type=client_credentials%4",
        "grant_type=%", "scope=%G0&grant_type=client_credentials"})
    void tokenWhenPercentEncodingMalformedThenInvalidRequest(String body) {
      assertOAuthError(form(body, basic), 400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grant_type=client_credentials&scope=%FF%FE",
        "grant_type=client_credentials&scope=%C3%28", "grant_type=client_credentials&scope=%ED%A0%80"})
    void tokenWhenPercentDecodedBytesAreNotUtf8ThenInvalidRequest(String body) {
      assertOAuthError(form(body, basic), 400, "invalid_request");
    }

    @Test
    void tokenWhenRawBodyBytesAreNotAsciiThenInvalidRequest() {
      byte[] body = "grant_type=client_credentials&scope=\u00ff\u00fe"
          .getBytes(StandardCharsets.ISO_8859_1);
      assertOAuthError(post(TOKEN, "application/x-www-form-urlencoded", body, basic), 400,
          "invalid_request");
    }

    @Test
    void tokenWhenTooManyParametersThenInvalidRequest() {
      StringBuilder b = new StringBuilder("grant_type=client_credentials");
      for (int i = 0; i < 100; i++) {
        b.append("&p").append(i).append("=x");
      }
      assertOAuthError(form(b.toString(), basic), 400, "invalid_request");
    }

    @Test
    void tokenWhenBodyIsEmptyThenInvalidRequest() {
      assertOAuthError(form("", basic), 400, "invalid_request");
    }
  }

  @Nested
  @DisplayName("Basic credentials (RFC 6749 §2.3.1, RFC 7617)")
  class BasicCredentials {

    @Test
    void tokenWhenBasicIsNotBase64ThenInvalidClient() {
      assertOAuthError(form("grant_type=client_credentials", "Basic !!!not-base64!!!"), 401,
          "invalid_client");
    }

    @Test
    void tokenWhenBasicHasNoColonThenInvalidClient() {
      String header = "Basic " + Base64.getEncoder().encodeToString(
          "no-colon-here".getBytes(StandardCharsets.UTF_8));
      assertOAuthError(form("grant_type=client_credentials", header), 401, "invalid_client");
    }

    @Test
    void tokenWhenBasicHasMalformedPercentEncodingThenInvalidClient() {
      String header = "Basic " + Base64.getEncoder().encodeToString(
          "id%zz:secret%".getBytes(StandardCharsets.UTF_8));
      assertOAuthError(form("grant_type=client_credentials", header), 401, "invalid_client");
    }

    @Test
    void tokenWhenBasicDecodesToNonUtf8ThenInvalidClient() {
      String header = "Basic " + Base64.getEncoder().encodeToString(
          new byte[] {(byte) 0xff, (byte) 0xfe, ':', (byte) 0xc3});
      assertOAuthError(form("grant_type=client_credentials", header), 401, "invalid_client");
    }

    @Test
    void tokenWhenAuthorizationSchemeIsNotBasicThenInvalidClient() {
      assertOAuthError(form("grant_type=client_credentials", "Bearer abc"), 401,
          "invalid_client");
      assertOAuthError(form("grant_type=client_credentials", "Basic"), 401, "invalid_client");
    }
  }

  @Nested
  @DisplayName("Paths and methods")
  class Paths {

    @Test
    void tokenWhenTenantUnknownThen404Json() {
      assertOAuthError(server.postForm("/t/nobody/oauth2/token",
          "grant_type=client_credentials", basic), 404, "not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ACME", "a_b", "-acme", "acme-", "a.b", "%2e%2e", "a%00b",
        "%C3%A9t%C3%A9", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void tokenWhenTenantNameHasInvalidCharactersThen404Json(String tenant) {
      assertOAuthError(server.postForm("/t/" + tenant + "/oauth2/token",
          "grant_type=client_credentials", basic), 404, "not_found");
    }

    @Test
    @DisplayName("RFC 6749 §3.2: \"The client MUST use the HTTP POST method when making access"
        + " token requests\"")
    void tokenWhenGetThen405WithAllow() {
      TestServer.Response r = server.get(TOKEN + "?grant_type=client_credentials");
      assertOAuthError(r, 405, "invalid_request");
      assertThat(r.header("Allow")).isEqualTo("POST");
    }

    @Test
    void introspectWhenPutThen405() {
      TestServer.Response r = server.send(HttpRequest.newBuilder(
          URI.create(server.baseUrl() + "/t/acme/oauth2/introspect"))
          .PUT(HttpRequest.BodyPublishers.ofString("token=x")).build());
      assertOAuthError(r, 405, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/t/acme/jwks", "/t/acme/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server/t/acme"})
    @DisplayName("RFC 9110 §15.5.6: another method on a GET resource is 405, \"The origin server"
        + " MUST generate an Allow header field in a 405 response\"")
    void metadataWhenPostOrDeleteThen405WithAllow(String path) {
      for (String method : List.of("POST", "DELETE", "PUT")) {
        TestServer.Response r = server.send(HttpRequest.newBuilder(
            URI.create(server.baseUrl() + path))
            .method(method, HttpRequest.BodyPublishers.noBody()).build());
        assertOAuthError(r, 405, "invalid_request");
        assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/t/acme/jwks", "/t/acme/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server/t/acme"})
    @DisplayName("RFC 9110 §9.3.2: HEAD is GET without content; same status and header fields")
    void metadataWhenHeadThen200WithoutContent(String path) throws Exception {
      TestServer.Response get = server.get(path);
      RawResponse head = raw("HEAD " + path + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(head.status()).as("%s", head).isEqualTo(200);
      assertThat(head.contentType()).isEqualTo(get.header("Content-Type"));
      assertThat(head.body()).isEmpty();
      assertThat(head.contentLength()).isEqualTo(get.body().length);
    }

    @Test
    void postWhenOAuthEndpointUnknownThen404NotMethodNotAllowed() {
      assertOAuthError(server.postForm("/t/acme/oauth2/nothing", "token=x", basic), 404,
          "not_found");
      assertOAuthError(server.get("/t/acme/oauth2/nothing"), 404, "not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nothing", "/t/acme/nothing", "/t/acme", "/t", "/.well-known/x"})
    void getWhenPathUnknownThen404Json(String path) {
      assertOAuthError(server.get(path), 404, "not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/t/ac%zzme/jwks", "/t/acme/oauth2/token%", "/admin/v1/ten%zzants"})
    void requestWhenPathHasMalformedPercentEncodingThen400Json(String path) throws Exception {
      RawResponse r = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(r.status()).as("%s", r).isEqualTo(400);
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.");
      assertThat(r.contentType()).as("%s", r).contains("json");
      JsonNode body = TestServer.JSON.readTree(r.body());
      assertThat(body.has("error") || body.has("status")).as("%s", r).isTrue();
    }

    @Test
    void requestWhenHeaderIsHugeThen4xxJsonWithoutInternals() throws Exception {
      RawResponse r = raw("POST " + TOKEN + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Authorization: Basic " + "A".repeat(64 * 1024) + "\r\nContent-Length: 0\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(r.status()).as("%s", r).isBetween(400, 499);
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.");
      assertThat(r.contentType()).as("%s", r).contains("json");
    }

    @Test
    @DisplayName("RFC 6749 §2.3.1: client credentials \"MUST NOT be included in the request URI\""
        + " — credentials in the query are not used")
    void tokenWhenCredentialsOnlyInTheQueryThenInvalidClient() {
      TestServer.Response r = server.postForm(TOKEN + "?client_id=x&client_secret=y",
          "grant_type=client_credentials", null);
      assertOAuthError(r, 401, "invalid_client");
    }

    @Test
    void requestIdWhenSaneThenEchoedOtherwiseReplaced() {
      TestServer.Response sane = server.send(HttpRequest.newBuilder(
          URI.create(server.baseUrl() + "/health/live")).header("X-Request-Id", "abc-123").build());
      assertThat(sane.header("X-Request-Id")).isEqualTo("abc-123");
      TestServer.Response insane = server.send(HttpRequest.newBuilder(
          URI.create(server.baseUrl() + "/health/live"))
          .header("X-Request-Id", "<script>alert(1)</script>").build());
      assertThat(insane.header("X-Request-Id")).isNotBlank().doesNotContain("<");
    }

    @Test
    void requestWhenRequestLineIsGarbageThen400WithoutInternals() throws Exception {
      RawResponse r = raw("BLAH\r\n\r\n");
      assertThat(r.status()).as("%s", r).isBetween(400, 499);
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.");
    }
  }

  /** What a raw HTTP/1.1 exchange answered. */
  record RawResponse(int status, String contentType, String body, int contentLength) {}

  /** Sends bytes no HTTP client library would, e.g. a path with a malformed escape. */
  private RawResponse raw(String request) throws Exception {
    URI base = URI.create(server.baseUrl());
    try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
          String soFar = out.toString(StandardCharsets.ISO_8859_1);
          int end = soFar.indexOf("\r\n\r\n");
          if (end > 0) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?i)content-length: *(\\d+)").matcher(soFar.substring(0, end));
            if (m.find() && soFar.length() >= end + 4 + Integer.parseInt(m.group(1))) {
              break;
            }
          }
        }
      } catch (java.net.SocketTimeoutException e) {
        // Whatever arrived is the answer.
      }
      String text = out.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String body = end < 0 ? "" : text.substring(end + 4);
      int status = Integer.parseInt(head.split(" ")[1]);
      java.util.regex.Matcher ct = java.util.regex.Pattern.compile("(?i)content-type: *([^\\r\\n]+)")
          .matcher(head);
      java.util.regex.Matcher cl = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
          .matcher(head);
      return new RawResponse(status, ct.find() ? ct.group(1) : "", body,
          cl.find() ? Integer.parseInt(cl.group(1)) : -1);
    }
  }

  @Nested
  @DisplayName("Admin API")
  class Admin {

    private TestServer.Response admin(String method, String path, String contentType,
        byte[] body, String authorization) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      if (contentType != null) {
        b.header("Content-Type", contentType);
      }
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      return server.send(b.build());
    }

    private TestServer.Response adminJson(String path, String json) {
      return admin("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8),
          "Bearer " + server.adminToken());
    }

    @Test
    @DisplayName("RFC 6750 §3: \"If the protected resource request does not include"
        + " authentication credentials ... the resource server SHOULD NOT include an error code\""
        + " and answers 401 with WWW-Authenticate: Bearer")
    void adminWhenNoTokenThen401WithBearerChallenge() {
      TestServer.Response r = admin("GET", "/admin/v1/tenants", null, null, null);
      assertProblem(r, 401);
      assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(r.header("WWW-Authenticate")).doesNotContain("error=");
    }

    @Test
    @DisplayName("RFC 6750 §3.1 invalid_token: 401")
    void adminWhenTokenIsGarbageThen401InvalidToken() {
      TestServer.Response r = admin("GET", "/admin/v1/tenants", null, null, "Bearer garbage");
      assertProblem(r, 401);
      assertThat(r.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
    }

    @Test
    void adminWhenBasicCredentialsInsteadOfTokenThen401() {
      TestServer.Response r = admin("GET", "/admin/v1/tenants", null, null, basic);
      assertProblem(r, 401);
      assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    @DisplayName("RFC 6750 §3.1 insufficient_scope: \"The resource server SHOULD respond with the"
        + " HTTP 403 (Forbidden) status code\"")
    void adminWhenTokenLacksAdminScopeThen403() {
      JsonNode reader = server.createClient("system", Map.of("name", "reader", "scope", "reader"));
      String token = server.postForm("/t/system/oauth2/token",
          "grant_type=client_credentials", TestServer.basic(reader.get("client_id").asText(),
              reader.get("client_secret").asText())).json().get("access_token").asText();
      TestServer.Response r = admin("GET", "/admin/v1/tenants", null, null, "Bearer " + token);
      assertProblem(r, 403);
      assertThat(r.header("WWW-Authenticate")).contains("insufficient_scope");
    }

    @Test
    @DisplayName("a token of a tenant other than system is not an admin token, even with scope"
        + " admin")
    void adminWhenTokenOfAnotherTenantThen401() {
      JsonNode sneaky = server.createClient("acme", Map.of("name", "sneaky", "scope", "admin"));
      String token = server.postForm(TOKEN, "grant_type=client_credentials&scope=admin",
          TestServer.basic(sneaky.get("client_id").asText(),
              sneaky.get("client_secret").asText())).json().get("access_token").asText();
      TestServer.Response r = admin("GET", "/admin/v1/tenants", null, null, "Bearer " + token);
      assertProblem(r, 401);
    }

    @Test
    void adminWhenJsonMalformedThen400() {
      assertProblem(adminJson("/admin/v1/tenants", "{\"name\": "), 400);
      assertProblem(adminJson("/admin/v1/tenants", "{\"name\": \"x\"} trailing"), 400);
      assertProblem(adminJson("/admin/v1/tenants", "not json at all"), 400);
      assertProblem(adminJson("/admin/v1/tenants", ""), 400);
    }

    @Test
    void adminWhenJsonNestedThousandDeepThen400() {
      String deep = "{\"name\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
      assertProblem(adminJson("/admin/v1/tenants", deep), 400);
      String deepObjects = "{\"a\":".repeat(1000) + "1" + "}".repeat(1000);
      assertProblem(adminJson("/admin/v1/tenants", deepObjects), 400);
    }

    @Test
    void adminWhenBodyIsNotAnObjectThen400() {
      assertProblem(adminJson("/admin/v1/tenants", "[]"), 400);
      assertProblem(adminJson("/admin/v1/tenants", "\"acme\""), 400);
      assertProblem(adminJson("/admin/v1/tenants", "null"), 400);
    }

    @Test
    void adminWhenUnknownFieldThen400NamingIt() {
      JsonNode p = assertProblem(adminJson("/admin/v1/tenants",
          "{\"name\":\"x1\",\"colour\":\"red\"}"), 400);
      assertThat(p.get("detail").asText()).contains("colour");
    }

    @Test
    void adminWhenInputQuotedInTheDetailHasQuotesControlsAndUnicodeThenStillValidJson() {
      String nasty = "\\\"\\u0000\\u0001\\n\\t\\\\\\u2028\\ud83d\\ude00</script>";
      JsonNode unknownField = assertProblem(adminJson("/admin/v1/tenants",
          "{\"name\":\"x3\",\"" + nasty + "\":1}"), 400);
      assertThat(unknownField.get("detail").asText()).contains("unknown field")
          .doesNotContain("\u0000").doesNotContain("\u0001").doesNotContain("\n");
      JsonNode badName = assertProblem(adminJson("/admin/v1/tenants",
          "{\"name\":\"" + nasty + "\"}"), 400);
      assertThat(badName.get("detail").asText()).isNotBlank();
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"grant_types\":[\"" + nasty + "\"]}"), 400);
    }

    @Test
    void adminWhenFieldHasWrongTypeThen400() {
      assertProblem(adminJson("/admin/v1/tenants", "{\"name\": 42}"), 400);
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"access_token_ttl\":\"soon\"}"), 400);
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"access_token_ttl\":1.5}"), 400);
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"access_token_ttl\":99999999999999999999999999}"), 400);
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"public\":\"yes\"}"), 400);
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"scope\":[1,2]}"), 400);
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"jwks\":\"not-an-object\"}"), 400);
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"token_endpoint_auth_method\":\"private_key_jwt\","
              + "\"jwks\":{\"keys\":\"nope\"}}"), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"keys\":[1]}",
        "{\"keys\":[null]}",
        "{\"keys\":[[]]}",
        "{\"keys\":{}}",
        "{\"keys\":[]}",
        "{}",
        "{\"keys\":[{}]}",
        "{\"keys\":[{\"kty\":\"nope\"}]}",
        "{\"keys\":[{\"kty\":\"RSA\"}]}",
        "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"\",\"e\":\"\"}]}",
        "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"!!\",\"e\":\"AQAB\"}]}",
        "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}]}",
        "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-999\",\"x\":\"AA\",\"y\":\"AA\"}]}",
        "{\"keys\":[{\"kty\":\"EC\",\"crv\":5,\"x\":\"AA\",\"y\":\"AA\"}]}",
        "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"}]}",
        "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}",
        "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"x5c\":[\"!!\"]}]}",
        "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"key_ops\":5}]}",
        "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}",
        "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"},"
            + "{\"kty\":\"unknown\"}]}"})
    void adminWhenPrivateKeyJwtClientHasMalformedJwksThen400(String jwks) {
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":"
              + jwks + "}"), 400);
    }

    @Test
    void adminWhenValuesInvalidThen400() {
      assertProblem(adminJson("/admin/v1/tenants", "{\"name\":\"Bad Name\"}"), 400);
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"grant_types\":[\"password\"]}"), 400);
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"access_token_ttl\":0}"), 400);
      assertProblem(adminJson("/admin/v1/tenants/acme/clients",
          "{\"name\":\"c\",\"scope\":\"ok \\\"quoted\\\"\"}"), 400);
      assertProblem(adminJson("/admin/v1/tenants/acme/clients", "{}"), 400);
    }

    @Test
    void adminWhenContentTypeNotJsonThen415() {
      assertProblem(admin("POST", "/admin/v1/tenants", "text/plain",
          "{\"name\":\"x2\"}".getBytes(StandardCharsets.UTF_8), "Bearer " + server.adminToken()),
          415);
    }

    @Test
    void adminWhenBodyOverLimitThen413() {
      assertProblem(adminJson("/admin/v1/tenants",
          "{\"name\":\"" + "a".repeat(70_000) + "\"}"), 413);
    }

    @Test
    void adminWhenTenantExistsThen409() {
      assertProblem(adminJson("/admin/v1/tenants", "{\"name\":\"acme\"}"), 409);
    }

    @Test
    void adminWhenResourceUnknownThen404() {
      String auth = "Bearer " + server.adminToken();
      for (String path : List.of("/admin/v1/nothing", "/admin/v1/tenants/nobody",
          "/admin/v1/tenants/acme/clients/nobody", "/admin/v1/tenants/NOBODY/keys")) {
        assertProblem(admin("GET", path, null, null, auth), 404);
      }
    }

    @Test
    void adminWhenPageLimitInvalidThen400() {
      String auth = "Bearer " + server.adminToken();
      for (String q : List.of("abc", "0", "501", "-1", "99999999999999999999")) {
        assertProblem(admin("GET", "/admin/v1/tenants?limit=" + q, null, null, auth), 400);
      }
    }

    @Test
    void adminWhenSystemTenantDeletedThen400() {
      assertProblem(admin("DELETE", "/admin/v1/tenants/system", null, null,
          "Bearer " + server.adminToken()), 400);
    }
  }
}
