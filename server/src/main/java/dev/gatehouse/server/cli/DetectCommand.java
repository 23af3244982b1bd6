package dev.gatehouse.server.cli;

import dev.gatehouse.server.detect.DetectSettings;
import dev.gatehouse.server.detect.Evaluation;
import dev.gatehouse.server.detect.LabeledEvent;
import dev.gatehouse.server.detect.Observation;
import dev.gatehouse.server.detect.Replay;
import dev.gatehouse.server.detect.ResponsePolicy;
import dev.gatehouse.server.detect.TrafficSimulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gatehouse detect replay|simulate|evaluate|blocks}: the attack detectors offline, the
 * labelled-traffic benchmark, and the blocks of a running server (docs/attack-protection.md).
 */
@Command(name = "detect", description = "Attack detection: replay events offline, benchmark,"
    + " list and clear blocks.", subcommands = {DetectCommand.ReplayCmd.class,
        DetectCommand.Simulate.class, DetectCommand.Evaluate.class, DetectCommand.Online.class,
        DetectCommand.Blocks.class})
final class DetectCommand {

  @ParentCommand
  Main main;

  @Command(name = "replay", description = "Run the detectors over an NDJSON event file (what"
      + " `events tail` prints; - for stdin); print one NDJSON detection per line.")
  static final class ReplayCmd implements Callable<Integer> {
    @Parameters(paramLabel = "FILE")
    String file;

    @Option(names = "--tenant", description = "Tenant of lines without one (default: default).")
    String tenant = "default";

    @Option(names = "--policy", description = "Response policy: allow, notify, step-up"
        + " (default), block.")
    String policy = "step-up";

    @Override
    public Integer call() throws Exception {
      DetectSettings s = DetectSettings.DEFAULTS.withDefaultPolicy(ResponsePolicy.of(policy));
      try (BufferedReader in = file.equals("-")
          ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
          : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
        Replay.Summary sum = Replay.run(in, System.out, tenant, s);
        System.err.printf("%d events read, %d lines skipped, %d detections%n", sum.events(),
            sum.skipped(), sum.detections());
      }
      return 0;
    }
  }

  @Command(name = "simulate", description = "Write labelled simulated traffic as NDJSON events"
      + " (each line with a `label`).")
  static final class Simulate implements Callable<Integer> {
    @Option(names = "--users", description = "Benign users (default 1000).")
    int users = 1000;

    @Option(names = "--seed", description = "Random seed (default 42).")
    long seed = 42;

    @Option(names = "--out", required = true)
    Path out;

    @Override
    public Integer call() throws Exception {
      TrafficSimulator sim = new TrafficSimulator(new TrafficSimulator.Size(users, 7, 20, 100,
          seed));
      try (PrintStream p = new PrintStream(Files.newOutputStream(out), false,
          StandardCharsets.UTF_8)) {
        for (LabeledEvent e : sim.run()) {
          p.println(Replay.eventLine(e, true));
        }
      }
      return 0;
    }
  }

  /** The two durations bench/detect-online.sh compresses on the nodes (2 s and 60 s there). */
  static final class Durations {
    @Option(names = "--learn-after-seconds", description = "detect.learn-after-seconds (default"
        + " 3600).")
    long learnAfter = DetectSettings.DEFAULTS.learnAfterSeconds();

    @Option(names = "--quiet-seconds", description = "detect.quiet-seconds (default 600).")
    long quiet = DetectSettings.DEFAULTS.quietSeconds();
  }

  @Command(name = "evaluate", description = "Simulate labelled traffic, run the detectors over"
      + " it and print precision, recall, F1, benign step-up and block rates, time to"
      + " detection and CPU per event (a Markdown table).")
  static final class Evaluate implements Callable<Integer> {
    @Option(names = "--users", description = "Benign users (default 1000).")
    int users = 1000;

    @Option(names = "--seed", description = "Random seeds (default 42); repeatable.")
    List<Long> seeds = List.of(42L);

    @Option(names = "--warmup-days", description = "Simulated days of history before the"
        + " evaluation day (default 7; `detect online` uses 2).")
    int warmupDays = 7;

    @Option(names = "--clients", description = "OAuth clients fetching tokens (default 20).")
    int clients = 20;

    @Option(names = "--policy", description = "Response policy (default step-up).")
    String policy = "step-up";

    @Option(names = "--surprise", description = "Incident threshold, -log10 P (default 6).")
    double surprise = DetectSettings.DEFAULTS.surprise();

    @Option(names = "--step-up-score", description = "Risk score that steps up (default 3).")
    double stepUp = DetectSettings.DEFAULTS.stepUpScore();

    @Option(names = "--speed", description = "Compress time as `detect online --speed` does:"
        + " simulated seconds per second of the detectors' clock (default 1: none).")
    double speed = 1;

    @Mixin
    Durations durations;

    @Option(names = "--driven-only", description = "Only the events `detect online` drives:"
        + " sign-ins and tokens (no refresh reuse, no decisions).")
    boolean drivenOnly;

