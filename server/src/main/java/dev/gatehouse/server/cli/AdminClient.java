package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * Calls a running server's admin API: gets an admin token with the bootstrap client's
 * credentials (client_credentials), then sends JSON requests and prints JSON answers.
 */
final class AdminClient {

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String server;
  private final String clientId;
  private final String clientSecret;
  private String token;

  private AdminClient(String server, String clientId, String clientSecret) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /** From {@code <data>/bootstrap-admin.json}, or GATEHOUSE_ADMIN_CLIENT_ID/SECRET with --server. */
  static AdminClient from(Path dataDir, String serverOverride) {
    String id = System.getenv("GATEHOUSE_ADMIN_CLIENT_ID");
    String secret = System.getenv("GATEHOUSE_ADMIN_CLIENT_SECRET");
    String server = serverOverride;
    Path file = dataDir.resolve("bootstrap-admin.json");
    if (id == null || secret == null) {
      if (!Files.exists(file)) {
        throw new IllegalStateException("no admin credentials: " + file + " does not exist (start"
            + " the server with this data directory first, or set GATEHOUSE_ADMIN_CLIENT_ID and"
            + " GATEHOUSE_ADMIN_CLIENT_SECRET)");
      }
      try {
        JsonNode doc = JSON.readTree(file.toFile());
        id = doc.path("client_id").asText();
        secret = doc.path("client_secret").asText();
        if (server == null) {
          server = doc.path("server").asText();
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
      }
    }
    if (server == null || server.isBlank()) {
      throw new IllegalStateException("no server address: pass --server URL");
    }
    return new AdminClient(server, id, secret);
  }

  /** Sends {@code method path} with an optional JSON body; returns the parsed answer. */
  JsonNode call(String method, String path, Object body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token())
          .header("Accept", "application/json");
      if (body != null) {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = res.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(res.body());
      if (res.statusCode() >= 400) {
        StringBuilder msg = new StringBuilder(res.statusCode() + " " + json.path("title").asText()
            + ": " + json.path("detail").asText(json.toString()));
        for (JsonNode e : json.path("errors")) {
          msg.append("\n  ").append(problemLine(e));
        }
        throw new IllegalStateException(msg.toString());
      }
      return json;
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + server + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  private String token() throws IOException, InterruptedException {
    if (token != null) {
      return token;
    }
    String basic = Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(clientSecret))
        .getBytes(StandardCharsets.UTF_8));
    HttpRequest req = HttpRequest.newBuilder(URI.create(server + "/t/system/oauth2/token"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Basic " + basic)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=admin"))
        .build();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
    JsonNode json = JSON.readTree(res.body());
    if (res.statusCode() != 200) {
      throw new IllegalStateException("admin login failed: " + json.path("error").asText() + " "
          + json.path("error_description").asText());
    }
    token = json.get("access_token").asText();
    return token;
  }

  /** One problem of a refused write: {@code line:column: [policy] message}. */
  static String problemLine(JsonNode e) {
    StringBuilder b = new StringBuilder();
    if (e.has("line")) {
      b.append(e.get("line").asInt()).append(':').append(e.path("column").asInt()).append(": ");
    }
    if (e.hasNonNull("policy")) {
      b.append('[').append(e.get("policy").asText()).append("] ");
    }
    return b.append(e.path("message").asText()).toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Prints an answer as {@code --output} asks (see {@link Output}). */
  static void print(JsonNode json) throws IOException {
    Output.print(json);
  }
}
