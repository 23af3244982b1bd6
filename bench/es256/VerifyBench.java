import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.keys.SigningKey;
import dev.gatehouse.server.keys.VerificationKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;

/**
 * CPU per ES256 verification, the JDK against BoringSSL ({@link VerificationKey}), over 20,000
 * distinct tokens per round, measured as this thread's CPU time (which other load on the machine
 * barely moves). From the project root, after a build:
 *
 * <pre>java -cp "server/target/gatehouse-server.jar:server/target/lib/*" bench/es256/VerifyBench.java</pre>
 */
public class VerifyBench {

  public static void main(String[] args) throws Exception {
    KeyPair pair = KeyAlgorithm.ES256.generate();
    SigningKey signer = new SigningKey("k", KeyAlgorithm.ES256, pair.getPrivate());
    int n = 20_000;
    byte[][] input = new byte[n][];
    byte[][] signature = new byte[n][];
    for (int i = 0; i < n; i++) {
      String jws = signer.sign("at+jwt", ("payload-" + i).getBytes(StandardCharsets.UTF_8));
      int dot = jws.lastIndexOf('.');
      input[i] = jws.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
      signature[i] = Base64.getUrlDecoder().decode(jws.substring(dot + 1));
    }
    VerificationKey boringSsl = new VerificationKey("k", KeyAlgorithm.ES256, pair.getPublic());
    VerificationKey jdk = new VerificationKey("k", KeyAlgorithm.ES256, pair.getPublic(), null);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int round = 1; round <= 3; round++) {
      for (VerificationKey key : new VerificationKey[] {jdk, boringSsl}) {
        long t0 = mx.getCurrentThreadCpuTime();
        int valid = 0;
        for (int i = 0; i < n; i++) {
          valid += key.verify(input[i], signature[i]) ? 1 : 0;
        }
        double us = (mx.getCurrentThreadCpuTime() - t0) / 1000.0 / n;
        System.out.printf("round %d %s: %.1f us CPU per verification (%d of %d valid)%n", round,
            key.nativeKey() == null ? "jdk" : "boringssl", us, valid, n);
      }
    }
  }
}
