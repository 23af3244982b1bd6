package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GH-06: per-request {@code entities} with a 9,000-long parent chain (~850 KB) made the ancestor
 * closure quadratic (OutOfMemoryError, 500, seconds of stall for every tenant). Every path that
 * brings entities now has a count, a size and a depth budget, answered 400 with the limit's name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestEntitiesExhaustHeapTest {

  private TestServer server;
  private String pep;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("chains");
    assertThat(server.admin("PUT", "/admin/v1/tenants/chains/policies", Map.of("policies",
        "permit(principal in Group::\"g0\", action, resource);")).status()).isEqualTo(200);
    pep = server.clientToken("chains", "pep", "authorize");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** Group::"g{n}" in g{n-1} in ... in g0: a chain of n parent edges above the last group. */
  private static String chain(int n) {
    StringBuilder b = new StringBuilder("[{\"uid\":{\"type\":\"Group\",\"id\":\"g0\"},"
        + "\"attrs\":{},\"parents\":[]}");
    for (int i = 1; i <= n; i++) {
      b.append(",{\"uid\":{\"type\":\"Group\",\"id\":\"g").append(i)
          .append("\"},\"attrs\":{},\"parents\":[{\"type\":\"Group\",\"id\":\"g").append(i - 1)
          .append("\"}]}");
    }
    return b.append(']').toString();
  }

  private TestServer.Response authorize(String principalId, String entities) {
    String body = "{\"principal\":{\"type\":\"Group\",\"id\":\"" + principalId + "\"},"
        + "\"action\":\"read\",\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
        + "\"entities\":" + entities + "}";
    return server.send(HttpRequest.newBuilder(
            URI.create(server.httpUrl() + "/t/chains/v1/authorize"))
        .header("Authorization", "Bearer " + pep)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void whenNineThousandChainedEntitiesThenBadRequestNamingTheCountLimit() {
    TestServer.Response r = authorize("g9000", chain(9000));
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.text()).contains("policy.max-request-entities");
  }

  @Test
  void whenChainDeeperThanTheLimitThenBadRequestNamingTheDepthLimit() {
    TestServer.Response r = authorize("g100", chain(100));
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.text()).contains("policy.max-entity-depth");
  }

  @Test
  void whenChainWithinTheLimitThenDecided() {
    TestServer.Response r = authorize("g64", chain(64));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("decision").asText()).isEqualTo("allow");
  }

  @Test
  void whenRequestChainContinuesAStoredChainThenTheDepthCountsBoth() {
    assertThat(server.admin("POST", "/admin/v1/tenants/chains/entities",
        TestServer.JSON.valueToTree(read(chain(60)))).status()).isEqualTo(200);
    String more = "[{\"uid\":{\"type\":\"Group\",\"id\":\"x\"},\"attrs\":{},\"parents\":["
        + "{\"type\":\"Group\",\"id\":\"g60\"}]},{\"uid\":{\"type\":\"Group\",\"id\":\"y\"},"
        + "\"attrs\":{},\"parents\":[{\"type\":\"Group\",\"id\":\"x\"}]},{\"uid\":{\"type\":"
        + "\"Group\",\"id\":\"z\"},\"attrs\":{},\"parents\":[{\"type\":\"Group\",\"id\":\"y\"}]},"
        + "{\"uid\":{\"type\":\"Group\",\"id\":\"w\"},\"attrs\":{},\"parents\":[{\"type\":"
        + "\"Group\",\"id\":\"z\"}]},{\"uid\":{\"type\":\"Group\",\"id\":\"v\"},\"attrs\":{},"
        + "\"parents\":[{\"type\":\"Group\",\"id\":\"w\"}]}]";
    TestServer.Response r = authorize("v", more);
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.text()).contains("policy.max-entity-depth");
  }

  @Test
  void whenStoredChainDeeperThanTheLimitThenAdminApiRefusesIt() {
    TestServer.Response r = server.admin("POST", "/admin/v1/tenants/chains/entities",
        TestServer.JSON.valueToTree(read(chain(200).replace("\"g", "\"s"))));
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.text()).contains("policy.max-entity-depth");
  }

  private static Object read(String json) {
    try {
      return TestServer.JSON.readValue(json, Object.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
