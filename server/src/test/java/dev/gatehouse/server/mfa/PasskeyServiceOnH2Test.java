package dev.gatehouse.server.mfa;

import dev.gatehouse.server.testing.TestDatabase;

class PasskeyServiceOnH2Test extends PasskeyServiceContract {

  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
