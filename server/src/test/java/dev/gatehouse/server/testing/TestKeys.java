package dev.gatehouse.server.testing;

import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.Secrets;
import java.nio.file.Path;

/** Keys for tests that need the server's crypto without a server. */
public final class TestKeys {

  private TestKeys() {}

  /** A fresh random master key, as {@code GATEHOUSE_MASTER_KEY} would give it. */
  public static MasterKey masterKey() {
    return MasterKey.load(Secrets.random(32), Path.of("unused"));
  }
}
