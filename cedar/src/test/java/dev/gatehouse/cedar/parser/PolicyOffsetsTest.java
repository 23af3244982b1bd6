package dev.gatehouse.cedar.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyOffsetsTest {

  @Test
  void offsetsPointAtEachPolicysFirstTokenSkippingCommentsAndAnnotationsIncluded() {
    String text = "// header\npermit(principal, action, resource);\n\n  @id(\"b\")\n"
        + "forbid(principal, action, resource) when { \"permit(\" == \"x\" };\n";
    int[] offsets = PolicyParser.policyOffsets(text);
    assertThat(offsets).containsExactly(text.indexOf("permit("), text.indexOf("@id"));
  }
}
