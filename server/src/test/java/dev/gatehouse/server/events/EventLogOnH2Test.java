package dev.gatehouse.server.events;

import dev.gatehouse.server.testing.TestDatabase;

class EventLogOnH2Test extends EventLogContract {

  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
