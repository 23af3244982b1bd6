package dev.gatehouse.server.detect;

/**
 * A temporary refusal of sign-ins: from an address ({@code ip}), a subnet ({@code subnet}), or to
 * an account from networks it has not used before ({@code account}, by the account name's hash).
 *
 * @param id stable for the same target: {@code kind:value}
 * @param until epoch seconds
 * @param reason the detection kind that caused it
 * @param detection the detection's id
 */
public record Block(String tenant, String kind, String value, long until, String reason,
    String detection) {

  public String id() {
    return kind + ":" + value;
  }
}
