package dev.gatehouse.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Policy decisions end to end over HTTP: an operator loads a schema, policies and entities
 * through the admin API; an application's enforcement point asks for decisions with a
 * client_credentials token. Runs once per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PolicyDecisionsContract {

  static final String SCHEMA = PolicyDecisionsContractFixtures.SCHEMA;
  static final String POLICIES = PolicyDecisionsContractFixtures.POLICIES;
  static final String ENTITIES = PolicyDecisionsContractFixtures.ENTITIES;

  private TestServer server;
  private String pep;
  private String pepNoScope;
  private String reader;

  abstract TestDatabase database();

  @BeforeAll
  void start() {
    server = TestServer.start(database());
    server.createTenant("acme");
    JsonNode pepClient = server.createClient("acme", Map.of("name", "pep", "scope", "authorize"));
    pep = token("acme", pepClient, "authorize");
    pepNoScope = token("acme", "other", "docs.read");
    // A principal token is seen only by its client and its audience (as introspection).
    reader = token("acme", server.createClient("acme", Map.of("name", "reader", "scope",
        "docs.read", "audience", List.of(pepClient.get("client_id").asText()))), "docs.read");
    ok(server.admin("PUT", "/admin/v1/tenants/acme/policies/schema",
        Map.of("schema", SCHEMA, "message", "first schema")));
    ok(server.admin("PUT", "/admin/v1/tenants/acme/policies",
        Map.of("policies", POLICIES, "message", "first policies")));
    ok(raw("POST", "/admin/v1/tenants/acme/entities", "application/json", ENTITIES,
        "Bearer " + server.adminToken()));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  String token(String tenant, String name, String scope) {
    return token(tenant, server.createClient(tenant, Map.of("name", name, "scope", scope)), scope);
  }

  String token(String tenant, JsonNode client, String scope) {
    TestServer.Response r = server.postForm("/t/" + tenant + "/oauth2/token",
        "grant_type=client_credentials&scope=" + scope.replace(" ", "+"),
        TestServer.basic(client.get("client_id").asText(),
            client.get("client_secret").asText()));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("access_token").asText();
  }

  TestServer.Response raw(String method, String path, String type, String body, String auth) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return server.send(b.build());
  }

  TestServer.Response post(String tenant, String path, Object body, String token) {
    try {
      return raw("POST", "/t/" + tenant + path, "application/json",
          TestServer.JSON.writeValueAsString(body), token == null ? null : "Bearer " + token);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  JsonNode decide(String principal, String action, String resource) {
    TestServer.Response r = post("acme", "/v1/authorize", Map.of("principal", principal,
        "action", action, "resource", resource), pep);
    return ok(r);
  }

  static JsonNode ok(TestServer.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  // -------------------------------------------------------------------- tests

  @Test
  void ownerMayEditAndTheAnswerNamesThePolicyWithItsAnnotations() {
    JsonNode d = decide("User::\"alice\"", "edit", "Document::\"d1\"");
    assertThat(d.get("decision").asText()).isEqualTo("allow");
    assertThat(d.at("/reasons/0/id").asText()).isEqualTo("owners-edit");
    assertThat(d.at("/reasons/0/annotations/reason").asText())
        .isEqualTo("owners may edit their documents");
    assertThat(d.get("errors")).isEmpty();
    assertThat(d.get("policy_version").asLong()).isPositive();
    assertThat(d.get("entity_version").asLong()).isPositive();
  }

  @Test
  void othersAreDeniedByDefault() {
    JsonNode d = decide("User::\"bob\"", "edit", "Document::\"d1\"");
    assertThat(d.get("decision").asText()).isEqualTo("deny");
    assertThat(d.get("reasons")).isEmpty();
  }

  @Test
  void uidsMayBeObjectsAndGroupMembershipCounts() {
    JsonNode d = ok(post("acme", "/v1/authorize", Map.of(
        "principal", Map.of("type", "User", "id", "alice"),
        "action", Map.of("type", "Action", "id", "view"),
        "resource", Map.of("type", "Document", "id", "d1")), pep));
    assertThat(d.get("decision").asText()).isEqualTo("allow");
    assertThat(d.at("/reasons/0/id").asText()).isEqualTo("engineering-view");
  }

  @Test
  void aPolicyThatFailsToEvaluateIsReportedWithWhereItFailed() {
    // No entity `Document::"d9"`: `resource.owner` fails in `owners-edit` (line 3 of POLICIES).
    JsonNode d = decide("User::\"alice\"", "edit", "Document::\"d9\"");
    assertThat(d.get("decision").asText()).isEqualTo("deny");
    JsonNode err = d.at("/errors/0");
    assertThat(err.get("policy").asText()).isEqualTo("owners-edit");
    assertThat(err.get("message").asText()).contains("Document::\"d9\"");
    assertThat(err.get("line").asInt()).isEqualTo(3);
    assertThat(err.get("column").asInt()).isEqualTo(62);
  }

  @Test
  void aRequestTheSchemaRejectsIsDeniedWithTheReason() {
    JsonNode d = decide("User::\"alice\"", "delete", "Document::\"d1\"");
    assertThat(d.get("decision").asText()).isEqualTo("deny");
    assertThat(d.at("/errors/0/message").asText()).contains("Action::\"delete\"");
  }

  @Test
  void batchDecidesEachInOrder() {
    JsonNode d = ok(post("acme", "/v1/authorize/batch", Map.of("requests", List.of(
        Map.of("principal", "User::\"alice\"", "action", "edit", "resource", "Document::\"d1\""),
        Map.of("principal", "User::\"bob\"", "action", "edit", "resource", "Document::\"d1\""))),
        pep));
    assertThat(d.at("/results/0/decision").asText()).isEqualTo("allow");
    assertThat(d.at("/results/1/decision").asText()).isEqualTo("deny");
  }

  @Test
  void perRequestEntitiesTakePartInThatDecisionOnly() {
    JsonNode d = ok(post("acme", "/v1/authorize", Map.of(
        "principal", "User::\"carol\"", "action", "edit", "resource", "Document::\"d9\"",
        "entities", List.of(
            Map.of("uid", Map.of("type", "User", "id", "carol"),
                "attrs", Map.of("department", "x"), "parents", List.of()),
            Map.of("uid", Map.of("type", "Document", "id", "d9"),
                "attrs", Map.of("owner", Map.of("__entity", Map.of("type", "User", "id",
                    "carol")), "public", false), "parents", List.of()))), pep));
    assertThat(d.get("decision").asText()).isEqualTo("allow");
    assertThat(decide("User::\"carol\"", "edit", "Document::\"d9\"").get("decision").asText())
        .isEqualTo("deny");
  }

  @Test
  void aClientTokenAsPrincipalBringsItsScopesIntoTheContext() {
    JsonNode d = ok(post("acme", "/v1/authorize", Map.of("principal_token", reader,
        "action", "view", "resource", "Document::\"d1\""), pep));
    assertThat(d.get("decision").asText()).as(d.toString()).isEqualTo("allow");
    assertThat(d.at("/reasons/0/id").asText()).isEqualTo("readers");

    JsonNode inactive = ok(post("acme", "/v1/authorize", Map.of("principal_token", "nope",
        "action", "view", "resource", "Document::\"d1\""), pep));
    assertThat(inactive.get("decision").asText()).isEqualTo("deny");
    assertThat(inactive.at("/errors/0/message").asText()).contains("not an active");
  }

  @Nested
  class Changes {

    @Test
    void aPolicyChangeTakesEffectAtOnceAndRollbackRestoresIt() {
      assertThat(decide("User::\"alice\"", "edit", "Document::\"d1\"").get("decision").asText())
          .isEqualTo("allow");
      long before = ok(server.admin("GET", "/admin/v1/tenants/acme/policies", null))
          .get("version").asLong();

      JsonNode put = ok(server.admin("PUT", "/admin/v1/tenants/acme/policies", Map.of(
          "policies", POLICIES + "\n@id(\"freeze\")\nforbid(principal, action == Action::\"edit\","
              + " resource);\n", "message", "freeze edits")));
      assertThat(put.get("version").asLong()).isEqualTo(before + 1);
      JsonNode denied = decide("User::\"alice\"", "edit", "Document::\"d1\"");
      assertThat(denied.get("decision").asText()).isEqualTo("deny");
      assertThat(denied.at("/reasons/0/id").asText()).isEqualTo("freeze");

      JsonNode history = ok(server.admin("GET", "/admin/v1/tenants/acme/policies/versions",
          null));
      assertThat(history.at("/items/0/message").asText()).isEqualTo("freeze edits");
      assertThat(history.at("/items/0/author").asText())
          .isEqualTo(server.bootstrapAdmin().get("client_id").asText());

      JsonNode diff = ok(server.admin("GET", "/admin/v1/tenants/acme/policies/diff?from="
          + before + "&to=" + (before + 1), null));
      assertThat(diff.at("/changes/policies").toString()).contains("+ @id(\\\"freeze\\\")");
      assertThat(diff.at("/changes/schema").isMissingNode()).isTrue();

      JsonNode rb = ok(server.admin("POST", "/admin/v1/tenants/acme/policies/rollback",
          Map.of("version", before)));
      assertThat(rb.get("version").asLong()).isEqualTo(before + 2);
      assertThat(rb.get("copied_from").asLong()).isEqualTo(before);
      assertThat(decide("User::\"alice\"", "edit", "Document::\"d1\"").get("decision").asText())
          .isEqualTo("allow");
    }

    @Test
    void anInvalidPolicyIsRefusedWithLineAndColumnAndNothingChanges() {
      long before = ok(server.admin("GET", "/admin/v1/tenants/acme/policies", null))
          .get("version").asLong();
      String bad = """
          @id("ok")
          permit(principal, action == Action::"view", resource);
            @id("typo")
            permit(principal, action == Action::"view", resource) when { resource.nosuch };
          """;
      TestServer.Response r = server.admin("PUT", "/admin/v1/tenants/acme/policies",
          Map.of("policies", bad));
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      JsonNode err = r.json().at("/errors/0");
      assertThat(err.get("policy").asText()).isEqualTo("typo");
      assertThat(err.get("message").asText()).contains("nosuch");
      // The validator points at the offending expression, not at the policy's start.
      assertThat(err.get("line").asInt()).isEqualTo(4);
      assertThat(err.get("column").asInt()).isEqualTo(64);
      assertThat(ok(server.admin("GET", "/admin/v1/tenants/acme/policies", null))
          .get("version").asLong()).isEqualTo(before);

      TestServer.Response syntax = server.admin("PUT", "/admin/v1/tenants/acme/policies",
          Map.of("policies", "permit(principal, action, resource)\nwhen { 1 + };"));
      assertThat(syntax.status()).isEqualTo(400);
      assertThat(syntax.json().at("/errors/0/line").asInt()).isEqualTo(2);
      assertThat(syntax.json().at("/errors/0/column").asInt()).isPositive();

      JsonNode report = ok(server.admin("POST", "/admin/v1/tenants/acme/policies/validate",
          Map.of("policies", bad)));
      assertThat(report.get("valid").asBoolean()).isFalse();
      assertThat(report.at("/errors/0/line").asInt()).isEqualTo(4);
      assertThat(report.at("/errors/0/column").asInt()).isEqualTo(64);
    }

    @Test
    void deletingAnEntityChangesTheDecisionAndTheEntityVersion() {
      JsonNode first = decide("User::\"alice\"", "view", "Document::\"d1\"");
      assertThat(first.get("decision").asText()).isEqualTo("allow");
      ok(raw("POST", "/admin/v1/tenants/acme/entities", "application/json",
          "[{\"uid\": {\"type\": \"User\", \"id\": \"alice\"}, \"attrs\": {\"department\":"
              + " \"eng\"}, \"parents\": []}]", "Bearer " + server.adminToken()));
      JsonNode after = decide("User::\"alice\"", "view", "Document::\"d1\"");
      assertThat(after.get("decision").asText()).isEqualTo("deny");
      assertThat(after.get("entity_version").asLong())
          .isGreaterThan(first.get("entity_version").asLong());
      ok(raw("POST", "/admin/v1/tenants/acme/entities", "application/json", ENTITIES,
          "Bearer " + server.adminToken()));
      assertThat(decide("User::\"alice\"", "view", "Document::\"d1\"").get("decision").asText())
          .isEqualTo("allow");
    }

    @Test
    void templateLinksAreVersionedToo() {
      ok(server.admin("PUT", "/admin/v1/tenants/acme/policies", Map.of("policies", POLICIES
          + "\n@id(\"viewer\")\npermit(principal == ?principal, action == Action::\"view\","
          + " resource == ?resource);\n")));
      assertThat(decide("User::\"bob\"", "view", "Document::\"d1\"").get("decision").asText())
          .isEqualTo("deny");
      ok(server.admin("PUT", "/admin/v1/tenants/acme/policies/links/bob-d1", Map.of(
          "template", "viewer", "values", Map.of("?principal", "User::\"bob\"",
              "?resource", Map.of("type", "Document", "id", "d1")))));
      JsonNode d = decide("User::\"bob\"", "view", "Document::\"d1\"");
      assertThat(d.get("decision").asText()).isEqualTo("allow");
      assertThat(d.at("/reasons/0/id").asText()).isEqualTo("bob-d1");
      ok(server.admin("DELETE", "/admin/v1/tenants/acme/policies/links/bob-d1", null));
      assertThat(decide("User::\"bob\"", "view", "Document::\"d1\"").get("decision").asText())
          .isEqualTo("deny");
      ok(server.admin("PUT", "/admin/v1/tenants/acme/policies", Map.of("policies", POLICIES)));
    }
  }

  @Nested
  class Isolation {

    @Test
    void anotherTenantsPoliciesAndEntitiesNeverTakePart() {
      server.createTenant("globex");
      String globexPep = token("globex", "pep", "authorize");
      ok(server.admin("PUT", "/admin/v1/tenants/globex/policies", Map.of("policies",
          "permit(principal, action, resource);")));
      ok(raw("POST", "/admin/v1/tenants/globex/entities", "application/json",
          "[{\"uid\": {\"type\": \"User\", \"id\": \"bob\"}, \"attrs\": {\"department\":"
              + " \"eng\"}, \"parents\": [{\"type\": \"Group\", \"id\": \"engineering\"}]}]",
          "Bearer " + server.adminToken()));
      JsonNode g = ok(post("globex", "/v1/authorize", Map.of("principal", "User::\"bob\"",
          "action", "edit", "resource", "Document::\"d1\""), globexPep));
      assertThat(g.get("decision").asText()).isEqualTo("allow");

      assertThat(decide("User::\"bob\"", "edit", "Document::\"d1\"").get("decision").asText())
          .isEqualTo("deny");
      assertThat(decide("User::\"bob\"", "view", "Document::\"d1\"").get("decision").asText())
          .isEqualTo("deny");
      // Globex's token is not valid at acme.
      assertThat(post("acme", "/v1/authorize", Map.of("principal", "User::\"bob\"",
          "action", "edit", "resource", "Document::\"d1\""), globexPep).status()).isEqualTo(401);
    }
  }

  @Nested
  class TenantLifecycle {

    @Test
    void aReCreatedTenantStartsWithoutTheDeletedOnesPoliciesOrCachedDecisions() {
      server.createTenant("phoenix");
      String first = token("phoenix", "pep", "authorize");
      ok(server.admin("PUT", "/admin/v1/tenants/phoenix/policies", Map.of("policies",
          "permit(principal, action, resource);")));
      Map<String, String> req = Map.of("principal", "User::\"x\"", "action", "view",
          "resource", "Document::\"y\"");
      assertThat(ok(post("phoenix", "/v1/authorize", req, first)).get("decision").asText())
          .isEqualTo("allow");
      assertThat(server.admin("DELETE", "/admin/v1/tenants/phoenix", null).status())
          .isEqualTo(204);
      server.createTenant("phoenix");
      String second = token("phoenix", "pep", "authorize");
      JsonNode d = ok(post("phoenix", "/v1/authorize", req, second));
      assertThat(d.get("decision").asText()).isEqualTo("deny");
      assertThat(d.get("policy_version").asLong()).isZero();
    }
  }

  @Nested
  class Refusals {

    @Test
    void noTokenIs401WithAChallenge() {
      TestServer.Response r = post("acme", "/v1/authorize", Map.of(), null);
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
      assertThat(post("acme", "/access/v1/evaluation", Map.of(), "garbage").status())
          .isEqualTo(401);
    }

    @Test
    void aTokenWithoutTheAuthorizeScopeIs403() {
      TestServer.Response r = post("acme", "/v1/authorize", Map.of("principal", "User::\"a\"",
          "action", "view", "resource", "Document::\"d1\""), pepNoScope);
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.json().get("error").asText()).isEqualTo("insufficient_scope");
      assertThat(r.header("WWW-Authenticate")).contains("scope=\"authorize\"");
    }

    @Test
    void badInputIs4xxJsonNeverADecisionNorA500() {
      String auth = "Bearer " + pep;
      for (String body : List.of("{", "[]", "{}", "{\"principal\": 1, \"action\": \"view\","
          + " \"resource\": \"Document::\\\"d1\\\"\"}", "{\"principal\": \"User::alice\","
          + " \"action\": \"view\", \"resource\": \"Document::\\\"d1\\\"\"}",
          "{\"principal\": \"User::\\\"a\\\"\", \"action\": \"view\", \"resource\":"
              + " \"Document::\\\"d1\\\"\", \"context\": {\"x\": 1.5}}",
          "{\"principal\": \"User::\\\"a\\\"\", \"action\": \"view\", \"resource\":"
              + " \"Document::\\\"d1\\\"\", \"extra\": true}",
          "{\"principal\": \"User::\\\"a\\\"\", \"action\": \"view\", \"resource\":"
              + " \"Document::\\\"d1\\\"\", \"context\": {\"__entity\": {\"type\": \"A\","
              + " \"id\": \"b\"}}}",
          "{\"principal\": \"User::\\\"a\\\"\", \"action\": \"view\", \"resource\":"
              + " \"Document::\\\"d1\\\"\", \"entities\": [{\"uid\": {\"type\":"
              + " \"Gatehouse::Client\", \"id\": \"x\"}}]}")) {
        TestServer.Response r = raw("POST", "/t/acme/v1/authorize", "application/json", body,
            auth);
        assertThat(r.status()).as(body + " → " + r).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_request");
      }
      assertThat(raw("POST", "/t/acme/v1/authorize", "text/plain", "{}", auth).status())
          .isEqualTo(415);
      assertThat(raw("GET", "/t/acme/v1/authorize", null, "", auth).status()).isEqualTo(405);
      assertThat(raw("POST", "/t/acme/access/v1/evaluation", "application/json",
          "{\"subject\": {\"type\": \"user\"}}", auth).status()).isEqualTo(400);
      assertThat(post("nosuch", "/v1/authorize", Map.of(), pep).status()).isEqualTo(404);
    }

    @Test
    void theAdminApiNeedsAnAdminTokenAndATenantToken() {
      TestServer.Response none = raw("PUT", "/admin/v1/tenants/acme/policies", "application/json",
          "{\"policies\": \"\"}", null);
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.header("Content-Type")).startsWith("application/problem+json");
      // A tenant's own authorize token is not an admin token.
      assertThat(raw("GET", "/admin/v1/tenants/acme/policies", null, "", "Bearer " + pep)
          .status()).isEqualTo(401);
      assertThat(server.admin("GET", "/admin/v1/tenants/nosuch/policies", null).status())
          .isEqualTo(404);
    }

    @Test
    void adminWritesOfBadEntitiesAreProblems() {
      TestServer.Response r = raw("POST", "/admin/v1/tenants/acme/entities", "application/json",
          "[{\"uid\": {\"type\": \"Gatehouse::Client\", \"id\": \"x\"}}]",
          "Bearer " + server.adminToken());
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      TestServer.Response nonConforming = raw("POST", "/admin/v1/tenants/acme/entities",
          "application/json", "[{\"uid\": {\"type\": \"User\", \"id\": \"x\"}, \"attrs\": {}}]",
          "Bearer " + server.adminToken());
      assertThat(nonConforming.status()).isEqualTo(400);
      assertThat(nonConforming.json().get("detail").asText()).contains("department");
    }
  }

  /** The examples of the OpenID AuthZEN Authorization API 1.0, mapped onto Cedar. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class AuthZenApi {

    static final String AUTHZEN_POLICIES = """
        @id("alice-reads-accounts")
        permit(principal == user::"alice@acmecorp.com", action == Action::"can_read",
               resource is account)
        when { context.method == "GET" && context has time };

        @id("alice-reads-docs")
        permit(principal == user::"alice@acmecorp.com", action == Action::"can_read",
               resource is document)
        when { [document::"boxcarring.md", document::"resource-search.md"].contains(resource) };

        @id("read-but-2")
        permit(principal == user::"alice@example.com", action == Action::"read", resource)
        unless { resource == document::"2" };

        @id("finance-reports")
        permit(principal is user, action == Action::"can_read", resource is report)
        when { principal has department && principal.department == "finance" };
        """;

    private String token;

    @org.junit.jupiter.api.BeforeEach
    void tenant() {
      if (token == null) {
        server.createTenant("authzen");
        token = PolicyDecisionsContract.this.token("authzen", "pep", "authorize");
        ok(server.admin("PUT", "/admin/v1/tenants/authzen/policies",
            Map.of("policies", AUTHZEN_POLICIES)));
      }
    }

    JsonNode eval(String path, String json) {
      return ok(raw("POST", "/t/authzen/access/v1/" + path, "application/json", json,
          "Bearer " + token));
    }

    List<Boolean> decisions(JsonNode r) {
      List<Boolean> out = new java.util.ArrayList<>();
      r.get("evaluations").forEach(e -> out.add(e.get("decision").asBoolean()));
      return out;
    }

    @Test
    @org.junit.jupiter.api.DisplayName("AuthZEN §6.1 Access Evaluation request example")
    void accessEvaluation() {
      JsonNode r = eval("evaluation", """
          {
            "subject": {"type": "user", "id": "alice@acmecorp.com"},
            "resource": {"type": "account", "id": "123"},
            "action": {"name": "can_read", "properties": {"method": "GET"}},
            "context": {"time": "1985-10-26T01:22-07:00"}
          }
          """);
      assertThat(r.get("decision").asBoolean()).as(r.toString()).isTrue();
      assertThat(r.at("/context/reasons/0/id").asText()).isEqualTo("alice-reads-accounts");

      JsonNode post = eval("evaluation", """
          {
            "subject": {"type": "user", "id": "alice@acmecorp.com"},
            "resource": {"type": "account", "id": "123"},
            "action": {"name": "can_read", "properties": {"method": "POST"}},
            "context": {"time": "1985-10-26T01:22-07:00"}
          }
          """);
      assertThat(post.get("decision").asBoolean()).isFalse();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("AuthZEN §7.1 evaluations without defaults")
    void evaluationsWithoutDefaults() {
      JsonNode r = eval("evaluations", """
          {"evaluations": [
            {"subject": {"type": "user", "id": "alice@acmecorp.com"},
             "action": {"name": "can_read"},
             "resource": {"type": "document", "id": "boxcarring.md"},
             "context": {"time": "2024-05-31T15:22-07:00"}},
            {"subject": {"type": "user", "id": "alice@acmecorp.com"},
             "action": {"name": "can_read"},
             "resource": {"type": "document", "id": "subject-search.md"},
             "context": {"time": "2024-05-31T15:22-07:00"}},
            {"subject": {"type": "user", "id": "alice@acmecorp.com"},
             "action": {"name": "can_read"},
             "resource": {"type": "document", "id": "resource-search.md"},
             "context": {"time": "2024-05-31T15:22-07:00"}}
          ]}
          """);
      assertThat(decisions(r)).containsExactly(true, false, true);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("AuthZEN §7.1.1 default values, overridden per evaluation")
    void evaluationsWithDefaults() {
      JsonNode r = eval("evaluations", """
          {
            "subject": {"type": "user", "id": "alice@acmecorp.com"},
            "context": {"time": "2024-05-31T15:22-07:00"},
            "action": {"name": "can_read"},
            "evaluations": [
              {"resource": {"type": "document", "id": "boxcarring.md"}},
              {"resource": {"type": "document", "id": "subject-search.md"}},
              {"action": {"name": "can_edit"},
               "resource": {"type": "document", "id": "resource-search.md"}}
            ]
          }
          """);
      assertThat(decisions(r)).containsExactly(true, false, false);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("AuthZEN §7.1.2.1 the three evaluation semantics")
    void evaluationSemantics() {
      String template = """
          {
            "subject": {"type": "user", "id": "alice@example.com"},
            "action": {"name": "read"},
            "options": {"evaluations_semantic": "%s"},
            "evaluations": [
              {"resource": {"type": "document", "id": "1"}},
              {"resource": {"type": "document", "id": "2"}},
              {"resource": {"type": "document", "id": "3"}}
            ]
          }
          """;
      assertThat(decisions(eval("evaluations", template.formatted("execute_all"))))
          .containsExactly(true, false, true);
      assertThat(decisions(eval("evaluations", template.formatted("deny_on_first_deny"))))
          .containsExactly(true, false);
      assertThat(decisions(eval("evaluations", template.formatted("permit_on_first_permit"))))
          .containsExactly(true);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("AuthZEN §7.2.1 an unreadable evaluation is a false decision with its error")
    void errorsOfOneEvaluationStayInIt() {
      JsonNode r = eval("evaluations", """
          {"action": {"name": "read"}, "subject": {"type": "user", "id": "alice@example.com"},
           "evaluations": [{"resource": {"type": "document", "id": "1"}}, {"resource": 7},
                           {"resource": {"type": "document", "id": "3"}}]}
          """);
      assertThat(decisions(r)).containsExactly(true, false, true);
      assertThat(r.at("/evaluations/1/context/error/status").asInt()).isEqualTo(400);
    }

    @Test
    void subjectPropertiesAreItsAttributesForThatDecision() {
      String template = """
          {"subject": {"type": "user", "id": "u1", "properties": {"department": "%s"}},
           "action": {"name": "can_read"}, "resource": {"type": "report", "id": "q3"}}
          """;
      assertThat(eval("evaluation", template.formatted("finance")).get("decision").asBoolean())
          .isTrue();
      assertThat(eval("evaluation", template.formatted("sales")).get("decision").asBoolean())
          .isFalse();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("AuthZEN §9 PDP metadata: the tenant's issuer is the PDP")
    void pdpMetadata() {
      for (String path : List.of("/.well-known/authzen-configuration/t/authzen",
          "/t/authzen/.well-known/authzen-configuration")) {
        TestServer.Response r = server.get(path);
        JsonNode m = ok(r);
        assertThat(m.get("policy_decision_point").asText()).isEqualTo(server.issuer("authzen"));
        assertThat(m.get("access_evaluation_endpoint").asText())
            .isEqualTo(server.issuer("authzen") + "/access/v1/evaluation");
        assertThat(m.get("access_evaluations_endpoint").asText())
            .isEqualTo(server.issuer("authzen") + "/access/v1/evaluations");
      }
    }

    @Test
    void withoutEvaluationsTheEvaluationsEndpointAnswersOneDecision() {
      JsonNode r = eval("evaluations", """
          {"subject": {"type": "user", "id": "alice@example.com"}, "action": {"name": "read"},
           "resource": {"type": "document", "id": "1"}}
          """);
      assertThat(r.get("decision").asBoolean()).isTrue();
    }
  }

  @Nested
  class Metrics {

    @Test
    void decisionsAndTheCacheAreMeasuredAndDecisionsAreLogged() throws Exception {
      decide("User::\"alice\"", "edit", "Document::\"d1\"");
      decide("User::\"alice\"", "edit", "Document::\"d1\"");
      String text = "";
      for (int i = 0; i < 50; i++) {
        text = server.scrape();
        if (text.contains("gatehouse_policy_decision_log_written_total")
            && !text.contains("gatehouse_policy_decision_log_written_total 0.0")) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(text).contains("gatehouse_policy_decisions_total{decision=\"allow\"}");
      assertThat(text).contains("gatehouse_policy_decision_cache_hit_ratio");
      assertThat(text).doesNotContain("gatehouse_policy_decision_log_written_total 0.0");
    }

    @Test
    void secondIdenticalDecisionIsACacheHitAndTheFirstIsNot() {
      String resource = "Document::\"hit-" + System.nanoTime() + "\"";
      double before = decisionCacheHits();
      decide("User::\"alice\"", "edit", resource);
      double afterFirst = decisionCacheHits();
      decide("User::\"alice\"", "edit", resource);
      double afterSecond = decisionCacheHits();
      assertThat(afterFirst).as("a first decision is computed").isEqualTo(before);
      assertThat(afterSecond).as("the same decision again comes from the cache")
          .isEqualTo(afterFirst + 1);
    }

    /** The decision cache's hit count as /metrics reports it. */
    private double decisionCacheHits() {
      for (String line : server.scrape().split("\n")) {
        if (line.startsWith("cache_gets_total{") && line.contains("cache=\"policy_decisions\"")
            && line.contains("result=\"hit\"")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      throw new AssertionError("no hit count of the decision cache in /metrics");
    }

    @Test
    void everyDecisionIsInTheOutboxWithItsRequestId() throws Exception {
      String rid = "decision-log-" + System.nanoTime();
      TestServer.Response r = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
              + "/t/acme/v1/authorize"))
          .header("Authorization", "Bearer " + pep).header("Content-Type", "application/json")
          .header("X-Request-Id", rid)
          .POST(HttpRequest.BodyPublishers.ofString("{\"principal\": \"User::\\\"bob\\\"\","
              + " \"action\": \"edit\", \"resource\": \"Document::\\\"d1\\\"\"}"))
          .build());
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      String url = server.node().config().jdbcUrl();
      String payload = null;
      for (int i = 0; i < 50 && payload == null; i++) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
             java.sql.PreparedStatement ps = c.prepareStatement("select tenant_id, type, payload"
                 + " from event_outbox where payload like ?")) {
          ps.setString(1, "%" + rid + "%");
          try (java.sql.ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              assertThat(rs.getString(1)).isEqualTo("acme");
              assertThat(rs.getString(2)).isEqualTo("policy.decision");
              // A row may hold a frame of several decisions, one per line (JdbcEventOutbox).
              payload = java.util.Arrays.stream(rs.getString(3).split("\n"))
                  .filter(line -> line.contains(rid)).findFirst().orElseThrow();
            }
          }
        }
        if (payload == null) {
          Thread.sleep(100);
        }
      }
      assertThat(payload).isNotNull();
      JsonNode event = TestServer.JSON.readTree(payload);
      assertThat(event.get("request_id").asText()).isEqualTo(rid);
      assertThat(event.get("decision").asText()).isEqualTo("deny");
      assertThat(event.get("principal").asText()).isEqualTo("User::\"bob\"");
      assertThat(event.has("context")).isFalse();
    }
  }
}
