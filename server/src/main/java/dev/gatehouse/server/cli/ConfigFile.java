package dev.gatehouse.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading and writing configuration documents (YAML, or JSON for {@code .json} files), and
 * resolving secret references. A secret is never written in a file: it is a reference,
 * {@code ${env:NAME}} (an environment variable) or {@code ${file:PATH}} (a file's content without
 * its final newline, as vaults and Kubernetes secrets mount them).
 */
final class ConfigFile {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));

  private ConfigFile() {}

  static boolean isJson(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /** The document in {@code file}; {@code -} reads standard input (YAML or JSON). */
  static JsonNode read(Path file) throws IOException {
    String text = file.toString().equals("-")
        ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
        : Files.readString(file, StandardCharsets.UTF_8);
    try {
      JsonNode doc = (isJson(file) ? AdminClient.JSON : YAML).readTree(text);
      if (doc == null || !doc.isObject() || !doc.path("tenants").isArray()) {
        throw new IllegalArgumentException(file + ": not a Gatehouse configuration (a `tenants`"
            + " list is missing; `gatehouse export` writes one)");
      }
      int format = doc.path("gatehouse").asInt(ConfigExport.FORMAT);
      if (format != ConfigExport.FORMAT) {
        throw new IllegalArgumentException(file + ": format " + format + " is not supported"
            + " (this version reads format " + ConfigExport.FORMAT + ")");
      }
      return doc;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": " + e.getOriginalMessage() + " (line "
          + e.getLocation().getLineNr() + ")");
    }
  }

  static String write(JsonNode doc, boolean json) throws IOException {
    return json ? AdminClient.JSON.writeValueAsString(doc) + "\n" : YAML.writeValueAsString(doc);
  }

  /** The secret a reference names; a literal value is refused, so that none ends up in a file. */
  static String secret(String reference, Map<String, String> env) {
    Matcher m = REFERENCE.matcher(reference.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("a secret must be a reference, `${env:NAME}` or"
          + " `${file:PATH}`, never the secret itself (got a literal value)");
    }
    if (m.group(1).equals("env")) {
      String v = env.get(m.group(2));
      if (v == null || v.isEmpty()) {
        throw new IllegalArgumentException("secret `" + reference + "`: the environment variable "
            + m.group(2) + " is not set");
      }
      return v;
    }
    try {
      String v = Files.readString(Path.of(m.group(2)), StandardCharsets.UTF_8);
      return v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
    } catch (IOException e) {
      throw new IllegalArgumentException("secret `" + reference + "`: cannot read "
          + m.group(2) + ": " + e.getMessage());
    }
  }
}
