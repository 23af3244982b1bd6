package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.http.Form;
import dev.gatehouse.server.json.CompactJson;
import dev.gatehouse.server.tenant.TenantService;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-request work on the token and introspection paths, before ({@code old*}: what the server
 * did, reproduced here) and after ({@code new*}: the server's code) each change, in ns per call.
 *
 * <p>Run, after {@code ./mvnw -q -B -DskipTests -pl bench -am package}:
 * <pre>{@code
 * java -jar bench/target/gatehouse-bench.jar HotPathBenchmark -f 1 -wi 3 -i 5
 * }</pre>
 * The {@code *Random*} pairs run on two threads, where a shared generator's lock shows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {

  private static final String SECRET = "TYqmqkyDvm_LDbVRXVN093BDEJsqGLQGMN3LQ0AQE9I";
  private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final ObjectMapper JACKSON = new ObjectMapper();
  private static final SecureRandom NATIVE = new SecureRandom();
  private static final byte[] FORM = ("token=eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9"
      + ".eyJpc3MiOiJodHRwOi8vbG9jYWxob3N0In0.c2lnbmF0dXJl&token_type_hint=access_token")
      .getBytes(StandardCharsets.US_ASCII);

  private SecretHasher hasher;
  private SecretKeySpec hmacKey;
  private Map<String, Object> tokenResponse;

  @Setup
  public void setUp() throws Exception {
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    hasher = MasterKey.load(Base64.getEncoder().encodeToString(master), Path.of("unused"))
        .secretHasher();
    hmacKey = new SecretKeySpec(master, "HmacSHA256");
    tokenResponse = new LinkedHashMap<>();
    tokenResponse.put("access_token", "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImsxIn0."
        + "eyJpc3MiOiJodHRwOi8vbG9jYWxob3N0OjgwODAvdC9iZW5jaCJ9.c2lnbmF0dXJlc2lnbmF0dXJl");
    tokenResponse.put("token_type", "Bearer");
    tokenResponse.put("expires_in", 900L);
    tokenResponse.put("scope", "a b");
  }

  @Benchmark
  public String oldHmacGetInstance() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(hmacKey);
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal(SECRET.getBytes(StandardCharsets.UTF_8)));
  }

  @Benchmark
  public String newHmacClone() {
    return hasher.hash(SECRET);
  }

  @Benchmark
  public byte[] oldJsonJackson() throws Exception {
    return JACKSON.writeValueAsBytes(tokenResponse);
  }

  @Benchmark
  public byte[] newJsonCompact() {
    return CompactJson.tryWrite(tokenResponse);
  }

  @Benchmark
  @Threads(2)
  public String oldRandomNativePrng() {
    byte[] b = new byte[16];
    NATIVE.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Benchmark
  @Threads(2)
  public String newRandomDrbgStripes() {
    return Secrets.id();
  }

  @Benchmark
  public boolean oldTenantIdRegex() {
    return TENANT_ID.matcher("bench-tenant-42").matches();
  }

  @Benchmark
  public boolean newTenantIdByHand() {
    return TenantService.validId("bench-tenant-42");
  }

  @Benchmark
  public Map<String, String> oldFormDecoders() throws Exception {
    String text = StandardCharsets.US_ASCII.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(FORM)).toString();
    Map<String, String> out = new HashMap<>();
    for (String pair : text.split("&", -1)) {
      int eq = pair.indexOf('=');
      out.put(utf8(pair.substring(0, eq)), utf8(pair.substring(eq + 1)));
    }
    return out;
  }

  private static String utf8(String s) throws CharacterCodingException {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
  }

  @Benchmark
  public Map<String, String> newFormFastPath() {
    return Form.parse(FORM);
  }
}
