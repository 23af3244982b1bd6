package dev.gatehouse.server.detect;

/**
 * A simulated event with its ground truth: {@code campaign} is null for benign traffic, else the
 * attack campaign's id; {@code kind} the campaign's kind; {@code actor} the benign user (for the
 * share of users stepped up or blocked).
 */
public record LabeledEvent(Observation event, String campaign, String kind, String actor) {

  public boolean attack() {
    return campaign != null;
  }
}
