package dev.gatehouse.server.regression;

import dev.gatehouse.server.testing.TestDatabase;

class DisabledUserKeepsAccessOnH2Test extends DisabledUserKeepsAccessContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
