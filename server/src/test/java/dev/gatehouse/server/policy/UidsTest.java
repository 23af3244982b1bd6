package dev.gatehouse.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.ast.EntityUid;
import org.junit.jupiter.api.Test;

class UidsTest {

  @Test
  void parsesCedarLiteralsWithNamespacesAndEscapes() {
    assertThat(Uids.parse("User::\"alice\"", "p")).isEqualTo(EntityUid.of("User", "alice"));
    assertThat(Uids.parse("A::B::User::\"x::\\\"y\"", "p"))
        .isEqualTo(EntityUid.of("A::B::User", "x::\"y"));
    assertThat(Uids.parse("User::\"\"", "p")).isEqualTo(EntityUid.of("User", ""));
  }

  @Test
  void refusesWhatIsNotAUid() {
    for (String bad : new String[] {"User::alice", "alice", "User::\"a\" + 1", "1::\"a\"", ""}) {
      assertThatThrownBy(() -> Uids.parse(bad, "p")).as(bad)
          .isInstanceOf(Uids.BadRequest.class);
    }
  }
}
