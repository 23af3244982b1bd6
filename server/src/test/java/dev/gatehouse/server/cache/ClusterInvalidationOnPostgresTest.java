package dev.gatehouse.server.cache;

import dev.gatehouse.server.testing.TestDatabase;

class ClusterInvalidationOnPostgresTest extends ClusterInvalidationContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
