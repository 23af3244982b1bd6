package dev.gatehouse.server.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238 (TOTP) and RFC 4648 base32, against the RFCs' vectors and Debian's oathtool. */
class TotpTest {

  private static final byte[] SEED20 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEED32 = "12345678901234567890123456789012"
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEED64 = ("12345678901234567890123456789012345678901234567890"
      + "12345678901234").getBytes(StandardCharsets.US_ASCII);

  @Nested
  @DisplayName("RFC 6238 Appendix B")
  class AppendixB {

    @ParameterizedTest(name = "T={0} {2}")
    @CsvSource({
        "59, 94287082, HmacSHA1", "59, 46119246, HmacSHA256", "59, 90693936, HmacSHA512",
        "1111111109, 07081804, HmacSHA1", "1111111109, 68084774, HmacSHA256",
        "1111111109, 25091201, HmacSHA512",
        "1111111111, 14050471, HmacSHA1", "1111111111, 67062674, HmacSHA256",
        "1111111111, 99943326, HmacSHA512",
        "1234567890, 89005924, HmacSHA1", "1234567890, 91819424, HmacSHA256",
        "1234567890, 93441116, HmacSHA512",
        "2000000000, 69279037, HmacSHA1", "2000000000, 90698825, HmacSHA256",
        "2000000000, 38618901, HmacSHA512",
        "20000000000, 65353130, HmacSHA1", "20000000000, 77737706, HmacSHA256",
        "20000000000, 47863826, HmacSHA512"})
    void codeWhenTestVectorThenMatches(long time, String expected, String alg) {
      byte[] seed = alg.equals("HmacSHA1") ? SEED20 : alg.equals("HmacSHA256") ? SEED32 : SEED64;
      assertThat(Totp.code(seed, Totp.step(time), alg, 8)).isEqualTo(expected);
    }

    @Test
    void stepWhenTimeThenFloorOfThirtySeconds() {
      // The table's "T (hex)" column: 0x1 for 59 s, 0x23523EC for 1111111109 s.
      assertThat(Totp.step(59)).isEqualTo(1);
      assertThat(Totp.step(1111111109)).isEqualTo(0x23523EC);
      assertThat(Totp.step(20000000000L)).isEqualTo(0x27BC86AA);
    }
  }

  @Nested
  @DisplayName("RFC 6238 §5.2 window")
  class Window {

    @Test
    void matchWhenPreviousCurrentOrNextStepThenThatStep() {
      long now = 1_700_000_000;
      long step = Totp.step(now);
      for (long s = step - 1; s <= step + 1; s++) {
        assertThat(Totp.match(SEED20, Totp.code(SEED20, s), now)).isEqualTo(s);
      }
    }

    @Test
    void matchWhenTwoStepsAwayThenRefused() {
      long now = 1_700_000_000;
      long step = Totp.step(now);
      assertThat(Totp.match(SEED20, Totp.code(SEED20, step - 2), now)).isEqualTo(-1);
      assertThat(Totp.match(SEED20, Totp.code(SEED20, step + 2), now)).isEqualTo(-1);
    }

    @Test
    void matchWhenNotSixDigitsThenRefused() {
      assertThat(Totp.match(SEED20, "12345", 59)).isEqualTo(-1);
      assertThat(Totp.match(SEED20, "12a456", 59)).isEqualTo(-1);
      assertThat(Totp.match(SEED20, null, 59)).isEqualTo(-1);
    }
  }

  @Nested
  @DisplayName("RFC 4648 §10 base32")
  class Base32Vectors {

    @ParameterizedTest
    @CsvSource({"'', ''", "f, MY", "fo, MZXQ", "foo, MZXW6", "foob, MZXW6YQ",
        "fooba, MZXW6YTB", "foobar, MZXW6YTBOI"})
    void encodeWhenRfcVectorThenUnpadded(String text, String expected) {
      byte[] in = text.getBytes(StandardCharsets.US_ASCII);
      assertThat(Base32.encode(in)).isEqualTo(expected);
      assertThat(Base32.decode(expected)).isEqualTo(in);
    }
  }

  /**
   * Codes computed by Debian's {@code oathtool} (apt-get install -y oathtool), a TOTP
   * implementation independent of ours, for random secrets at several times.
   */
  @Nested
  @DisplayName("oathtool")
  class OathTool {

    @Test
    void codeWhenOathtoolComputesSameSecretAndTimeThenEqual() throws Exception {
      Path oathtool = Path.of("/usr/bin/oathtool");
      RequiredTool.check("TotpTest.OathTool", Files.isExecutable(oathtool) ? null
          : oathtool + " is missing (apt-get install -y oathtool)");
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < 5; i++) {
        byte[] secret = new byte[TotpService.SECRET_BYTES];
        random.nextBytes(secret);
        long time = 1_000_000_000L + random.nextInt(1_000_000_000);
        String b32 = Base32.encode(secret);
        String theirs = run(oathtool.toString(), "--totp", "-b", "-N", "@" + time, b32);
        assertThat(Totp.code(secret, Totp.step(time))).as("secret %s at %d", b32, time)
            .isEqualTo(theirs);
        assertThat(Totp.match(secret, theirs, time)).isEqualTo(Totp.step(time));
        // The enrolment's otpauth URI carries the same secret an app would read.
        assertThat(TotpService.enrollment(secret, "Acme", "alice").uri()).contains("secret="
            + b32);
      }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      return out;
    }
  }
}
