package dev.gatehouse.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's settings, resolved from defaults, an optional YAML file and {@code GATEHOUSE_*}
 * environment variables (in that order of precedence, lowest first).
 *
 * <p>Every key has a dotted name in the YAML file ({@code db.url}) and an environment name made by
 * upper-casing it and turning dots and dashes into underscores ({@code GATEHOUSE_DB_URL}).
 */
public record GatehouseConfig(
    String host,
    int port,
    String baseUrl,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    String masterKey,
    Duration accessTokenTtl,
    Duration maxAccessTokenTtl,
    int maxBodyBytes,
    Duration shutdownGrace,
    PolicyConfig policy,
    PasswordsConfig passwords,
    String redisUrl,
    SignInConfig signIn,
    EventsConfig events,
    ClusterConfig cluster,
    NetworkConfig network,
    ObserveConfig observe,
    DetectConfig detect) {

  /** Settings without tracing, metrics and detection ones: the defaults of both. */
  public GatehouseConfig(String host, int port, String baseUrl, Path dataDir, String dbUrl,
      String dbUser, String dbPassword, int dbPoolSize, String masterKey,
      Duration accessTokenTtl, Duration maxAccessTokenTtl, int maxBodyBytes,
      Duration shutdownGrace, PolicyConfig policy, PasswordsConfig passwords, String redisUrl,
      SignInConfig signIn, EventsConfig events, ClusterConfig cluster, NetworkConfig network) {
    this(host, port, baseUrl, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, masterKey,
        accessTokenTtl, maxAccessTokenTtl, maxBodyBytes, shutdownGrace, policy, passwords,
        redisUrl, signIn, events, cluster, network, ObserveConfig.DEFAULTS,
        DetectConfig.DEFAULTS);
  }

  /** Settings without listener and outbound ones: the defaults of {@link NetworkConfig}. */
  public GatehouseConfig(String host, int port, String baseUrl, Path dataDir, String dbUrl,
      String dbUser, String dbPassword, int dbPoolSize, String masterKey,
      Duration accessTokenTtl, Duration maxAccessTokenTtl, int maxBodyBytes,
      Duration shutdownGrace, PolicyConfig policy, PasswordsConfig passwords, String redisUrl,
      SignInConfig signIn, EventsConfig events, ClusterConfig cluster) {
    this(host, port, baseUrl, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, masterKey,
        accessTokenTtl, maxAccessTokenTtl, maxBodyBytes, shutdownGrace, policy, passwords,
        redisUrl, signIn, events, cluster, NetworkConfig.DEFAULTS);
  }

  /** Settings without cluster ones: the defaults of {@link ClusterConfig}. */
  public GatehouseConfig(String host, int port, String baseUrl, Path dataDir, String dbUrl,
      String dbUser, String dbPassword, int dbPoolSize, String masterKey,
      Duration accessTokenTtl, Duration maxAccessTokenTtl, int maxBodyBytes,
      Duration shutdownGrace, PolicyConfig policy, PasswordsConfig passwords, String redisUrl,
      SignInConfig signIn, EventsConfig events) {
    this(host, port, baseUrl, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, masterKey,
        accessTokenTtl, maxAccessTokenTtl, maxBodyBytes, shutdownGrace, policy, passwords,
        redisUrl, signIn, events, ClusterConfig.DEFAULTS);
  }

  /** Settings without event ones: the defaults of {@link EventsConfig}. */
  public GatehouseConfig(String host, int port, String baseUrl, Path dataDir, String dbUrl,
      String dbUser, String dbPassword, int dbPoolSize, String masterKey,
      Duration accessTokenTtl, Duration maxAccessTokenTtl, int maxBodyBytes,
      Duration shutdownGrace, PolicyConfig policy, PasswordsConfig passwords, String redisUrl,
      SignInConfig signIn) {
    this(host, port, baseUrl, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, masterKey,
        accessTokenTtl, maxAccessTokenTtl, maxBodyBytes, shutdownGrace, policy, passwords,
        redisUrl, signIn, EventsConfig.DEFAULTS);
  }

  /** Settings without sign-in ones: the defaults of {@link SignInConfig}. */
  public GatehouseConfig(String host, int port, String baseUrl, Path dataDir, String dbUrl,
      String dbUser, String dbPassword, int dbPoolSize, String masterKey,
      Duration accessTokenTtl, Duration maxAccessTokenTtl, int maxBodyBytes,
      Duration shutdownGrace, PolicyConfig policy, PasswordsConfig passwords, String redisUrl) {
    this(host, port, baseUrl, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, masterKey,
        accessTokenTtl, maxAccessTokenTtl, maxBodyBytes, shutdownGrace, policy, passwords,
        redisUrl, SignInConfig.DEFAULTS);
  }

  /** The issuer base URL, without a trailing slash: {@code base-url} or one derived from the port. */
  public String issuerBase(int actualPort) {
    if (baseUrl != null && !baseUrl.isBlank()) {
      return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }
    return "http://localhost:" + actualPort;
  }

  /** The JDBC URL: {@code db.url}, or an H2 file database in the data directory. */
  public String jdbcUrl() {
    if (dbUrl != null && !dbUrl.isBlank()) {
      return dbUrl;
    }
    return "jdbc:h2:file:"
        + dataDir.toAbsolutePath().resolve("gatehouse")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  }

  public GatehouseConfig withPort(int newPort) {
    return new GatehouseConfig(host, newPort, baseUrl, dataDir, dbUrl, dbUser, dbPassword,
        dbPoolSize, masterKey, accessTokenTtl, maxAccessTokenTtl, maxBodyBytes, shutdownGrace, policy,
        passwords, redisUrl, signIn, events, cluster, network, observe, detect);
  }

  public GatehouseConfig withDataDir(Path dir) {
    return new GatehouseConfig(host, port, baseUrl, dir, dbUrl, dbUser, dbPassword,
        dbPoolSize, masterKey, accessTokenTtl, maxAccessTokenTtl, maxBodyBytes, shutdownGrace, policy,
        passwords, redisUrl, signIn, events, cluster, network, observe, detect);
  }

  public GatehouseConfig withDb(String url, String user, String password) {
    return new GatehouseConfig(host, port, baseUrl, dataDir, url, user, password,
        dbPoolSize, masterKey, accessTokenTtl, maxAccessTokenTtl, maxBodyBytes, shutdownGrace, policy,
        passwords, redisUrl, signIn, events, cluster, network, observe, detect);
  }

  public GatehouseConfig withCluster(ClusterConfig newCluster) {
    return new GatehouseConfig(host, port, baseUrl, dataDir, dbUrl, dbUser, dbPassword,
        dbPoolSize, masterKey, accessTokenTtl, maxAccessTokenTtl, maxBodyBytes, shutdownGrace, policy,
        passwords, redisUrl, signIn, events, newCluster, network, observe, detect);
  }
}
