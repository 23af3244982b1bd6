package dev.gatehouse.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.Handlers;
import dev.gatehouse.server.oauth.Issuers;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Serves the OpenAPI 3.1 document of the admin API and the tenant endpoints at
 * {@code /admin/v1/openapi.json}. Its one source is {@code openapi.yaml} on the class path
 * (server/src/main/resources); the answer names this node's base URL in {@code servers}.
 *
 * <p>The document is public, like the docs it mirrors: it holds no installation data, and tools
 * (code generators, API explorers) fetch it before they have a token.
 */
public final class OpenApiHttp implements HttpService {

  /** Where the document is on the class path. */
  public static final String RESOURCE = "/openapi.yaml";

  /** Parsed on the first request: parsing 85 KB of YAML cost a start 0.2–0.4 s. */
  private volatile ObjectNode document;
  private final Issuers issuers;

  public OpenApiHttp(Issuers issuers) {
    this.issuers = issuers;
  }

  private ObjectNode document() {
    ObjectNode d = document;
    if (d == null) {
      // Two first requests at once may both parse it; they get the same document.
      d = (ObjectNode) load();
      document = d;
    }
    return d;
  }

  /** The checked-in document, parsed. */
  public static JsonNode load() {
    try (InputStream in = OpenApiHttp.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      // SnakeYAML, not Jackson's YAML tree: the document reuses operations through anchors and
      // aliases, which only a full YAML loader expands.
      Object tree = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.LoaderOptions()).load(in);
      return Exchange.JSON.valueToTree(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/admin/v1/openapi.json", Handlers.problem((req, res) -> {
      ObjectNode doc = document().deepCopy();
      doc.set("servers", Exchange.JSON.valueToTree(List.of(Map.of("url", issuers.base()))));
      Exchange.json(res, 200, doc);
    }));
  }
}
