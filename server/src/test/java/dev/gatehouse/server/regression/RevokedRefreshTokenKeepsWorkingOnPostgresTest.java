package dev.gatehouse.server.regression;

import dev.gatehouse.server.testing.TestDatabase;

class RevokedRefreshTokenKeepsWorkingOnPostgresTest
    extends RevokedRefreshTokenKeepsWorkingContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
