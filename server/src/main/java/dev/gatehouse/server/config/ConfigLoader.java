package dev.gatehouse.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.gatehouse.server.outbound.Cidr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@link GatehouseConfig} from defaults, a YAML file and the environment.
 *
 * <p>Unknown keys in the file are refused so that a typo never silently falls back to a default.
 */
public final class ConfigLoader {

  /** Every key the server understands, with its default ({@code null}: none). */
  static final Map<String, String> DEFAULTS = Map.ofEntries(
      Map.entry("server.host", "127.0.0.1"),
      Map.entry("server.port", "8080"),
      Map.entry("server.base-url", ""),
      Map.entry("server.max-body-bytes", "65536"),
      Map.entry("server.shutdown-grace-seconds", "10"),
      Map.entry("server.trusted-proxies", ""),
      Map.entry("data.dir", "./data"),
      Map.entry("db.url", ""),
      Map.entry("db.user", ""),
      Map.entry("db.password", ""),
      Map.entry("db.pool-size", "10"),
      Map.entry("db.read-url", ""),
      Map.entry("server.drain-delay-ms", "0"),
      Map.entry("master-key", ""),
      Map.entry("tokens.access-token-ttl-seconds", "900"),
      Map.entry("tokens.max-access-token-ttl-seconds", "86400"),
      Map.entry("policy.entity-namespace", "Gatehouse"),
      Map.entry("policy.decision-cache-size", "100000"),
      Map.entry("policy.decision-log-sample-rate", "1"),
      Map.entry("policy.refresh-seconds", "5"),
      Map.entry("policy.max-request-entities", "1000"),
      Map.entry("policy.max-request-entity-bytes", "262144"),
      Map.entry("policy.max-entity-depth", "64"),
      Map.entry("signin.session-ttl-seconds", "43200"),
      Map.entry("signin.refresh-idle-seconds", "2592000"),
      Map.entry("signin.refresh-absolute-seconds", "7776000"),
      Map.entry("signin.lockout.free-failures", "3"),
      Map.entry("signin.lockout.base-delay-ms", "250"),
      Map.entry("signin.lockout.max-delay-ms", "4000"),
      Map.entry("signin.lockout.lock-after", "10"),
      Map.entry("signin.lockout.lock-seconds", "900"),
      Map.entry("signin.ip-throttle.failures", "100"),
      Map.entry("signin.ip-throttle.window-seconds", "600"),
      Map.entry("passwords.argon2-memory-kib", "19456"),
      Map.entry("passwords.argon2-iterations", "2"),
      Map.entry("passwords.argon2-parallelism", "1"),
      Map.entry("redis.url", ""),
      Map.entry("redis.cache-ttl-seconds", "300"),
      Map.entry("events.token-issued", "async"),
      Map.entry("webhooks.enabled", "true"),
      Map.entry("webhooks.timeout-ms", "5000"),
      Map.entry("webhooks.max-attempts", "8"),
      Map.entry("webhooks.backoff-ms", "1000"),
      Map.entry("webhooks.max-backoff-ms", "3600000"),
      Map.entry("webhooks.poll-ms", "250"),
      Map.entry("outbound.allowed-networks", ""),
      Map.entry("server.idle-timeout-seconds", "20"),
      Map.entry("server.request-timeout-seconds", "60"),
      Map.entry("server.max-connections", "auto"),
      Map.entry("server.max-connections-per-ip", "1000"),
      Map.entry("management.host", "127.0.0.1"),
      Map.entry("management.port", "-1"),
      Map.entry("management.metrics-token", ""),
      Map.entry("tracing.enabled", "false"),
      Map.entry("tracing.endpoint", "http://localhost:4318/v1/traces"),
      Map.entry("tracing.sample-ratio", "1"),
      Map.entry("tracing.export-delay-ms", "2000"),
      Map.entry("tracing.service-name", "gatehouse"),
      Map.entry("metrics.tenant-series", "20"),
      Map.entry("keys.rotation-days", "90"),
      Map.entry("db.read-max-lag-ms", "5000"),
      Map.entry("tokens.revocation-max-staleness-seconds", "60"),
      Map.entry("admission.signin", "32"),
      Map.entry("admission.token", "256"),
      Map.entry("admission.introspect", "256"),
      Map.entry("admission.policy", "256"),
      Map.entry("admission.admin", "64"),
      Map.entry("admission.queue-ms", "1000"),
      Map.entry("detect.enabled", "true"),
      Map.entry("detect.surprise", "6"),
      Map.entry("detect.min-events", "5"),
      Map.entry("detect.step-up-score", "2.5"),
      Map.entry("detect.quiet-seconds", "600"),
      Map.entry("detect.block-seconds", "900"),
      Map.entry("detect.learn-after-seconds", "3600"),
      Map.entry("detect.max-accounts", "100000"),
      Map.entry("detect.max-tenants", "1000"),
      Map.entry("detect.response", "step-up"),
      Map.entry("detect.tenant-responses", ""));

