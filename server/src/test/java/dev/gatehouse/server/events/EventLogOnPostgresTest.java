package dev.gatehouse.server.events;

import dev.gatehouse.server.testing.TestDatabase;

class EventLogOnPostgresTest extends EventLogContract {

  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
