package dev.gatehouse.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Defaults, then the YAML file, then GATEHOUSE_* environment variables. */
class ConfigLoaderTest {

  @TempDir
  Path dir;

  private Path yaml(String text) throws Exception {
    Path f = dir.resolve("gatehouse.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void loadWhenNothingSetThenDefaults() {
    GatehouseConfig c = ConfigLoader.load(null, Map.of());
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.dbPoolSize()).isEqualTo(10);
    assertThat(c.accessTokenTtl()).isEqualTo(Duration.ofSeconds(900));
    assertThat(c.maxAccessTokenTtl()).isEqualTo(Duration.ofSeconds(86400));
    assertThat(c.maxBodyBytes()).isEqualTo(65536);
    assertThat(c.issuerBase(8080)).isEqualTo("http://localhost:8080");
    assertThat(c.jdbcUrl()).startsWith("jdbc:h2:file:");
  }

  @Test
  void detectLearnAfterWhenUnsetThenAnHourAndWhenSetThenRead() {
    assertThat(ConfigLoader.load(null, Map.of()).detect().learnAfter())
        .isEqualTo(Duration.ofHours(1));
    assertThat(ConfigLoader.load(null, Map.of("GATEHOUSE_DETECT_LEARN_AFTER_SECONDS", "0"))
        .detect().learnAfter()).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> ConfigLoader.load(null,
        Map.of("GATEHOUSE_DETECT_LEARN_AFTER_SECONDS", "-1")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void loadWhenYamlThenItsValuesApply() throws Exception {
    GatehouseConfig c = ConfigLoader.load(yaml("""
        server:
          host: 0.0.0.0
          port: 9090
          base-url: https://id.example.com/
        db:
          url: jdbc:postgresql://db/gatehouse
          pool-size: 20
        tokens:
          access-token-ttl-seconds: 300
        """), Map.of());
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.issuerBase(9090)).isEqualTo("https://id.example.com");
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db/gatehouse");
    assertThat(c.dbPoolSize()).isEqualTo(20);
    assertThat(c.accessTokenTtl()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void loadWhenEnvironmentAndYamlBothSetThenEnvironmentWins() throws Exception {
    GatehouseConfig c = ConfigLoader.load(yaml("server:\n  port: 9090\n  host: 10.0.0.1\n"),
        Map.of("GATEHOUSE_SERVER_PORT", "7070", "GATEHOUSE_DB_POOL_SIZE", "3",
            "GATEHOUSE_TOKENS_MAX_ACCESS_TOKEN_TTL_SECONDS", "3600"));
    assertThat(c.port()).isEqualTo(7070);
    assertThat(c.host()).isEqualTo("10.0.0.1");
    assertThat(c.dbPoolSize()).isEqualTo(3);
    assertThat(c.maxAccessTokenTtl()).isEqualTo(Duration.ofSeconds(3600));
  }

  @Test
  void loadWhenReadReplicaAndDrainDelaySetThenClusterSettings() {
    assertThat(ConfigLoader.load(null, Map.of()).cluster()).isEqualTo(ClusterConfig.DEFAULTS);
    GatehouseConfig c = ConfigLoader.load(null, Map.of(
        "GATEHOUSE_DB_READ_URL", "jdbc:postgresql://replica:5432/gatehouse",
        "GATEHOUSE_SERVER_DRAIN_DELAY_MS", "1500"));
    assertThat(c.cluster().dbReadUrl()).isEqualTo("jdbc:postgresql://replica:5432/gatehouse");
    assertThat(c.cluster().drainDelay()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.withPort(1).cluster()).isEqualTo(c.cluster());
  }

  @Test
  void loadWhenNetworkSettingsSetThenListenerAndOutboundSettings() {
    assertThat(ConfigLoader.load(null, Map.of()).network()).isEqualTo(NetworkConfig.DEFAULTS);
    GatehouseConfig c = ConfigLoader.load(null, Map.of(
        "GATEHOUSE_OUTBOUND_ALLOWED_NETWORKS", " 10.20.0.0/16, 127.0.0.1 ,fd00::/8",
        "GATEHOUSE_SERVER_IDLE_TIMEOUT_SECONDS", "7",
        "GATEHOUSE_MANAGEMENT_PORT", "9090",
        "GATEHOUSE_MANAGEMENT_METRICS_TOKEN", "t".repeat(32)));
    assertThat(c.network().outboundAllowed()).extracting(Object::toString)
        .containsExactly("10.20.0.0/16", "127.0.0.1/32", "fd00:0:0:0:0:0:0:0/8");
    assertThat(c.network().idleTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.network().managementListener()).isTrue();
    assertThat(c.withPort(1).network()).isEqualTo(c.network());
  }

  @Test
  void maxConnectionsWhenAutoThenWhatHalfTheHeapHoldsAndWhenANumberThenThatNumber() {
    int auto = NetworkConfig.connectionsForHeap(Runtime.getRuntime().maxMemory());
    assertThat(ConfigLoader.load(null, Map.of()).network().maxConnections()).isEqualTo(auto);
    assertThat(ConfigLoader.load(null, Map.of("GATEHOUSE_SERVER_MAX_CONNECTIONS", " AUTO "))
        .network().maxConnections()).isEqualTo(auto);
    assertThat(ConfigLoader.load(null, Map.of("GATEHOUSE_SERVER_MAX_CONNECTIONS", "12000"))
        .network().maxConnections()).isEqualTo(12_000);
    assertThatThrownBy(() -> ConfigLoader.load(null,
        Map.of("GATEHOUSE_SERVER_MAX_CONNECTIONS", "lots")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.max-connections");
  }

  @Test
  void connectionsForHeapWhenHeapGrowsThenMoreConnectionsUpToTenThousand() {
    long mib = 1024 * 1024;
    // 32 KiB a connection in half the heap: the default 192 MiB heap holds 3,072.
    assertThat(NetworkConfig.connectionsForHeap(192 * mib)).isEqualTo(3_072);
    assertThat(NetworkConfig.connectionsForHeap(64 * mib)).isEqualTo(1_024);
    assertThat(NetworkConfig.connectionsForHeap(640 * mib)).isEqualTo(10_000);
    assertThat(NetworkConfig.connectionsForHeap(8L * 1024 * mib)).isEqualTo(10_000);
    assertThat(NetworkConfig.connectionsForHeap(mib)).isEqualTo(64);
  }

  @Test
  void loadWhenNetworkSettingsAreBadThenRefusedNamingTheSetting() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(
        "GATEHOUSE_OUTBOUND_ALLOWED_NETWORKS", "internal.example.com")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("outbound.allowed-networks");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(
        "GATEHOUSE_OUTBOUND_ALLOWED_NETWORKS", "10.0.0.0/40")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("outbound.allowed-networks");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(
        "GATEHOUSE_MANAGEMENT_METRICS_TOKEN", "short")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("management.metrics-token");
  }

  @Test
  void loadWhenTrustedProxiesSetThenListedAndNoneByDefault() throws Exception {
    assertThat(ConfigLoader.load(null, Map.of()).signIn().trustedProxies()).isEmpty();
    assertThat(ConfigLoader.load(yaml("server:\n  trusted-proxies: \"10.0.0.0/8, ::1/128 "
        + "192.0.2.7\"\n"), Map.of()).signIn().trustedProxies())
        .containsExactly("10.0.0.0/8", "::1/128", "192.0.2.7");
    for (String bad : new String[] {"proxy.example", "10.0.0.0/33", "10.0.0.0/8;drop", "*"}) {
      assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GATEHOUSE_SERVER_TRUSTED_PROXIES",
          bad))).isInstanceOf(ConfigException.class).hasMessageContaining("server.trusted-proxies");
    }
  }

  @Test
  void loadWhenUnrelatedEnvironmentVariablesThenIgnored() {
    GatehouseConfig c = ConfigLoader.load(null, Map.of("GATEHOUSE_UNKNOWN", "x", "PATH", "/bin"));
    assertThat(c.port()).isEqualTo(8080);
  }

  @Test
  void envNameWhenDottedAndDashedThenUpperSnakeCase() {
    assertThat(ConfigLoader.envName("db.pool-size")).isEqualTo("GATEHOUSE_DB_POOL_SIZE");
    assertThat(ConfigLoader.envName("master-key")).isEqualTo("GATEHOUSE_MASTER_KEY");
  }

  @Test
  void loadWhenYamlHasUnknownKeyThenRefusedNamingIt() throws Exception {
    Path f = yaml("server:\n  prot: 9090\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.prot");
  }

  @Test
  void loadWhenYamlHasAMappingWhereAValueBelongsThenRefused() throws Exception {
    Path f = yaml("master-key:\n  file: /etc/key\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("master-key.file");
  }

  @Test
  void loadWhenYamlHasAListWhereAValueBelongsThenRefused() throws Exception {
    Path f = yaml("db:\n  url: [jdbc:h2:mem:a, jdbc:h2:mem:b]\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("db.url");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "", "8080.5", "99999", "-1", "1e3", "0x50", "12345678901"})
  void loadWhenPortIsNotAValidNumberThenRefused(String value) {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GATEHOUSE_SERVER_PORT", value)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.port");
  }

  @Test
  void loadWhenNumbersOutOfRangeThenRefusedNamingTheSetting() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GATEHOUSE_DB_POOL_SIZE", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("db.pool-size");
    assertThatThrownBy(() -> ConfigLoader.load(null,
        Map.of("GATEHOUSE_SERVER_MAX_BODY_BYTES", "100")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.max-body-bytes");
    Path f = yaml("tokens:\n  access-token-ttl-seconds: lots\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tokens.access-token-ttl-seconds");
  }

  @Test
  void loadWhenYamlIsNotAMappingThenRefused() throws Exception {
    Path f = yaml("- a\n- b\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).isInstanceOf(ConfigException.class);
  }

  @Test
  void loadWhenYamlIsMalformedThenRefusedNamingTheFile() throws Exception {
    Path f = yaml("server: [unclosed\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining(f.toString());
  }

  @Test
  void loadWhenFileMissingThenRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml"), Map.of()))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void loadWhenYamlEmptyThenDefaults() throws Exception {
    assertThat(ConfigLoader.load(yaml(""), Map.of()).port()).isEqualTo(8080);
  }
}
