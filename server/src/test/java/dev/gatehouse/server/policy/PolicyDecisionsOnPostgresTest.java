package dev.gatehouse.server.policy;

import dev.gatehouse.server.testing.TestDatabase;

class PolicyDecisionsOnPostgresTest extends PolicyDecisionsContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