    @Override
    public Integer call() {
      DetectSettings s = DetectSettings.DEFAULTS.withDefaultPolicy(ResponsePolicy.of(policy))
          .withThresholds(surprise, stepUp).withDurations(durations.quiet, durations.learnAfter);
      for (long seed : seeds) {
        TrafficSimulator sim = new TrafficSimulator(new TrafficSimulator.Size(users, warmupDays,
            clients, 100, seed));
        List<LabeledEvent> events = sim.run();
        long start = events.get(0).event().time();
        events = asDriven(events, start);
        Evaluation.Result r = Evaluation.run(events, s, compress(sim.evalStart(), start));
        System.out.println("### seed " + seed + ", " + users + " users, policy " + policy);
        System.out.println();
        System.out.println(r.table());
      }
      return 0;
    }

    /**
     * {@code events} as a detector behind {@code detect online} sees them: only the driven types
     * (with {@code --driven-only}), at the time of a clock that runs {@code speed} times faster
     * than simulated time from {@code start} on, in whole seconds as the events' times are.
     */
    private List<LabeledEvent> asDriven(List<LabeledEvent> events, long start) {
      List<LabeledEvent> out = new java.util.ArrayList<>(events.size());
      for (LabeledEvent e : events) {
        Observation o = e.event();
        if (drivenOnly && !o.type().equals("login.failed")
            && !o.type().equals("login.succeeded") && !o.type().equals("token.issued")) {
          continue;
        }
        out.add(speed == 1 ? e : new LabeledEvent(new Observation(o.id(), o.tenant(), o.type(),
            compress(o.time(), start), o.ip(), o.userAgent(), o.device(), o.account(),
            o.userId(), o.clientId(), o.principal(), o.resource(), o.deny()), e.campaign(),
            e.kind(), e.actor()));
      }
      return out;
    }

    private long compress(long time, long start) {
      return start + (long) Math.floor((time - start) / speed);
    }
  }

  @Command(name = "online", description = "Drive simulated labelled traffic through running"
      + " servers (real sign-ins and token requests), then score their own detections.")
  static final class Online implements Callable<Integer> {
    @ParentCommand
    DetectCommand parent;

    @Option(names = "--node", required = true, description = "A node's base URL; repeatable"
        + " (requests go to each in turn).")
    List<String> nodes;

    @Option(names = "--tenant", description = "Tenant to create and use (default sim).")
    String tenant = "sim";

    @Option(names = "--users", description = "Benign users (default 100).")
    int users = 100;

    @Option(names = "--warmup-days", description = "Simulated days of history (default 2).")
    int warmupDays = 2;

    @Option(names = "--clients", description = "OAuth clients fetching tokens (default 2).")
    int clients = 2;

    @Option(names = "--speed", description = "Simulated seconds per real second (default 600).")
    double speed = 600;

    @Option(names = "--seed", description = "Random seed (default 42).")
    long seed = 42;

    /** The nodes' durations, for the one-engine replay of their events. */
    @Mixin
    Durations durations;

    @Override
    public Integer call() throws Exception {
      // 100 principals, as `detect evaluate`: their decisions are not driven, but the campaigns
      // are drawn after them, so with another count the victims and addresses differ and the
      // offline run is no longer the same traffic.
      System.out.println(new DetectOnline(parent.main.admin(), nodes, tenant, speed,
          DetectSettings.DEFAULTS.withDurations(durations.quiet, durations.learnAfter)).run(
          new TrafficSimulator.Size(users, warmupDays, clients, 100, seed)));
      return 0;
    }
  }

  @Command(name = "blocks", description = "List or clear a tenant's blocks on a running server.",
      subcommands = {Blocks.ListBlocks.class, Blocks.Clear.class})
  static final class Blocks {
    @ParentCommand
    DetectCommand parent;

    @Command(name = "list", description = "Active blocks: addresses, subnets, accounts.")
    static final class ListBlocks implements Callable<Integer> {
      @ParentCommand
      Blocks parent;

      @Option(names = "--tenant", required = true)
      String tenant;

      @Override
      public Integer call() throws Exception {
        AdminClient.print(parent.parent.main.admin().call("GET",
            "/admin/v1/tenants/" + tenant + "/blocks", null));
        return 0;
      }
    }

    @Command(name = "clear", description = "Clear one block (its id, e.g. ip:203.0.113.7) or"
        + " all (--all).")
    static final class Clear implements Callable<Integer> {
      @ParentCommand
      Blocks parent;

      @Option(names = "--tenant", required = true)
      String tenant;

      @Parameters(paramLabel = "ID", arity = "0..1")
      String id;

      @Option(names = "--all", description = "Clear every block of the tenant.")
      boolean all;

      @Override
      public Integer call() throws Exception {
        if (all == (id != null)) {
          System.err.println("give a block id or --all");
          return 2;
        }
        String path = "/admin/v1/tenants/" + tenant + "/blocks" + (all ? ""
            : "/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8));
        AdminClient.print(parent.parent.main.admin().call("DELETE", path, null));
        return 0;
      }
    }
  }
}
