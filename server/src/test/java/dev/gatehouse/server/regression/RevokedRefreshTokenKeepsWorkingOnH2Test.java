package dev.gatehouse.server.regression;

import dev.gatehouse.server.testing.TestDatabase;

class RevokedRefreshTokenKeepsWorkingOnH2Test extends RevokedRefreshTokenKeepsWorkingContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
