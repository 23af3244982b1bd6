package dev.gatehouse.server.detect;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scores detections against labelled traffic: precision, recall and F1 per attack kind and
 * overall, at campaign and at event level; benign users stepped up or blocked; time and attempts
 * from a campaign's first event to its first detection; CPU per scored event.
 *
 * <p>Definitions (docs/attack-protection.md repeats them): a campaign is <em>detected</em> when
 * any detection covers one of its events. A detection (an incident, or a risky sign-in) is a
 * <em>true positive</em> when most events it covers are attack events. Campaign-level precision
 * is true-positive detections over all detections; event-level precision is covered attack
 * events over covered events; event-level recall is covered attack events over attack events.
 * A benign user is <em>stepped up</em> when one of their sign-ins scored as risky, <em>blocked</em>
 * when a block refused one of their attempts; rates are over benign users active on the
 * evaluation day.
 */
public final class Evaluation {

  /** The result of a run: the rendered table and the figures tests check. */
  public record Result(String table, double campaignRecall, double campaignPrecision,
      double benignStepUpRate, double benignBlockRate, Map<String, Double> recallByKind,
      double cpuMicrosPerEvent, long maxDetectionSeconds) {}

  /** Lists false alarms after the table (the {@code gatehouse.detect.verbose} property). */
  static final boolean VERBOSE = Boolean.getBoolean("gatehouse.detect.verbose");

  private Evaluation() {}

  /** Runs {@code events} through a fresh engine with {@code settings} and scores what it finds. */
  public static Result run(List<LabeledEvent> events, DetectSettings settings, long evalStart) {
    List<Detection> found = new ArrayList<>();
    DetectionEngine engine = new DetectionEngine(settings, new InMemoryBlockList(100_000),
        found::add);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Set<String> refused = new HashSet<>();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long signInCpu = 0;
    long signIns = 0;
    for (LabeledEvent e : events) {
      boolean signIn = e.event().type().startsWith("login.");
      if (VERBOSE && e.event().type().equals("login.succeeded") && e.event().time() >= evalStart) {
        DetectionEngine.Risk r = engine.assess(e.event().tenant(), e.event().account(),
            e.event().ip(), e.event().userAgent(), e.event().device(), e.event().time());
        System.err.println("score " + (e.attack() ? e.kind() : "benign") + " " + r.score() + " "
            + r.factors());
      }
      long c0 = signIn ? mx.getCurrentThreadCpuTime() : 0;
      if (engine.accept(e.event())) {
        refused.add(e.event().id());
      }
      if (signIn) {
        signInCpu += mx.getCurrentThreadCpuTime() - c0;
        signIns++;
      }
    }
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    engine.finish(events.get(events.size() - 1).event().time());
    return score(events, found, refused, evalStart, cpu / 1000.0 / events.size(),
        signIns == 0 ? 0 : signInCpu / 1000.0 / signIns);
  }

