package dev.gatehouse.server.config;

/** A setting that cannot be used; its message names the setting. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
