package dev.gatehouse.server.mfa;

import dev.gatehouse.server.testing.TestDatabase;

class PasskeyServiceOnPostgresTest extends PasskeyServiceContract {

  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