  /** Scores {@code found} against the labels of {@code events}. */
  public static Result score(List<LabeledEvent> events, List<Detection> found,
      Set<String> refused, long evalStart, double cpuPerEvent, double cpuPerSignIn) {
    Map<String, LabeledEvent> byId = new HashMap<>();
    Map<String, List<LabeledEvent>> campaigns = new LinkedHashMap<>();
    Set<String> activeUsers = new HashSet<>();
    for (LabeledEvent e : events) {
      byId.put(e.event().id(), e);
      if (e.attack()) {
        campaigns.computeIfAbsent(e.campaign(), k -> new ArrayList<>()).add(e);
      } else if (e.event().time() >= evalStart && e.event().type().startsWith("login.")) {
        activeUsers.add(e.actor());
      }
    }
    // Merge each detection's lines (open and closed share an id).
    Map<String, Detection> first = new LinkedHashMap<>();
    Map<String, Set<String>> covers = new HashMap<>();
    for (Detection d : found) {
      first.putIfAbsent(d.id(), d);
      covers.computeIfAbsent(d.id(), k -> new HashSet<>()).addAll(d.covers());
    }
    Map<String, Long> detectedAt = new HashMap<>();
    Map<String, int[]> perKindDetections = new TreeMap<>();  // kind -> {tp, all}
    Set<String> covered = new HashSet<>();
    Set<String> steppedUp = new HashSet<>();
    Map<String, long[]> coveredByKind = new TreeMap<>();  // kind -> {attack, benign}
    List<String> falseAlarms = new ArrayList<>();
    for (Map.Entry<String, Detection> d : first.entrySet()) {
      Set<String> c = covers.get(d.getKey());
      int attack = 0;
      long[] ck = coveredByKind.computeIfAbsent(d.getValue().kind(), x -> new long[2]);
      for (String id : c) {
        LabeledEvent e = byId.get(id);
        if (e == null) {
          continue;
        }
        covered.add(id);
        ck[e.attack() ? 0 : 1]++;
        if (e.attack()) {
          attack++;
          // Detected when the detection exists and covers this campaign: not before either.
          detectedAt.merge(e.campaign(), Math.max(d.getValue().time(), e.event().time()),
              Math::min);
        } else if (d.getValue().status().equals("assessed")
            && d.getValue().action().equals("step_up") && e.event().time() >= evalStart) {
          // Over the users active on the evaluation day, so their sign-ins of that day only.
          steppedUp.add(e.actor());
        }
      }
      int[] k = perKindDetections.computeIfAbsent(d.getValue().kind(), x -> new int[2]);
      k[1]++;
      if (attack * 2 > c.size()) {
        k[0]++;
      } else if (falseAlarms.size() < 40) {
        falseAlarms.add(d.getValue().kind() + " " + d.getValue().subject() + " "
            + d.getValue().evidence() + " covers " + c.size());
      }
    }
    Set<String> blockedUsers = new HashSet<>();
    for (String id : refused) {
      LabeledEvent e = byId.get(id);
      if (e != null && !e.attack() && e.actor() != null) {
        blockedUsers.add(e.actor());
      }
    }
    // Per attack kind.
    Map<String, double[]> kinds = new TreeMap<>();  // campaigns, detected, attackEvents, coveredAttack, sumTime, maxTime, sumAttempts, maxAttempts
    long maxSeconds = 0;
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, List<LabeledEvent>> c : campaigns.entrySet()) {
      List<LabeledEvent> ev = c.getValue();
      String kind = ev.get(0).kind();
      double[] k = kinds.computeIfAbsent(kind, x -> new double[8]);
      k[0]++;
      long start = ev.get(0).event().time();
      int coveredHere = 0;
      for (LabeledEvent e : ev) {
        if (covered.contains(e.event().id())) {
          coveredHere++;
        }
      }
      k[2] += ev.size();
      k[3] += coveredHere;
      Long at = detectedAt.get(c.getKey());
      String when = "not detected";
      if (at != null) {
        k[1]++;
        long secs = Math.max(0, at - start);
        int attempts = 0;
        for (LabeledEvent e : ev) {
          if (e.event().time() <= at) {
            attempts++;
          }
        }
        k[4] += secs;
        k[5] = Math.max(k[5], secs);
        k[6] += attempts;
        k[7] = Math.max(k[7], attempts);
        maxSeconds = Math.max(maxSeconds, Math.min(secs, attempts <= 50 ? 0 : secs));
        when = secs + " s, " + attempts + " attempts";
      }
      lines.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s |%n", c.getKey(), kind,
          ev.size(), coveredHere, when));
    }
    long coveredBenign = covered.stream().filter(id -> !byId.get(id).attack()).count();
    StringBuilder t = new StringBuilder();
    t.append("| kind | campaigns | detected | campaign recall | campaign precision | campaign F1"
        + " | event recall | event precision | event F1 | mean / max time to detection |"
        + " mean / max attempts to detection |\n");
    t.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    double[] all = new double[8];
    Map<String, Double> recallByKind = new TreeMap<>();
    int tpAll = 0;
    int detAll = 0;
    for (int[] d : perKindDetections.values()) {
      tpAll += d[0];
      detAll += d[1];
    }
    for (Map.Entry<String, double[]> e : kinds.entrySet()) {
      double[] k = e.getValue();
      for (int i = 0; i < 8; i++) {
        all[i] = i == 5 || i == 7 ? Math.max(all[i], k[i]) : all[i] + k[i];
      }
      int[] d = perKindDetections.getOrDefault(e.getKey(), new int[2]);
      double cr = k[1] / k[0];
      recallByKind.put(e.getKey(), cr);
      double cp = d[1] == 0 ? Double.NaN : (double) d[0] / d[1];
      t.append(row(e.getKey(), k, cr, cp, d, Double.NaN));
    }
    double recall = all[1] / all[0];
    double precision = detAll == 0 ? Double.NaN : (double) tpAll / detAll;
    double eventPrecision = all[3] / (all[3] + coveredBenign);
    t.append(row("**overall**", all, recall, precision, new int[] {tpAll, detAll},
        eventPrecision));
    t.append("\n| detections by kind | true positives | all | attack events covered |"
        + " benign events covered | event precision |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
    perKindDetections.forEach((k, d) -> {
      long[] ck = coveredByKind.get(k);
      t.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.3f |%n", k, d[0], d[1],
          ck[0], ck[1], (double) ck[0] / Math.max(1, ck[0] + ck[1])));
    });
    double stepUp = activeUsers.isEmpty() ? 0 : (double) steppedUp.size() / activeUsers.size();
    double block = activeUsers.isEmpty() ? 0 : (double) blockedUsers.size() / activeUsers.size();
    t.append(String.format(Locale.ROOT, "%nbenign users active on the evaluation day: %d;"
        + " stepped up: %d (%.2f%%); blocked: %d (%.2f%%); benign events covered by a detection:"
        + " %d of %d%n", activeUsers.size(), steppedUp.size(), 100 * stepUp, blockedUsers.size(),
        100 * block, coveredBenign, events.stream().filter(e -> !e.attack()).count()));
    t.append(String.format(Locale.ROOT, "CPU per event fed to the detectors: %.2f µs (sign-in"
        + " events: %.2f µs), %d events%n", cpuPerEvent, cpuPerSignIn, events.size()));
    t.append("\n| campaign | kind | events | covered | first detection |\n"
        + "| --- | --- | ---: | ---: | --- |\n").append(lines);
    if (VERBOSE) {
      falseAlarms.forEach(f -> t.append("false alarm: ").append(f).append('\n'));
    }
    return new Result(t.toString(), recall, precision, stepUp, block, recallByKind, cpuPerEvent,
        maxSeconds);
  }

  private static String row(String name, double[] k, double cr, double cp, int[] d,
      double eventPrecisionOverride) {
    double cf = f1(cr, cp);
    double er = k[2] == 0 ? Double.NaN : k[3] / k[2];
    double ep = Double.isNaN(eventPrecisionOverride) ? Double.NaN : eventPrecisionOverride;
    return String.format(Locale.ROOT,
        "| %s | %d | %d | %.3f | %s | %s | %.3f | %s | %s | %s / %d s | %s / %d |%n", name,
        (int) k[0], (int) k[1], cr, fmt(cp), fmt(cf), er, fmt(ep), fmt(f1(er, ep)),
        k[1] == 0 ? "-" : Long.toString(Math.round(k[4] / k[1])), (long) k[5],
        k[1] == 0 ? "-" : Long.toString(Math.round(k[6] / k[1])), (long) k[7]);
  }

  private static double f1(double r, double p) {
    return Double.isNaN(r) || Double.isNaN(p) || r + p == 0 ? Double.NaN : 2 * r * p / (r + p);
  }

  private static String fmt(double x) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.3f", x);
  }
}
