package dev.gatehouse.server.webhook;

import dev.gatehouse.server.testing.TestDatabase;

class WebhookDeliveryOnH2Test extends WebhookDeliveryContract {
  @Override
  TestDatabase database() {
    return TestDatabase.H2;
  }
}
