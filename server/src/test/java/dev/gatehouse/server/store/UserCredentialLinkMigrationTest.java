package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V9__user_credentials.sql on a database that already holds sign-in state (a rolling upgrade):
 * sessions and refresh tokens of existing users are kept as they were, those of users deleted
 * before the migration (credentials of nobody, which nothing had ended) are removed, and the new
 * column is null for the old rows. Run on H2 and PostgreSQL.
 */
class UserCredentialLinkMigrationTest {

  private static Flyway flyway(String url, String target) {
    return Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
        .target(target).load();
  }

  private static List<String> column(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void migrateWhenSignInStateExistsThenRowsOfLiveUsersStayAndOrphansGo(TestDatabase db)
      throws SQLException {
    String url = db.freshUrl();
    flyway(url, "8").migrate();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("insert into tenant (id, display_name, created_at) values ('acme', 'Acme', 1)");
      s.execute("insert into app_user (tenant_id, id, username, username_key, attributes,"
          + " created_at, updated_at) values ('acme', 'alive', 'alive', 'alive', '{}', 1, 1)");
      for (String user : List.of("alive", "deleted")) {
        s.execute("insert into sso_session (tenant_id, sid, cookie_hash, user_id, auth_time, amr,"
            + " acr, created_at, expires_at) values ('acme', 's-" + user + "', 'c-" + user
            + "', '" + user + "', 1, 'pwd', 'acr', 1, 9)");
        s.execute("insert into refresh_token (tenant_id, token_hash, family_id, client_id,"
            + " user_id, scope, sid, auth_time, amr, acr, issued_at, expires_at,"
            + " family_expires_at) values ('acme', 'h-" + user + "', 'f', 'c', '" + user
            + "', 'openid', 's-" + user + "', 1, 'pwd', 'acr', 1, 9, 9)");
      }
    }
    flyway(url, "latest").migrate();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      assertThat(column(s, "select sid from sso_session")).containsExactly("s-alive");
      assertThat(column(s, "select token_hash from refresh_token")).containsExactly("h-alive");
      assertThat(column(s, "select access_token_ref from refresh_token")).containsOnlyNulls();
    }
  }
}
