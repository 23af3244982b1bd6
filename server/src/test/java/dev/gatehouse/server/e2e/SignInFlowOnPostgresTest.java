package dev.gatehouse.server.e2e;

import dev.gatehouse.server.testing.TestDatabase;

class SignInFlowOnPostgresTest extends SignInFlowContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
