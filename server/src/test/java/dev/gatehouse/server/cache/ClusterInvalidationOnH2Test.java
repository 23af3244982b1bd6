package dev.gatehouse.server.cache;

import dev.gatehouse.server.testing.TestDatabase;

/** Both nodes in one JVM share the in-memory H2 database by URL. */
class ClusterInvalidationOnH2Test extends ClusterInvalidationContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