  private ConfigLoader() {}

  /** Loads settings; {@code file} may be null. */
  public static GatehouseConfig load(Path file, Map<String, String> env) {
    Map<String, String> values = new HashMap<>(DEFAULTS);
    if (file != null) {
      values.putAll(readYaml(file));
    }
    for (String key : DEFAULTS.keySet()) {
      String envValue = env.get(envName(key));
      if (envValue != null) {
        values.put(key, envValue);
      }
    }
    return new GatehouseConfig(
        values.get("server.host"),
        intValue(values, "server.port", 0, 65535),
        values.get("server.base-url"),
        Path.of(values.get("data.dir")),
        values.get("db.url"),
        values.get("db.user"),
        values.get("db.password"),
        intValue(values, "db.pool-size", 1, 500),
        values.get("master-key"),
        Duration.ofSeconds(intValue(values, "tokens.access-token-ttl-seconds", 1, 31_536_000)),
        Duration.ofSeconds(intValue(values, "tokens.max-access-token-ttl-seconds", 1, 31_536_000)),
        intValue(values, "server.max-body-bytes", 1024, 16 * 1024 * 1024),
        Duration.ofSeconds(intValue(values, "server.shutdown-grace-seconds", 0, 600)),
        policy(values),
        new PasswordsConfig(
            intValue(values, "passwords.argon2-memory-kib", 8, 4 * 1024 * 1024),
            intValue(values, "passwords.argon2-iterations", 1, 100),
            intValue(values, "passwords.argon2-parallelism", 1, 64)),
        values.get("redis.url").trim(),
        signIn(values),
        events(values),
        new ClusterConfig(values.get("db.read-url").trim(),
            Duration.ofMillis(intValue(values, "server.drain-delay-ms", 0, 600_000)),
            Duration.ofMillis(intValue(values, "db.read-max-lag-ms", 0, 3_600_000)),
            Duration.ofSeconds(intValue(values, "tokens.revocation-max-staleness-seconds", 0,
                86_400)),
            admission(values)),
        network(values),
        observe(values),
        detect(values));
  }

