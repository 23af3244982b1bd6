package dev.gatehouse.server.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompactJsonTest {

  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void writesWhatJacksonWritesForTokenResponses() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("access_token", "eyJhbGciOiJFUzI1NiJ9.e30.sig");
    m.put("token_type", "Bearer");
    m.put("expires_in", 900L);
    m.put("active", true);
    m.put("iat", 1795741771);
    m.put("aud", List.of("https://a.example", "https://b.example"));
    m.put("nested", Map.of("k", "v"));
    m.put("nothing", null);
    m.put("set", Set.of("one"));
    assertSameAsJackson(m);
  }

  @Test
  void escapesLikeJackson() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("quote\"back\\slash", "a\"b\\c/d");
    m.put("controls", "\n\r\t\b\f\u0000\u0001\u001f\u007f");
    m.put("unicode", "é ü ✓ \u2028 \u2029");
    assertSameAsJackson(m);
  }

  @Test
  void everyAsciiAndLatin1CharacterMatches() throws Exception {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x800; c++) {
      all.append(c);
    }
    assertSameAsJackson(Map.of("s", all.toString()));
  }

  @Test
  void givesUpOnWhatItDoesNotHandle() {
    assertThat(CompactJson.tryWrite(Map.of("d", 1.5))).isNull();
    assertThat(CompactJson.tryWrite(Map.of("o", new Object()))).isNull();
    assertThat(CompactJson.tryWrite(Map.of(1, "non-string key"))).isNull();
    assertThat(CompactJson.tryWrite(Map.of("emoji", "\uD83D\uDE00"))).isNull();
    List<Object> deep = new ArrayList<>();
    List<Object> cur = deep;
    for (int i = 0; i < 40; i++) {
      List<Object> next = new ArrayList<>();
      cur.add(next);
      cur = next;
    }
    assertThat(CompactJson.tryWrite(deep)).isNull();
  }

  private static void assertSameAsJackson(Object value) throws Exception {
    byte[] ours = CompactJson.tryWrite(value);
    assertThat(ours).isNotNull();
    assertThat(new String(ours, StandardCharsets.UTF_8))
        .isEqualTo(new String(JACKSON.writeValueAsBytes(value), StandardCharsets.UTF_8));
  }
}
