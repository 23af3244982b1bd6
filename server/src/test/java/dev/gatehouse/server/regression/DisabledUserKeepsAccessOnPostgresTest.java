package dev.gatehouse.server.regression;

import dev.gatehouse.server.testing.TestDatabase;

class DisabledUserKeepsAccessOnPostgresTest extends DisabledUserKeepsAccessContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
