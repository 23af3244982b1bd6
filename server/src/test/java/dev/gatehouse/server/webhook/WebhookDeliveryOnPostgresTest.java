package dev.gatehouse.server.webhook;

import dev.gatehouse.server.testing.TestDatabase;

class WebhookDeliveryOnPostgresTest extends WebhookDeliveryContract {
  @Override
  TestDatabase database() {
    return TestDatabase.POSTGRES;
  }
}
