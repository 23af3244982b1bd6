package dev.gatehouse.server.e2e;

import dev.gatehouse.server.testing.TestDatabase;

class MachineToMachineFlowOnPostgresTest extends MachineToMachineFlowContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
