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
  /** Where the server address came from, for error messages. */
  private final String source;
  private String token;

  private AdminClient(String server, String source, String clientId, String clientSecret) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    this.source = source;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /** From {@code <data>/bootstrap-admin.json}, or GATEHOUSE_ADMIN_CLIENT_ID/SECRET with --server. */
  static AdminClient from(Path dataDir, String serverOverride) {
    String id = System.getenv("GATEHOUSE_ADMIN_CLIENT_ID");
    String secret = System.getenv("GATEHOUSE_ADMIN_CLIENT_SECRET");
    String server = serverOverride;
    String source = "--server";
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
          source = file.toString();
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
      }
    }
    if (server == null || server.isBlank()) {
      throw new IllegalStateException("no server address: pass --server URL");
    }
    return new AdminClient(server, source, id, secret);
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
      throw new IllegalStateException(problem(e));
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
      throw new IllegalStateException("admin login to " + server + " failed: "
          + json.path("error").asText() + " " + json.path("error_description").asText()
          + " (are the admin credentials this server's? They come from the data directory's"
          + " bootstrap-admin.json or GATEHOUSE_ADMIN_CLIENT_ID/_SECRET)");
    }
    token = json.get("access_token").asText();
    return token;
  }

  /**
   * What failed and what to try, for an exchange with the server that did not complete: the JDK's
   * exceptions often carry no message at all ({@code ConnectException: null}).
   */
  String problem(IOException e) {
    String where = server + " (address from " + source + ")";
    Throwable cause = e;
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    // The JDK client reports an unknown host as a ConnectException caused by this.
    if (e instanceof java.net.UnknownHostException
        || cause instanceof java.nio.channels.UnresolvedAddressException) {
      return "cannot reach " + where + ": unknown host. Check the address, or pass --server URL";
    }
    if (e instanceof java.net.ConnectException) {
      return "cannot reach " + where + ": nothing answers there (connection refused). Is the"
          + " server running (`./gatehouse serve`)? Another address: --server URL";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "cannot reach " + where + ": no answer within 30 s. Is the address right, and the"
          + " server not overloaded? Check " + server + "/health/ready";
    }
    if (e instanceof javax.net.ssl.SSLException) {
      return "cannot reach " + where + ": TLS failed (" + e.getMessage() + "). For a local server"
          + " use http://";
    }
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
      return server + " answered with something that is not JSON: is it a Gatehouse server, or a"
          + " proxy's page? Another address: --server URL";
    }
    String detail = cause.getMessage() != null ? cause.getMessage()
        : cause.getClass().getSimpleName();
    return "cannot reach " + where + ": " + detail;
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
