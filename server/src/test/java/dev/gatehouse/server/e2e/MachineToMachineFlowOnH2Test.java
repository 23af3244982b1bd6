package dev.gatehouse.server.e2e;

import dev.gatehouse.server.testing.TestDatabase;

class MachineToMachineFlowOnH2Test extends MachineToMachineFlowContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
