package dev.gatehouse.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.store.Jdbc;
import dev.gatehouse.server.testing.TestDatabase;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Password verification and hash upgrades, on the JDBC stores without HTTP. */
class UserServiceTest {

  private Database db;
  private UserService users;
  private JdbcUserStore store;

  @BeforeEach
  void open() {
    db = Database.open(TestDatabase.H2.freshUrl(), null, null, 2, null);
    Jdbc jdbc = db.jdbc();
    jdbc.update("insert into tenant (id, display_name, created_at) values ('acme', 'Acme', 0)");
    store = new JdbcUserStore(jdbc);
    users = new UserService(store, new JdbcGroupStore(jdbc), new JdbcPasswordPolicyStore(jdbc),
        new PasswordHasher(64, 1, 1), Clock.systemUTC());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void authenticateWhenImportedBcryptMatchesThenUpgradedToArgon2id() {
    users.create("acme", new NewUser("legacy", null, null, null, null,
        "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", null));
    assertThat(users.authenticate("acme", "LEGACY", "U*U")).isPresent();
    assertThat(store.findByUsername("acme", "legacy").orElseThrow().passwordHash())
        .startsWith("$argon2id$");
    assertThat(users.authenticate("acme", "legacy", "U*U")).isPresent();
  }

  @Test
  void authenticateWhenWrongPasswordUnknownUserOrDisabledThenEmpty() {
    String id = users.create("acme", new NewUser("ann", null, null, null, "purple-otter-sings",
        null, null)).id();
    assertThat(users.authenticate("acme", "ann", "purple-otter-sings")).isPresent();
    assertThat(users.authenticate("acme", "ann", "purple-otter-sing")).isEmpty();
    assertThat(users.authenticate("acme", "nobody", "purple-otter-sings")).isEmpty();
    users.update("acme", id, java.util.Map.of("disabled", true));
    assertThat(users.authenticate("acme", "ann", "purple-otter-sings")).isEmpty();
  }

  @Test
  void authenticateWhenOtherTenantThenEmpty() {
    db.jdbc().update("insert into tenant (id, display_name, created_at) values ('globex', 'G', 0)");
    users.create("acme", new NewUser("zoe", null, null, null, "purple-otter-sings", null, null));
    assertThat(users.authenticate("globex", "zoe", "purple-otter-sings")).isEmpty();
  }
}
