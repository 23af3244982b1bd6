package dev.gatehouse.server.e2e;

import dev.gatehouse.server.testing.TestDatabase;

class SignInFlowOnH2Test extends SignInFlowContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
