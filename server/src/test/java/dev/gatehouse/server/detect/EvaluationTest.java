package dev.gatehouse.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The labelled-traffic benchmark at a small size (fast): every campaign kind but the single
 * sign-in takeovers is found, benign users are rarely stepped up, and a replay of the same
 * traffic as NDJSON finds what the engine found.
 */
class EvaluationTest {

  private static final TrafficSimulator.Size SMALL = new TrafficSimulator.Size(300, 4, 4, 20, 7);

  @Test
  void smallSimulationWhenEvaluatedThenIncidentKindsAllFoundAndFewBenignStepUps() {
    TrafficSimulator sim = new TrafficSimulator(SMALL);
    List<LabeledEvent> events = sim.run();
    Evaluation.Result r = Evaluation.run(events, DetectSettings.DEFAULTS, sim.evalStart());
    assertThat(r.recallByKind()).containsEntry("credential_stuffing", 1.0)
        .containsEntry("password_spraying", 1.0).containsEntry("brute_force", 1.0)
        .containsEntry("token_abuse", 1.0).containsEntry("authorization_probing", 1.0);
    assertThat(r.benignStepUpRate()).isLessThanOrEqualTo(0.05);
    assertThat(r.table()).contains("| **overall** |");
  }

  @Test
  void stepUpRateWhenARiskySignInWasBeforeTheEvaluationDayThenNotCounted() {
    // The rate is over users active on the evaluation day: a step-up of theirs in the history
    // (online, where compressed time makes the history noisy) is not one of that day.
    long day = 1_793_491_200L;
    List<LabeledEvent> events = List.of(
        signIn("old", day - 3600, "ann"), signIn("new", day + 3600, "ann"),
        signIn("other", day + 7200, "bob"));
    List<Detection> found = List.of(new Detection("r1", "acme", "account_takeover", "assessed",
        day - 3600, "account:ann", 3.0, "step_up", java.util.Map.of(), List.of("old")));
    Evaluation.Result r = Evaluation.score(events, found, java.util.Set.of(), day, 0, 0);
    assertThat(r.benignStepUpRate()).isZero();

    found = List.of(new Detection("r2", "acme", "account_takeover", "assessed", day + 3600,
        "account:ann", 3.0, "step_up", java.util.Map.of(), List.of("new")));
    r = Evaluation.score(events, found, java.util.Set.of(), day, 0, 0);
    assertThat(r.benignStepUpRate()).isEqualTo(0.5);
  }

  private static LabeledEvent signIn(String id, long time, String user) {
    return new LabeledEvent(new Observation(id, "acme", "login.succeeded", time, "81.2.3.4",
        "Firefox/120", "d-" + user, user, null, null, null, null, false), null, null, user);
  }

  @Test
  void replayWhenGivenTheSameEventsAsNdjsonThenSameDetections() throws Exception {
    TrafficSimulator sim = new TrafficSimulator(SMALL);
    List<LabeledEvent> events = sim.run();
    String ndjson = events.stream().map(e -> Replay.eventLine(e, true))
        .collect(Collectors.joining("\n")) + "\nnot json\n{\"type\":3}\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Replay.Summary s = Replay.run(new BufferedReader(new StringReader(ndjson)),
        new PrintStream(out, true, StandardCharsets.UTF_8), "acme", DetectSettings.DEFAULTS);
    assertThat(s.skipped()).isEqualTo(2);
    List<Detection> direct = new java.util.ArrayList<>();
    DetectionEngine engine = new DetectionEngine(DetectSettings.DEFAULTS,
        new InMemoryBlockList(1000), direct::add);
    events.forEach(e -> engine.accept(e.event()));
    engine.finish(events.get(events.size() - 1).event().time());
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(direct.size());
    assertThat(lines).allMatch(l -> l.contains("\"event_ids\":[") && l.contains("\"kind\":"));
    assertThat(lines.get(0)).isEqualTo(Replay.line(direct.get(0)));
  }
}
