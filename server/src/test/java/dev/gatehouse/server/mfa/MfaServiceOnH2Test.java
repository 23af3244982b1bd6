package dev.gatehouse.server.mfa;

import dev.gatehouse.server.testing.TestDatabase;

class MfaServiceOnH2Test extends MfaServiceContract {

  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
