package dev.gatehouse.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MAC of what is kept in Redis: only this installation's own value, at its own key. */
class CacheMacTest {

  private final MasterKey master = TestKeys.masterKey();
  private final CacheMac mac = master.cacheMac("cache", "inst1");
  private static final String KEY = "gh:inst1:acme:client:app";
  private static final long FAR = Long.MAX_VALUE / 2;

  @Test
  void sealedValueWhenOpenedAtItsKeyThenSameValueAndExpiry() {
    String sealed = mac.seal(KEY, "{\"scope\":\"a\"}", FAR);
    assertThat(sealed).endsWith("{\"scope\":\"a\"}");
    assertThat(mac.open(KEY, sealed)).hasValue(new CacheMac.Opened("{\"scope\":\"a\"}", FAR));
  }

  @Test
  void valueWhenChangedThenRefused() {
    String sealed = mac.seal(KEY, "{\"scope\":\"a\"}", FAR);
    assertThat(mac.open(KEY, sealed.replace("\"a\"", "\"admin\""))).isEmpty();
  }

  @Test
  void expiryWhenExtendedThenRefused() {
    String sealed = mac.seal(KEY, "v", 1_000);
    assertThat(mac.open(KEY, sealed.replace("m1.1000.", "m1.9999999999999."))).isEmpty();
    assertThat(mac.open(KEY, sealed).orElseThrow().liveAt(2_000)).isFalse();
  }

  @Test
  void entryWhenMovedToAnotherKeyThenRefused() {
    String sealed = mac.seal(KEY, "v", FAR);
    assertThat(mac.open("gh:inst1:evil:client:app", sealed)).isEmpty();
    assertThat(mac.open("gh:inst1:acme:client:other", sealed)).isEmpty();
    assertThat(mac.open("gh:inst1:acme:keys:app", sealed)).isEmpty();
  }

  @Test
  void entryWhenFromAnotherInstallationOrUseOrMasterKeyThenRefused() {
    String sealed = mac.seal(KEY, "v", FAR);
    assertThat(master.cacheMac("cache", "inst2").open(KEY, sealed)).isEmpty();
    assertThat(master.cacheMac("invalidation", "inst1").open(KEY, sealed)).isEmpty();
    assertThat(TestKeys.masterKey().cacheMac("cache", "inst1").open(KEY, sealed)).isEmpty();
  }

  @Test
  void garbageWhenOpenedThenEmptyNeverAnException() {
    String sealed = mac.seal(KEY, "v", FAR);
    for (String s : List.of("", "1", "{\"kty\":\"EC\"}", "m1.", "m1.x.y.z",
        "m1.1." + "A".repeat(43), "m1.-5." + "A".repeat(43) + ".v", sealed.substring(0, 20),
        "m1.1.." + sealed)) {
      assertThat(mac.open(KEY, s)).as(s).isEmpty();
    }
    assertThat(mac.open(KEY, null)).isEmpty();
  }

  @Test
  void derivedKeysWhenSameInputsThenSameAndHkdfShaped() {
    // RFC 5869 §2.3, one block: T(1) = HMAC-Hash(PRK, info | 0x01).
    assertThat(MasterKey.hkdfExpand(new byte[32], "x")).hasSize(32)
        .isEqualTo(MasterKey.hkdfExpand(new byte[32], "x"))
        .isNotEqualTo(MasterKey.hkdfExpand(new byte[32], "y"));
    String sealed = mac.seal(KEY, "v", FAR);
    assertThat(master.cacheMac("cache", "inst1").open(KEY, sealed)).isPresent();
  }
}
