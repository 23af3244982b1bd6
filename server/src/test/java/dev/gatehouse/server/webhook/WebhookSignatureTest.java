package dev.gatehouse.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Webhook signatures against the Standard Webhooks specification's published test vector (the
 * one its reference libraries test against), so a receiver's library accepts what we send.
 */
class WebhookSignatureTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  @Test
  void signWhenReferenceVectorThenReferenceSignature() {
    assertThat(WebhookSignature.sign(WebhookSignature.key(SECRET), ID, TIMESTAMP, BODY))
        .isEqualTo(EXPECTED);
  }

  @Test
  void testsOwnSignerWhenReferenceVectorThenReferenceSignature() {
    // The contract test checks deliveries with StandardWebhooks; it must agree with the vector.
    assertThat(StandardWebhooks.signature(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
  }

  @Test
  void verifyWhenReferenceSignatureAmongOthersThenValid() {
    assertThat(WebhookSignature.verify(WebhookSignature.key(SECRET), ID, TIMESTAMP, BODY,
        "v1,bm9wZQ== " + EXPECTED, TIMESTAMP + 10, 300)).isTrue();
  }

  @Test
  void verifyWhenBodyIdOrTimestampChangedThenInvalid() {
    byte[] key = WebhookSignature.key(SECRET);
    assertThat(WebhookSignature.verify(key, ID, TIMESTAMP,
        "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), EXPECTED, TIMESTAMP, 300))
        .isFalse();
    assertThat(WebhookSignature.verify(key, ID + "x", TIMESTAMP, BODY, EXPECTED, TIMESTAMP, 300))
        .isFalse();
    assertThat(WebhookSignature.verify(key, ID, TIMESTAMP + 1, BODY, EXPECTED, TIMESTAMP, 300))
        .isFalse();
  }

  @Test
  void verifyWhenTimestampOutsideToleranceThenInvalid() {
    assertThat(WebhookSignature.verify(WebhookSignature.key(SECRET), ID, TIMESTAMP, BODY,
        EXPECTED, TIMESTAMP + 301, 300)).isFalse();
  }
}
