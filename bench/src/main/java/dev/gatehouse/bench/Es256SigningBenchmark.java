package dev.gatehouse.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.keys.SigningKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of signing one access token with ES256: Gatehouse's {@link SigningKey} (BoringSSL
 * through Conscrypt where it loads, DER converted to r‖s; run with {@code -jvmArgs
 * -Dgatehouse.es256=jdk} for its JDK path) against the JDK's P1363 signature alone, Nimbus'
 * {@link ECDSASigner} (what a general JOSE library does per call) and Bouncy Castle's low-level
 * ECDSA.
 *
 * <p>Run, after {@code ./mvnw -q -B -DskipTests -pl bench -am package}:
 * <pre>{@code
 * java -jar bench/target/gatehouse-bench.jar Es256SigningBenchmark -f 1 -wi 3 -i 5 -t 1
 * }</pre>
 * Add {@code -t 2} to see contention between two signing threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Es256SigningBenchmark {

  private static final byte[] CLAIMS = ("{\"iss\":\"http://localhost:8080/t/bench\","
      + "\"sub\":\"s1_fANtaFvaL9f2w32vZYA\",\"aud\":\"http://localhost:8080/t/bench\","
      + "\"client_id\":\"s1_fANtaFvaL9f2w32vZYA\",\"scope\":\"a\",\"jti\":\"Nq3bHqPxB0hS2mQe1l7u5w\","
      + "\"iat\":1795741771,\"exp\":1795742671}").getBytes(StandardCharsets.UTF_8);

  private SigningKey signingKey;
  private ECDSASigner nimbus;
  private JWSHeader header;
  private ECDomainParameters bcDomain;
  private ECPrivateKeyParameters bcKey;
  private ThreadLocal<org.bouncycastle.crypto.signers.ECDSASigner> bcSigner;
  private ThreadLocal<java.security.Signature> jdk;

  @Setup
  public void setUp() throws Exception {
    KeyPair pair = KeyAlgorithm.ES256.generate();
    signingKey = new SigningKey("bench-kid", KeyAlgorithm.ES256, pair.getPrivate());
    nimbus = new ECDSASigner((ECPrivateKey) pair.getPrivate());
    header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
        .keyID("bench-kid").build();
    X9ECParameters curve = ECNamedCurveTable.getByName("secp256r1");
    bcDomain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
    bcKey = new ECPrivateKeyParameters(((ECPrivateKey) pair.getPrivate()).getS(), bcDomain);
    jdk = ThreadLocal.withInitial(() -> {
      try {
        var s = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(pair.getPrivate(), java.security.SecureRandom.getInstance("DRBG"));
        return s;
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
    bcSigner = ThreadLocal.withInitial(() -> {
      var s = new org.bouncycastle.crypto.signers.ECDSASigner();
      s.init(true, new ParametersWithRandom(bcKey, new SecureRandom()));
      return s;
    });
  }

  /** Gatehouse's path: header and payload encoding, one pooled JDK signature, P1363 output. */
  @Benchmark
  public String gatehouseSigningKey() {
    return signingKey.sign("at+jwt", CLAIMS);
  }

  /** The JDK's ECDSA alone, r‖s output, one signature object per thread. */
  @Benchmark
  public byte[] jdkP1363() throws Exception {
    java.security.Signature s = jdk.get();
    s.update(CLAIMS);
    return s.sign();
  }

  /** Nimbus JOSE: a JWSObject signed by an ECDSASigner (JDK provider, DER transcoding). */
  @Benchmark
  public String nimbusEcdsaSigner() throws Exception {
    JWSObject jws = new JWSObject(header, new Payload(CLAIMS));
    jws.sign(nimbus);
    return jws.serialize();
  }

  /** Bouncy Castle's ECDSA over the SHA-256 digest (raw r, s; no JOSE encoding). */
  @Benchmark
  public BigInteger[] bouncyCastleEcdsa() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(CLAIMS);
    return bcSigner.get().generateSignature(digest);
  }
}
