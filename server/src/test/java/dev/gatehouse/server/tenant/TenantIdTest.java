package dev.gatehouse.server.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Tenant ids have DNS-label syntax; the hand-written check agrees with the grammar. */
class TenantIdTest {

  /** RFC 1035 §2.3.1 label, lower case only: the specification validId implements by hand. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  @Property(tries = 5000)
  @Label("validId agrees with the DNS-label grammar on label-like strings")
  void validIdWhenLabelLikeThenSameAsGrammar(@ForAll("labelish") String id) {
    assertThat(TenantService.validId(id)).as("`%s`", id).isEqualTo(LABEL.matcher(id).matches());
  }

  @Property(tries = 2000)
  @Label("validId agrees with the grammar on arbitrary strings")
  void validIdWhenArbitraryThenSameAsGrammar(@ForAll String id) {
    assertThat(TenantService.validId(id)).isEqualTo(LABEL.matcher(id).matches());
  }

  @Provide
  Arbitrary<String> labelish() {
    return Arbitraries.strings().withChars("az09-A_.\u00e9").ofMinLength(0).ofMaxLength(70)
        .edgeCases(c -> c.add("a".repeat(63)).add("a".repeat(64)).add("-").add("a-")
            .add("-a").add("a--b"));
  }

  @Test
  void validIdAtTheEdges() {
    assertThat(TenantService.validId("a".repeat(63))).isTrue();
    assertThat(TenantService.validId("a".repeat(64))).isFalse();
    assertThat(TenantService.validId("a--b")).isTrue();
    assertThat(TenantService.validId("0")).isTrue();
    assertThat(TenantService.validId("")).isFalse();
    assertThat(TenantService.validId(null)).isFalse();
    assertThat(TenantService.validId("-a")).isFalse();
    assertThat(TenantService.validId("a-")).isFalse();
  }
}
