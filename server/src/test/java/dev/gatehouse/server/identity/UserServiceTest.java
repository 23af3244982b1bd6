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

  /**
   * The store, with a change made by someone else right after the next read: what a concurrent
   * admin request does while this one computes (or checks a password).
   */
  private static final class ChangedAfterRead implements UserStore {
    private final UserStore store;
    private Runnable meanwhile;

    ChangedAfterRead(UserStore store) {
      this.store = store;
    }

    void next(Runnable change) {
      this.meanwhile = change;
    }

    private <T> T read(T value) {
      Runnable m = meanwhile;
      meanwhile = null;
      if (m != null) {
        m.run();
      }
      return value;
    }

    @Override
    public java.util.Optional<User> find(String tenantId, String userId) {
      return read(store.find(tenantId, userId));
    }

    @Override
    public java.util.Optional<User> findByUsername(String tenantId, String username) {
      return read(store.findByUsername(tenantId, username));
    }

    @Override
    public java.util.Optional<User> findForUpdate(String tenantId, String userId) {
      return read(store.findForUpdate(tenantId, userId));
    }

    @Override
    public boolean insert(User user) {
      return store.insert(user);
    }

    @Override
    public boolean update(User user) {
      return store.update(user);
    }

    @Override
    public boolean setPasswordHash(String tenantId, String userId, String hash, long at) {
      return store.setPasswordHash(tenantId, userId, hash, at);
    }

    @Override
    public boolean rehash(String tenantId, String userId, String oldHash, String newHash,
        long at) {
      return store.rehash(tenantId, userId, oldHash, newHash, at);
    }

    @Override
    public boolean delete(String tenantId, String userId) {
      return store.delete(tenantId, userId);
    }

    @Override
    public java.util.List<User> list(String tenantId, String query, String after, int limit) {
      return store.list(tenantId, query, after, limit);
    }
  }

  private UserService over(ChangedAfterRead changing) {
    Jdbc jdbc = db.jdbc();
    return new UserService(changing, new JdbcGroupStore(jdbc), new JdbcPasswordPolicyStore(jdbc),
        new PasswordHasher(64, 1, 1), Clock.systemUTC());
  }

  @Test
  void authenticateWhenDisabledWhileAnOldHashWasCheckedThenRefusedAndStillDisabled() {
    String id = users.create("acme", new NewUser("legacy", null, null, null, null,
        "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", null)).id();
    ChangedAfterRead changing = new ChangedAfterRead(store);
    changing.next(() -> users.update("acme", id, java.util.Map.of("disabled", true)));

    assertThat(over(changing).authenticate("acme", "legacy", "U*U")).isEmpty();

    User after = store.find("acme", id).orElseThrow();
    assertThat(after.disabled()).as("the rehash did not write the enabled row back").isTrue();
    assertThat(after.passwordHash()).startsWith("$2a$");
  }

  @Test
  void authenticateWhenResetWhileAnOldHashWasCheckedThenRefusedAndTheNewPasswordKept() {
    String id = users.create("acme", new NewUser("legacy", null, null, null, null,
        "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", null)).id();
    ChangedAfterRead changing = new ChangedAfterRead(store);
    changing.next(() -> users.setPassword("acme", id, "a-new-long-passphrase"));

    assertThat(over(changing).authenticate("acme", "legacy", "U*U")).isEmpty();

    assertThat(users.authenticate("acme", "legacy", "a-new-long-passphrase")).isPresent();
    assertThat(users.authenticate("acme", "legacy", "U*U")).isEmpty();
  }

  @Test
  void updateWhenPasswordResetAfterTheProfileWasReadThenTheNewPasswordIsKept() {
    String id = users.create("acme", new NewUser("ann", null, null, null, "purple-otter-sings",
        null, null)).id();
    ChangedAfterRead changing = new ChangedAfterRead(store);
    changing.next(() -> users.setPassword("acme", id, "a-new-long-passphrase"));

    over(changing).update("acme", id, java.util.Map.of("display_name", "Ann"));

    assertThat(store.find("acme", id).orElseThrow().displayName()).isEqualTo("Ann");
    assertThat(users.authenticate("acme", "ann", "a-new-long-passphrase")).isPresent();
    assertThat(users.authenticate("acme", "ann", "purple-otter-sings")).isEmpty();
  }

  @Test
  void stillSignsInWhenTheHashChangedOrTheUserWasDisabledThenFalse() {
    String id = users.create("acme", new NewUser("ann", null, null, null, "purple-otter-sings",
        null, null)).id();
    String checked = users.authenticate("acme", "ann", "purple-otter-sings").orElseThrow()
        .passwordHash();
    assertThat(users.stillSignsIn("acme", id, checked)).isTrue();
    assertThat(users.stillSignsIn("acme", "nobody", checked)).isFalse();

    users.setPassword("acme", id, "a-new-long-passphrase");
    assertThat(users.stillSignsIn("acme", id, checked)).as("reset since the check").isFalse();

    String current = store.find("acme", id).orElseThrow().passwordHash();
    users.update("acme", id, java.util.Map.of("disabled", true));
    assertThat(users.stillSignsIn("acme", id, current)).as("disabled since").isFalse();
  }
}
