package dev.gatehouse.server.detect;

import java.util.Locale;

/**
 * What a tenant wants done about a detection, each level including the ones before it:
 * {@code allow} (count it in metrics only), {@code notify} (also an event, so webhooks and the
 * stream), {@code step-up} (also: a risky sign-in must show a second factor, or enrol one), and
 * {@code block} (also: attacking addresses, subnets and accounts are refused for a time).
 */
public enum ResponsePolicy {
  ALLOW, NOTIFY, STEP_UP, BLOCK;

  /** The configuration word: {@code allow}, {@code notify}, {@code step-up}, {@code block}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The policy named {@code word}. */
  public static ResponsePolicy of(String word) {
    for (ResponsePolicy p : values()) {
      if (p.word().equals(word.strip().toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown response `" + word
        + "`: one of allow, notify, step-up, block");
  }

  boolean notifies() {
    return this != ALLOW;
  }

  boolean stepsUp() {
    return this == STEP_UP || this == BLOCK;
  }

  boolean blocks() {
    return this == BLOCK;
  }
}