  private static ObserveConfig observe(Map<String, String> values) {
    String enabled = values.get("tracing.enabled").trim();
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new ConfigException("`tracing.enabled` must be true or false");
    }
    String endpoint = values.get("tracing.endpoint").trim();
    if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
      throw new ConfigException("`tracing.endpoint` must be an http or https URL, such as"
          + " `http://localhost:4318/v1/traces`");
    }
    double ratio;
    try {
      ratio = Double.parseDouble(values.get("tracing.sample-ratio").trim());
    } catch (NumberFormatException e) {
      ratio = -1;
    }
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new ConfigException("`tracing.sample-ratio` must be a number from 0 to 1");
    }
    String service = values.get("tracing.service-name").trim();
    if (service.isEmpty()) {
      throw new ConfigException("`tracing.service-name` must not be empty");
    }
    return new ObserveConfig(Boolean.parseBoolean(enabled), endpoint, ratio,
        Duration.ofMillis(intValue(values, "tracing.export-delay-ms", 10, 600_000)), service,
        intValue(values, "metrics.tenant-series", 0, 1000),
        Duration.ofDays(intValue(values, "keys.rotation-days", 1, 3650)));
  }

  private static AdmissionConfig admission(Map<String, String> values) {
    return new AdmissionConfig(
        intValue(values, "admission.signin", 0, 100_000),
        intValue(values, "admission.token", 0, 100_000),
        intValue(values, "admission.introspect", 0, 100_000),
        intValue(values, "admission.policy", 0, 100_000),
        intValue(values, "admission.admin", 0, 100_000),
        Duration.ofMillis(intValue(values, "admission.queue-ms", 0, 60_000)));
  }

  private static DetectConfig detect(Map<String, String> values) {
    Map<String, String> perTenant = new java.util.LinkedHashMap<>();
    for (String pair : values.get("detect.tenant-responses").split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      if (kv.length != 2) {
        throw new ConfigException("`detect.tenant-responses` is a list of tenant=response, not `"
            + pair.strip() + "`");
      }
      perTenant.put(kv[0].strip(), response(kv[1]));
    }
    return new DetectConfig(Boolean.parseBoolean(values.get("detect.enabled").strip()),
        decimal(values, "detect.surprise", 1, 50), intValue(values, "detect.min-events", 1, 10_000),
        decimal(values, "detect.step-up-score", 0, 50),
        Duration.ofSeconds(intValue(values, "detect.quiet-seconds", 10, 86_400)),
        Duration.ofSeconds(intValue(values, "detect.block-seconds", 1, 2_592_000)),
        Duration.ofSeconds(intValue(values, "detect.learn-after-seconds", 0, 2_592_000)),
        intValue(values, "detect.max-accounts", 100, 10_000_000),
        intValue(values, "detect.max-tenants", 1, 1_000_000),
        response(values.get("detect.response")), perTenant);
  }

  private static String response(String raw) {
    String r = raw.strip().toLowerCase(Locale.ROOT);
    if (!java.util.Set.of("allow", "notify", "step-up", "block").contains(r)) {
      throw new ConfigException("a detection response is allow, notify, step-up or block, not `"
          + raw.strip() + "`");
    }
    return r;
  }

  private static double decimal(Map<String, String> values, String key, double min, double max) {
    try {
      double d = Double.parseDouble(values.get(key).strip());
      if (d >= min && d <= max) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException("`" + key + "` must be a number from " + min + " to " + max);
  }

  private static NetworkConfig network(Map<String, String> values) {
    List<Cidr> allowed = new ArrayList<>();
    for (String block : values.get("outbound.allowed-networks").split(",")) {
      if (!block.isBlank()) {
        try {
          allowed.add(Cidr.parse(block));
        } catch (IllegalArgumentException e) {
          throw new ConfigException("`outbound.allowed-networks`: " + e.getMessage());
        }
      }
    }
    String token = values.get("management.metrics-token").trim();
    if (!token.isEmpty() && token.length() < 32) {
      throw new ConfigException("`management.metrics-token` must be at least 32 characters");
    }
    return new NetworkConfig(allowed,
        Duration.ofSeconds(intValue(values, "server.idle-timeout-seconds", 1, 3600)),
        Duration.ofSeconds(intValue(values, "server.request-timeout-seconds", 1, 3600)),
        maxConnections(values),
        intValue(values, "server.max-connections-per-ip", 0, 1_000_000),
        values.get("management.host").trim(),
        intValue(values, "management.port", -1, 65535),
        token);
  }

  /** {@code auto} sizes the cap to this JVM's heap; a number is taken as given. */
  private static int maxConnections(Map<String, String> values) {
    if (values.get("server.max-connections").trim().equalsIgnoreCase("auto")) {
      return NetworkConfig.connectionsForHeap(Runtime.getRuntime().maxMemory());
    }
    return intValue(values, "server.max-connections", 1, 1_000_000);
  }

  private static EventsConfig events(Map<String, String> values) {
    String mode = values.get("events.token-issued").trim().toLowerCase(Locale.ROOT);
    EventsConfig.TokenIssued tokenIssued = switch (mode) {
      case "sync" -> EventsConfig.TokenIssued.SYNC;
      case "async" -> EventsConfig.TokenIssued.ASYNC;
      case "off" -> EventsConfig.TokenIssued.OFF;
      default -> throw new ConfigException("`events.token-issued` must be sync, async or off, not `"
          + mode + "`");
    };
    String enabled = values.get("webhooks.enabled").trim();
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new ConfigException("`webhooks.enabled` must be true or false");
    }
    return new EventsConfig(tokenIssued, Boolean.parseBoolean(enabled),
        Duration.ofMillis(intValue(values, "webhooks.timeout-ms", 100, 120_000)),
        intValue(values, "webhooks.max-attempts", 1, 100),
        Duration.ofMillis(intValue(values, "webhooks.backoff-ms", 10, 3_600_000)),
        Duration.ofMillis(intValue(values, "webhooks.max-backoff-ms", 10, 86_400_000)),
        Duration.ofMillis(intValue(values, "webhooks.poll-ms", 10, 60_000)),
        Duration.ofSeconds(intValue(values, "redis.cache-ttl-seconds", 1, 86_400)));
  }

  private static SignInConfig signIn(Map<String, String> values) {
    int year = 31_536_000;
    return new SignInConfig(
        Duration.ofSeconds(intValue(values, "signin.session-ttl-seconds", 60, year)),
        Duration.ofSeconds(intValue(values, "signin.refresh-idle-seconds", 60, year)),
        Duration.ofSeconds(intValue(values, "signin.refresh-absolute-seconds", 60, 5 * year)),
        intValue(values, "signin.lockout.free-failures", 0, 1000),
        Duration.ofMillis(intValue(values, "signin.lockout.base-delay-ms", 0, 60_000)),
        Duration.ofMillis(intValue(values, "signin.lockout.max-delay-ms", 0, 60_000)),
        intValue(values, "signin.lockout.lock-after", 1, 1_000_000),
        Duration.ofSeconds(intValue(values, "signin.lockout.lock-seconds", 0, 86_400)),
        intValue(values, "signin.ip-throttle.failures", 1, 100_000_000),
        Duration.ofSeconds(intValue(values, "signin.ip-throttle.window-seconds", 1, 86_400)),
        trustedProxies(values.get("server.trusted-proxies")));
  }

  /** {@code server.trusted-proxies}: CIDR ranges or addresses, separated by commas or spaces. */
  private static java.util.List<String> trustedProxies(String raw) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String p : raw.split("[,\\s]+")) {
      if (!p.isBlank()) {
        boolean v4 = p.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}(/([0-9]|[12][0-9]|3[0-2]))?");
        boolean v6 = p.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*"
            + "(/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))?");
        if (!v4 && !v6) {
          throw new ConfigException("`server.trusted-proxies` must list IP addresses or CIDR"
              + " ranges such as `10.0.0.0/8`, not `" + p + "`");
        }
        out.add(p);
      }
    }
    return out;
  }

  private static PolicyConfig policy(Map<String, String> values) {
    String ns = values.get("policy.entity-namespace").trim();
    if (!ns.matches("[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw new ConfigException("`policy.entity-namespace` must be a Cedar namespace such as"
          + " `Gatehouse`, not `" + ns + "`");
    }
    String raw = values.get("policy.decision-log-sample-rate").trim();
    double rate;
    try {
      rate = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      rate = -1;
    }
    if (!(rate >= 0 && rate <= 1)) {
      throw new ConfigException("`policy.decision-log-sample-rate` must be between 0 and 1, not `"
          + raw + "`");
    }
    return new PolicyConfig(ns, intValue(values, "policy.decision-cache-size", 0, 10_000_000),
        rate, Duration.ofSeconds(intValue(values, "policy.refresh-seconds", 1, 3600)),
        intValue(values, "policy.max-request-entities", 0, PolicyConfig.MAX_ENTITIES_AT_ONCE),
        intValue(values, "policy.max-request-entity-bytes", 0, 64 * 1024 * 1024),
        intValue(values, "policy.max-entity-depth", 1, 10_000));
  }

  /** {@code db.pool-size} → {@code GATEHOUSE_DB_POOL_SIZE}. */
  public static String envName(String key) {
    return "GATEHOUSE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static int intValue(Map<String, String> values, String key, int min, int max) {
    String raw = values.get(key);
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        throw new ConfigException("`" + key + "` must be between " + min + " and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException("`" + key + "` must be a whole number, not `" + raw + "`");
    }
  }

  private static Map<String, String> readYaml(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file `" + file + "`: " + e.getMessage());
    }
    Map<String, String> flat = new HashMap<>();
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        throw new ConfigException("config file `" + file + "` must hold a mapping");
      }
      flatten("", root, flat);
    }
    Set<String> known = DEFAULTS.keySet();
    for (String key : flat.keySet()) {
      if (!known.contains(key)) {
        throw new ConfigException("unknown setting `" + key + "` in `" + file + "`");
      }
    }
    return flat;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      // asText() of a list is "", which would silently replace the setting with nothing.
      throw new ConfigException("`" + prefix + "` must be a single value, not a list");
    } else if (!node.isNull()) {
      out.put(prefix, node.asText());
    }
  }
}
