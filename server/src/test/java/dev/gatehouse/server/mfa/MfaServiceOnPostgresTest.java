package dev.gatehouse.server.mfa;

import dev.gatehouse.server.testing.TestDatabase;

class MfaServiceOnPostgresTest extends MfaServiceContract {

  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
