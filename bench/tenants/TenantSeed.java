import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes N tenants, each with a confidential client_credentials client and its signing keys,
 * straight into a stopped node's database, in batches: the fast way to a 100,000-tenant
 * installation for bench/tenants.sh (the admin API makes two RSA-2048 key pairs per tenant, hours
 * of CPU for 100,000 tenants on two cores).
 *
 * <p>Every row is what the server itself writes: the tenant row; ES256 active and next keys
 * generated per tenant; RS256 active and next keys whose key pair is generated once and shared
 * by every tenant (RSA key generation is the slow part) but each sealed under the master key with
 * its own tenant/kid context, exactly as the server seals them, so that loading one costs what it
 * costs the server; a client whose secret is stored as the server's keyed hash. Writes
 * {@code <tenant> <base64(client_id:secret)>} lines to the credentials file for the wrk script.
 *
 * <p>Run with the server's jar on the class path (its manifest names the libraries):
 * {@code java -cp server/target/gatehouse-server.jar bench/tenants/TenantSeed.java DATA_DIR N
 * CREDENTIALS_FILE} with GATEHOUSE_DB_URL/_USER/_PASSWORD for PostgreSQL.
 */
public class TenantSeed {

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    Path credentials = Path.of(args[2]);
    String url = System.getenv().getOrDefault("GATEHOUSE_DB_URL", "");
    if (url.isBlank()) {
      url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("gatehouse")
          + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }
    String user = System.getenv().getOrDefault("GATEHOUSE_DB_USER", "");
    String password = System.getenv().getOrDefault("GATEHOUSE_DB_PASSWORD", "");
    long t0 = System.nanoTime();
    try (Database db = open(url, user, password)) {
      MasterKey master = MasterKey.load(System.getenv("GATEHOUSE_MASTER_KEY"), dataDir);
      SecretHasher hasher = master.secretHasher();
      KeyPair rsa = KeyAlgorithm.RS256.generate();
      long now = System.currentTimeMillis() / 1000;
      try (Connection c = db.dataSource().getConnection();
          PrintWriter out = new PrintWriter(Files.newBufferedWriter(credentials))) {
        c.setAutoCommit(false);
        PreparedStatement tenant = c.prepareStatement(
            "insert into tenant (id, display_name, created_at) values (?, ?, ?)");
        PreparedStatement key = c.prepareStatement("insert into signing_key (tenant_id, kid, alg,"
            + " state, public_jwk, private_key_enc, created_at) values (?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement client = c.prepareStatement("insert into oauth_client (tenant_id,"
            + " client_id, name, client_type, auth_method, secret_hash, grant_types, scopes,"
            + " token_format, access_token_alg, access_token_ttl, audience, created_at)"
            + " values (?, ?, ?, 'confidential', 'client_secret_basic', ?, 'client_credentials',"
            + " 'a b', 'jwt', 'ES256', 300, '', ?)");
        for (int i = 0; i < count; i++) {
          String id = "t" + i;
          tenant.setString(1, id);
          tenant.setString(2, id);
          tenant.setLong(3, now);
          tenant.addBatch();
          for (String state : new String[] {"active", "next"}) {
            addKey(key, master, id, KeyAlgorithm.ES256, KeyAlgorithm.ES256.generate(), state, now);
            addKey(key, master, id, KeyAlgorithm.RS256, rsa, state, now);
          }
          String clientId = random(16);
          String secret = random(32);
          client.setString(1, id);
          client.setString(2, clientId);
          client.setString(3, "bench");
          client.setString(4, hasher.hash(secret));
          client.setLong(5, now);
          client.addBatch();
          out.println(id + " " + Base64.getEncoder().encodeToString(
              (clientId + ":" + secret).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
          if (i % 500 == 499 || i == count - 1) {
            tenant.executeBatch();
            key.executeBatch();
            client.executeBatch();
            c.commit();
          }
          if (i % 10_000 == 9_999) {
            System.err.printf("seed: %d tenants, %.1f s%n", i + 1, (System.nanoTime() - t0) / 1e9);
          }
        }
      }
    }
    System.out.printf("seeded %d tenants in %.1f s%n", count, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Opens the database, migrating it; tries again when the pool's first connection times out (it
   * waits 2 s, which a heavily loaded machine can miss while H2 opens its file).
   */
  private static Database open(String url, String user, String password) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return Database.open(url, user, password, 2, new SimpleMeterRegistry());
      } catch (RuntimeException e) {
        if (attempt == 5) {
          throw e;
        }
        System.err.println("seed: database not open yet (" + e.getClass().getSimpleName()
            + "), trying again");
        Thread.sleep(1000);
      }
    }
  }

  private static void addKey(PreparedStatement key, MasterKey master, String tenant,
      KeyAlgorithm alg, KeyPair pair, String state, long now) throws Exception {
    String kid = random(16);
    key.setString(1, tenant);
    key.setString(2, kid);
    key.setString(3, alg.name());
    key.setString(4, state);
    key.setString(5, alg.publicJwk(pair.getPublic(), kid).toJSONString());
    key.setString(6, master.encrypt(pair.getPrivate().getEncoded(), tenant + "/" + kid));
    key.setLong(7, now);
    key.addBatch();
  }

  private static String random(int hexChars) {
    byte[] b = new byte[hexChars / 2];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
