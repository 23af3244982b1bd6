package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Found by the sweep: deleting a user left their TOTP secret, recovery codes, passkeys and
 * consents in the database (nothing ties those rows to the user row), to be read back from a
 * backup or inherited by a later user given the same id. They are now deleted in the transaction
 * that deletes the user; another user's rows stay.
 */
class DeletedUserLeavesFactorsTest {

  private static final List<String> TABLES = List.of("mfa_totp", "mfa_recovery_code",
      "webauthn_credential", "user_consent");

  @Test
  void whenUserDeletedThenTheirFactorsAndConsentsAreDeletedToo() throws SQLException {
    String url = TestDatabase.H2.freshUrl();
    try (TestServer server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_DB_URL", url));
         Connection db = DriverManager.getConnection(url)) {
      server.createTenant("gone");
      UserSignIn in = new UserSignIn(server, "gone");
      String alice = in.user("alice");
      String bob = in.user("bob");
      plant(db, alice);
      plant(db, bob);
      assertThat(rows(db, alice)).containsOnly(1);

      assertThat(server.admin("DELETE", "/admin/v1/tenants/gone/users/" + alice, null).status())
          .isEqualTo(204);

      assertThat(rows(db, alice)).as("rows left of the deleted user").containsOnly(0);
      assertThat(rows(db, bob)).as("another user's rows").containsOnly(1);
    }
  }

  private static void plant(Connection db, String user) throws SQLException {
    exec(db, "insert into mfa_totp (tenant_id, user_id, secret_enc, confirmed, created_at)"
        + " values ('gone', ?, 'sealed', true, 1)", user);
    exec(db, "insert into mfa_recovery_code (tenant_id, user_id, code_hash, created_at)"
        + " values ('gone', ?, 'hash', 1)", user);
    exec(db, "insert into webauthn_credential (tenant_id, credential_id, user_id, name,"
        + " attested_data, sign_count, uv_initialized, backup_eligible, backup_state, created_at)"
        + " values ('gone', 'cred-" + user + "', ?, 'key', 'data', 0, true, false, false, 1)",
        user);
    exec(db, "insert into user_consent (tenant_id, user_id, client_id, scope, granted_at)"
        + " values ('gone', ?, 'app', 'openid', 1)", user);
  }

  private static void exec(Connection db, String sql, String user) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      s.setString(1, user);
      s.executeUpdate();
    }
  }

  /** How many rows {@code user} has in each table. */
  private static List<Integer> rows(Connection db, String user) throws SQLException {
    List<Integer> out = new java.util.ArrayList<>();
    for (String table : TABLES) {
      try (PreparedStatement s = db.prepareStatement("select count(*) from " + table
          + " where tenant_id = 'gone' and user_id = ?")) {
        s.setString(1, user);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          out.add(rs.getInt(1));
        }
      }
    }
    return out;
  }
}
