package dev.gatehouse.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.http.RouteList;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document ({@code openapi.yaml}, served at {@code /admin/v1/openapi.json}) against
 * the real server: it is valid OpenAPI 3.1 for a maintained validator; it documents exactly the
 * routes the server registers; and each documented operation, called once with its example,
 * answers a documented status with a documented content type.
 */
class OpenApiContractTest {

  private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
  private static final List<String> METHODS = List.of("get", "head", "post", "put", "patch",
      "delete", "options");
  /**
   * Admin operations whose representative call cannot succeed without a browser or a delivery:
   * they must still answer as documented (a 4xx problem).
   */
  private static final Set<String> NOT_2XX = Set.of(
      "PUT /admin/v1/tenants/{tenant}/policies/links/{link}",
      "DELETE /admin/v1/tenants/{tenant}/policies/links/{link}",
      "DELETE /admin/v1/tenants/{tenant}/sessions/{sid}",
      "DELETE /admin/v1/tenants/{tenant}/blocks/{block}",
      "POST /admin/v1/tenants/{tenant}/webhooks/deliveries/{delivery}/redeliver");

  private static TestServer server;
  private static JsonNode doc;

  @BeforeAll
  static void start() {
    // /metrics is on the main listener (where the routes are listed) only with its token.
    server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_MANAGEMENT_METRICS_TOKEN",
        "m".repeat(32)));
    doc = OpenApiHttp.load();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void documentWhenValidatedBySwaggerParserThenValidOpenApi31WithoutMessages() throws IOException {
    String yaml;
    try (InputStream in = OpenApiHttp.class.getResourceAsStream(OpenApiHttp.RESOURCE)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setValidateInternalRefs(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml, null, options);
    assertThat(result.getMessages()).as("validator messages").isEmpty();
    assertThat(result.getOpenAPI()).isNotNull();
    assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    assertThat(result.getOpenAPI().getPaths()).hasSizeGreaterThan(60);
  }

  @Test
  void documentWhenFetchedFromServerThenCheckedInDocumentWithNodeBaseUrl() {
    TestServer.Response r = server.get("/admin/v1/openapi.json");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonNode served = r.json();
    assertThat(served.path("servers").get(0).path("url").asText()).isEqualTo(server.baseUrl());
    assertThat(served.path("paths")).isEqualTo(doc.path("paths"));
    assertThat(served.path("components")).isEqualTo(doc.path("components"));
  }

  @Test
  void routesWhenRegisteredThenEachIsDocumentedAndEachDocumentedIsRegistered() {
    Set<String> registered = new TreeSet<>();
    for (RouteList.Route route : server.node().routes()) {
      if (!route.method().equals("ANY")) {
        registered.add(route.method() + " " + route.path());
      }
    }
    Set<String> documented = new TreeSet<>(operations().keySet());
    assertThat(registered).as("routes the server registers").isNotEmpty();
    Set<String> undocumented = new TreeSet<>(registered);
    undocumented.removeAll(documented);
    Set<String> unserved = new TreeSet<>(documented);
    unserved.removeAll(registered);
    assertThat(undocumented).as("registered but not in openapi.yaml").isEmpty();
    assertThat(unserved).as("in openapi.yaml but not registered").isEmpty();
  }

  @Test
  void adminOperationsWhenCalledWithoutTokenThenDocumented401Problem() {
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : operations().entrySet()) {
      if (!needsAdmin(e.getValue())) {
        continue;
      }
      String[] mp = e.getKey().split(" ", 2);
      String path = PARAM.matcher(mp[1]).replaceAll("x");
      TestServer.Response r = server.send(HttpRequest.newBuilder(URI.create(server.httpUrl()
          + path)).method(mp[0], HttpRequest.BodyPublishers.noBody()).build());
      String problem = check(e.getKey(), e.getValue(), mp[0], r);
      if (problem != null) {
        failures.add(problem);
      } else if (r.status() != 401) {
        failures.add(e.getKey() + ": " + r.status() + " without a token");
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void everyOperationWhenCalledWithItsExampleThenAnswersAsDocumented() {
    Map<String, String> values = fixture();
    List<Map.Entry<String, JsonNode>> ops = new ArrayList<>(operations().entrySet());
    // Deletions last, deepest first: a tenant goes after everything in it.
    List<Map.Entry<String, JsonNode>> ordered = new ArrayList<>();
    ops.stream().filter(e -> !e.getKey().startsWith("DELETE ")).forEach(ordered::add);
    ops.stream().filter(e -> e.getKey().startsWith("DELETE "))
        .sorted(Comparator.comparing(e -> -e.getKey().split("/").length))
        .forEach(ordered::add);

    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : ordered) {
      String[] mp = e.getKey().split(" ", 2);
      JsonNode op = e.getValue();
      TestServer.Response r = server.send(request(mp[0], mp[1], op, values));
      String problem = check(e.getKey(), op, mp[0], r);
      if (problem != null) {
        failures.add(problem);
      } else if (needsAdmin(op) && !NOT_2XX.contains(e.getKey())
          && (r.status() < 200 || r.status() > 299)) {
        failures.add(e.getKey() + ": " + r.status() + " " + r.text());
      }
    }
    assertThat(failures).isEmpty();
  }

  /** The objects a representative call names: a tenant with clients, a user, a group, ... */
  private static Map<String, String> fixture() {
    Map<String, String> v = new HashMap<>();
    server.createTenant("acme");
    JsonNode api = server.createClient("acme", Map.of("name", "api",
        "scope", "authorize openid invoices.read"));
    JsonNode other = server.createClient("acme", Map.of("name", "other"));
    JsonNode alice = server.admin("POST", "/admin/v1/tenants/acme/users",
        Map.of("username", "alice")).json();
    server.admin("POST", "/admin/v1/tenants/acme/groups", Map.of("name", "staff"));
    server.admin("PUT", "/admin/v1/tenants/acme/groups/staff/members/"
        + alice.get("id").asText(), null);
    JsonNode hook = server.admin("POST", "/admin/v1/tenants/acme/webhooks",
        Map.of("url", "https://hooks.example.com/fixture")).json();
    TestServer.Response token = server.postForm("/t/acme/oauth2/token",
        "grant_type=client_credentials&scope=authorize", TestServer.basic(
            api.get("client_id").asText(), api.get("client_secret").asText()));
    v.put("tenant", "acme");
    v.put("client", other.get("client_id").asText());
    v.put("user", alice.get("id").asText());
    v.put("group", "staff");
    v.put("id", hook.get("id").asText());
    v.put("sid", "nosuch");
    v.put("block", "ip:203.0.113.7");
    v.put("link", "nosuch");
    v.put("version", "1");
    v.put("delivery", "1");
    v.put("from", "0");
    v.put("basic", TestServer.basic(api.get("client_id").asText(),
        api.get("client_secret").asText()));
    v.put("bearer", "Bearer " + token.json().get("access_token").asText());
    return v;
  }

  private static HttpRequest request(String method, String template, JsonNode op,
      Map<String, String> values) {
    Matcher m = PARAM.matcher(template);
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(path, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    m.appendTail(path);
    StringBuilder query = new StringBuilder();
    for (JsonNode p : op.path("parameters")) {
      JsonNode param = resolve(p);
      if (param.path("in").asText().equals("query") && param.path("required").asBoolean()) {
        String name = param.get("name").asText();
        query.append(query.isEmpty() ? "?" : "&").append(name).append('=')
            .append(name.equals("user") ? values.get("user") : values.get(name));
      }
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.httpUrl() + path + query));
    String auth = switch (scheme(op)) {
      case "admin" -> "Bearer " + server.adminToken();
      case "bearer" -> values.get("bearer");
      case "clientSecretBasic" -> values.get("basic");
      default -> null;
    };
    if (auth != null) {
      b.header("Authorization", auth);
    }
    JsonNode content = op.path("requestBody").path("content");
    Iterator<Map.Entry<String, JsonNode>> types = content.fields();
    if (types.hasNext()) {
      Map.Entry<String, JsonNode> type = types.next();
      JsonNode example = type.getValue().path("example");
      byte[] body = example.isTextual()
          ? example.asText().getBytes(StandardCharsets.UTF_8)
          : example.isMissingNode() ? new byte[0] : example.toString().getBytes(StandardCharsets.UTF_8);
      if (body.length > 0) {
        b.header("Content-Type", type.getKey());
        return b.method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
      }
    }
    return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
  }

  /** Null when the answer is documented: its status, and for content its media type. */
  private static String check(String key, JsonNode op, String method, TestServer.Response r) {
    JsonNode response = op.path("responses").get(String.valueOf(r.status()));
    if (response == null) {
      return key + ": undocumented status " + r.status() + " " + r.text();
    }
    JsonNode content = resolve(response).path("content");
    if (content.isMissingNode() || method.equals("HEAD")) {
      return null;
    }
    String type = r.header("Content-Type");
    String media = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (!content.has(media)) {
      return key + ": " + r.status() + " with content type `" + type + "`, documented "
          + content.fieldNames().next();
    }
    if (media.endsWith("json")) {
      String shape = shape(resolve(content.get(media).path("schema")), r.json());
      if (shape != null) {
        return key + ": " + r.status() + " " + shape + " in " + r.text();
      }
    }
    return null;
  }

  /**
   * Null when the top level of {@code body} fits {@code schema}: its type, its required members,
   * and the type and enumerated values of the members it documents (allOf parts merged).
   */
  private static String shape(JsonNode schema, JsonNode body) {
    List<JsonNode> parts = new ArrayList<>();
    parts.add(schema);
    schema.path("allOf").forEach(p -> parts.add(resolve(p)));
    for (JsonNode part : parts) {
      if (!fits(part.path("type"), body)) {
        return "is not of type " + part.path("type");
      }
      for (JsonNode required : part.path("required")) {
        if (!body.has(required.asText())) {
          return "lacks `" + required.asText() + "`";
        }
      }
      Iterator<Map.Entry<String, JsonNode>> props = part.path("properties").fields();
      while (props.hasNext()) {
        Map.Entry<String, JsonNode> p = props.next();
        JsonNode value = body.get(p.getKey());
        JsonNode property = resolve(p.getValue());
        if (value == null) {
          continue;
        }
        if (!fits(property.path("type"), value)) {
          return "has `" + p.getKey() + "` not of type " + property.path("type");
        }
        if (property.has("enum") && !contains(property.get("enum"), value)) {
          return "has `" + p.getKey() + "` = " + value + ", not one of " + property.get("enum");
        }
      }
    }
    return null;
  }

  private static boolean fits(JsonNode type, JsonNode value) {
    if (type.isMissingNode()) {
      return true;
    }
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (fits(t, value)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> true;
    };
  }

  private static boolean contains(JsonNode values, JsonNode value) {
    for (JsonNode v : values) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** Every documented operation: {@code METHOD /path}, in document order. */
  private static Map<String, JsonNode> operations() {
    Map<String, JsonNode> ops = new java.util.LinkedHashMap<>();
    doc.path("paths").fields().forEachRemaining(p -> {
      for (String method : METHODS) {
        JsonNode op = p.getValue().get(method);
        if (op != null) {
          com.fasterxml.jackson.databind.node.ObjectNode copy = op.deepCopy();
          // Path-level parameters apply to every operation of the path.
          com.fasterxml.jackson.databind.node.ArrayNode params = copy.putArray("parameters");
          p.getValue().path("parameters").forEach(params::add);
          op.path("parameters").forEach(params::add);
          ops.put(method.toUpperCase(Locale.ROOT) + " " + p.getKey(), copy);
        }
      }
    });
    return ops;
  }

  private static String scheme(JsonNode op) {
    JsonNode security = op.has("security") ? op.get("security") : doc.path("security");
    for (JsonNode requirement : security) {
      Iterator<String> names = requirement.fieldNames();
      if (names.hasNext()) {
        return names.next();
      }
    }
    return "";
  }

  private static boolean needsAdmin(JsonNode op) {
    return scheme(op).equals("admin");
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode ref = node.get("$ref");
    if (ref == null) {
      return node;
    }
    JsonNode target = doc;
    for (String part : ref.asText().substring(2).split("/")) {
      target = target.path(part);
    }
    return target;
  }
}
