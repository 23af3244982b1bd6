package dev.gatehouse.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.Gatehouse;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatehouseConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * A real Gatehouse node for tests: port 0, a temporary data directory, and the given database.
 * Also a small HTTP client for the admin API, so tests set up tenants and clients the way an
 * operator would.
 */
public final class TestServer implements AutoCloseable {

  public static final ObjectMapper JSON = new ObjectMapper();

  private final Gatehouse node;
  private final Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();
  private String adminToken;

  private TestServer(Gatehouse node, Path dataDir) {
    this.node = node;
    this.dataDir = dataDir;
  }

  public static TestServer start(TestDatabase db) {
    return start(db, Map.of());
  }

  /** Starts a node; {@code env} adds {@code GATEHOUSE_*} settings. */
  public static TestServer start(TestDatabase db, Map<String, String> env) {
    try {
      Path dir = Files.createTempDirectory("gatehouse-test");
      Map<String, String> all = new java.util.HashMap<>(env);
      all.putIfAbsent("GATEHOUSE_SERVER_PORT", "0");
      all.putIfAbsent("GATEHOUSE_DATA_DIR", dir.toString());
      all.putIfAbsent("GATEHOUSE_DB_URL", db.freshUrl());
      all.putIfAbsent("GATEHOUSE_SERVER_SHUTDOWN_GRACE_SECONDS", "1");
      // /metrics lives on the management listener.
      all.putIfAbsent("GATEHOUSE_MANAGEMENT_PORT", "0");
      GatehouseConfig config = ConfigLoader.load(null, all);
      // The data directory the node really uses: the caller's, when env names one.
      return new TestServer(Gatehouse.start(config), config.dataDir());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The settings of nodes of one installation: one database and one Redis, a shared random master
   * key, and one issuer (as behind one load balancer).
   */
  public static Map<String, String> clusterEnv(String dbUrl, String redisUrl) {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return Map.of("GATEHOUSE_DB_URL", dbUrl,
        "GATEHOUSE_MASTER_KEY", Base64.getEncoder().encodeToString(key),
        "GATEHOUSE_REDIS_URL", redisUrl,
        "GATEHOUSE_SERVER_BASE_URL", "https://login.cluster.test");
  }

  public String baseUrl() {
    return node.baseUrl();
  }

  /** Where this node listens; differs from {@link #baseUrl()} when a base URL is configured. */
  public String httpUrl() {
    return "http://localhost:" + node.port();
  }

  public String issuer(String tenant) {
    return baseUrl() + "/t/" + tenant;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Gatehouse node() {
    return node;
  }

  /** The bootstrap admin credentials the server wrote on first start. */
  public JsonNode bootstrapAdmin() {
    try {
      return JSON.readTree(dataDir.resolve("bootstrap-admin.json").toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An admin access token (client_credentials with the bootstrap client). */
  public synchronized String adminToken() {
    if (adminToken == null) {
      JsonNode creds = bootstrapAdmin();
      Response r = postForm("/t/system/oauth2/token", "grant_type=client_credentials&scope=admin",
          basic(creds.get("client_id").asText(), creds.get("client_secret").asText()));
      if (r.status() != 200) {
        throw new IllegalStateException("admin token: " + r);
      }
      adminToken = r.json().get("access_token").asText();
    }
    return adminToken;
  }

  /** Creates a tenant through the admin API. */
  public void createTenant(String name) {
    Response r = admin("POST", "/admin/v1/tenants", Map.of("name", name));
    if (r.status() != 201) {
      throw new IllegalStateException("create tenant: " + r);
    }
  }

  /**
   * Creates a client named {@code name} with {@code scope} and returns a client_credentials
   * access token of it: the bearer a policy enforcement point presents.
   */
  public String clientToken(String tenant, String name, String scope) {
    JsonNode c = createClient(tenant, Map.of("name", name, "scope", scope));
    Response r = postForm("/t/" + tenant + "/oauth2/token", "grant_type=client_credentials",
        basic(c.get("client_id").asText(), c.get("client_secret").asText()));
    if (r.status() != 200) {
      throw new IllegalStateException("token: " + r);
    }
    return r.json().get("access_token").asText();
  }

  /** Creates a client through the admin API; returns its JSON (with client_secret). */
  public JsonNode createClient(String tenant, Map<String, Object> registration) {
    Response r = admin("POST", "/admin/v1/tenants/" + tenant + "/clients", registration);
    if (r.status() != 201) {
      throw new IllegalStateException("create client: " + r);
    }
    return r.json();
  }

  public Response admin(String method, String path, Object body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpUrl() + path))
          .header("Authorization", "Bearer " + adminToken());
      if (body != null) {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      return send(b.build());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Response postForm(String path, String body, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpUrl() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b.build());
  }

  /** The Prometheus text of {@code /metrics}, from the management listener. */
  public String scrape() {
    return management("/metrics").text();
  }

  /** A GET on the management listener. */
  public Response management(String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.managementPort()
        + path)).GET().build());
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(httpUrl() + path)).GET().build());
  }

  public Response send(HttpRequest request) {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String basic(String id, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((java.net.URLEncoder.encode(id,
        StandardCharsets.UTF_8) + ":" + java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    node.close();
  }

  /** An HTTP answer. */
  public record Response(int status, Map<String, java.util.List<String>> headers, byte[] body) {

    public String header(String name) {
      for (Map.Entry<String, java.util.List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text());
      }
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }
}
