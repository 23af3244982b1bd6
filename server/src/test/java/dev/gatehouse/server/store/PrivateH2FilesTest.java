package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PrivateH2FilesTest {

  @Test
  void privateUrlWhenH2FileDatabaseThenBehindThePrivateFileSystemWithAnAbsolutePath() {
    assertThat(PrivateH2Files.privateUrl("jdbc:h2:file:/srv/data/gatehouse;MODE=PostgreSQL"))
        .isEqualTo("jdbc:h2:gh-private:/srv/data/gatehouse;MODE=PostgreSQL");
    assertThat(PrivateH2Files.privateUrl("jdbc:h2:/srv/db"))
        .isEqualTo("jdbc:h2:gh-private:/srv/db");
    assertThat(PrivateH2Files.privateUrl("jdbc:h2:./data/db;A=1")).isEqualTo(
        "jdbc:h2:gh-private:" + Path.of("data/db").toAbsolutePath() + ";A=1");
    assertThat(PrivateH2Files.privateUrl("jdbc:h2:~/db")).isEqualTo(
        "jdbc:h2:gh-private:" + System.getProperty("user.home") + "/db");
  }

  @Test
  void privateUrlWhenNotAnH2FileDatabaseThenUnchanged() {
    for (String url : new String[] {"jdbc:h2:mem:x;DB_CLOSE_DELAY=-1", "jdbc:h2:tcp://h/db",
        "jdbc:postgresql://db:5432/gatehouse", "jdbc:h2:gh-private:/srv/db", "jdbc:h2:data/db"}) {
      assertThat(PrivateH2Files.privateUrl(url)).isEqualTo(url);
    }
  }
}
