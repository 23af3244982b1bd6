package dev.gatehouse.server.policy;

import dev.gatehouse.server.testing.TestDatabase;

class PolicyDecisionsOnH2Test extends PolicyDecisionsContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
