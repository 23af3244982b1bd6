package dev.gatehouse.server.detect;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The detectors: fed every security event ({@link #accept}), asked on the sign-in path whether an
 * attempt is blocked ({@link #blocked}) and how risky a sign-in is ({@link #assess}). Online and
 * offline ({@code gatehouse detect replay}) run this same class; it reads time only from the
 * events, never from a clock, so a replay decides what the server decided.
 *
 * <p>State is per tenant ({@link TenantState}, bounded LRUs and sketches) and guarded by the
 * tenant's lock; tenants beyond {@code maxTenants} are forgotten least recently used first.
 * Detectors are in {@link SignInDetectors}, {@link TokenDetectors} and {@link ProbingDetector}.
 */
public final class DetectionEngine {

  /** A sign-in's risk: its score, the factors it is made of, and whether to step up. */
  public record Risk(double score, Map<String, Object> factors, boolean stepUp) {}

  private final DetectSettings settings;
  private final BlockList blocks;
  private final Consumer<Detection> out;
  private final Sketches.Lru<String, TenantState> tenants;
  private final SignInDetectors signIns;
  private final TokenDetectors tokens;
  private final ProbingDetector probing;
  private long sequence;

  /** An engine writing what it finds to {@code out}, applying blocks to {@code blocks}. */
  public DetectionEngine(DetectSettings settings, BlockList blocks, Consumer<Detection> out) {
    this.settings = settings;
    this.blocks = blocks;
    this.out = out;
    this.tenants = new Sketches.Lru<>(settings.maxTenants());
    this.signIns = new SignInDetectors(this, settings);
    this.tokens = new TokenDetectors(this, settings);
    this.probing = new ProbingDetector(this, settings);
  }

  public DetectSettings settings() {
    return settings;
  }

  public BlockList blocks() {
    return blocks;
  }

  private TenantState state(String tenant) {
    synchronized (tenants) {
      return tenants.get(tenant, t -> new TenantState(t, settings.maxAccounts(),
          settings.learnAfterSeconds()));
    }
  }

  /**
   * Feeds one event to the detectors. Returns true when a block in force at the event's time
   * would have refused it (a replay then skips it, as the server would never have written it).
   */
  public boolean accept(Observation o) {
    TenantState t = state(o.tenant());
    synchronized (t) {
      for (Incident i : t.idle(o.time(), settings.quietSeconds())) {
        i.thaw();
        emit(t, i, "closed", o.time(), i.score);
      }
      boolean signIn = o.type().equals("login.failed") || o.type().equals("login.succeeded");
      if (signIn && blockedLocked(t, o.ip(), o.account(), o.time()).isPresent()) {
        return true;
      }
      switch (o.type()) {
        case "login.failed" -> signIns.failed(t, o);
        case "login.succeeded" -> signIns.succeeded(t, o);
        case "account.locked" -> signIns.locked(t, o);
        case "mfa.verified" -> signIns.verified(t, o);
        case "token.issued" -> tokens.issued(t, o);
        case "refresh.reused" -> tokens.reused(t, o);
        case "policy.decision" -> probing.decided(t, o);
        default -> { }
      }
      return false;
    }
  }

  /** Closes every open incident (the end of a replay). */
  public void finish(long time) {
    List<TenantState> all;
    synchronized (tenants) {
      all = new ArrayList<>(tenants.values());
    }
    for (TenantState t : all) {
      synchronized (t) {
        for (Incident i : t.idle(Long.MAX_VALUE / 2, 0)) {
          emit(t, i, "closed", time, i.score);
        }
      }
    }
  }

  /** The state kept for {@code tenant}, or null when none is (what tests look at). */
  TenantState stateIfAny(String tenant) {
    synchronized (tenants) {
      return tenants.get(tenant);
    }
  }

  /** The block that refuses a sign-in attempt at {@code account} from {@code ip}, if any. */
  public Optional<Block> blocked(String tenant, String ip, String account, long now) {
    TenantState t = state(tenant);
    synchronized (t) {
      return blockedLocked(t, ip, account, now);
    }
  }

  private Optional<Block> blockedLocked(TenantState t, String ip, String account, long now) {
    if (ip != null) {
      Optional<Block> b = blocks.find(t.tenant, "ip", ip, now);
      if (b.isEmpty()) {
        b = blocks.find(t.tenant, "subnet", Network.subnet(ip), now);
      }
      if (b.isPresent()) {
        return b;
      }
    }
    if (account != null) {
      Optional<Block> b = blocks.find(t.tenant, "account", account, now);
      // An account is blocked only from networks it has not used: its owner still gets in.
      RiskModel r = t.riskIfAny();
      RiskModel.Profile p = r == null ? null : r.profile(account);
      if (b.isPresent() && (p == null || !p.knows(Network.subnet(ip)))) {
        return b;
      }
    }
    return Optional.empty();
  }

  /**
   * The risk of a sign-in to {@code account} (the name's hash) from {@code ip} with
   * {@code userAgent} and {@code device} at {@code time}: what the login page asks after the
   * password was right. Cheap: a few hash lookups under the tenant's lock.
   */
  public Risk assess(String tenant, String account, String ip, String userAgent, String device,
      long time) {
    TenantState t = state(tenant);
    synchronized (t) {
      return assessLocked(t, account, ip, userAgent, device, time);
    }
  }

  Risk assessLocked(TenantState t, String account, String ip, String userAgent, String device,
      long time) {
    Map<String, Object> factors = RiskModel.newFactors();
    double score = t.risk().score(account, RiskModel.features(ip, userAgent, device), time,
        hour(time), factors);
    // A success right after a wave of failures from strange networks on this account.
    if (account != null) {
      TenantState.Account a = t.accounts.get(account);
      if (a != null) {
        a.strangeFailures.advance(time);
        if (a.strangeFailures.recent(2) >= 3) {
          score += 1.5;
          factors.put("failure_wave", 1.5);
        }
      }
    }
    // From an address an open incident is coming from.
    if (t.attacking(ip, 2)) {
      score += 3;
      factors.put("attack_source", 3.0);
    }
    ResponsePolicy policy = settings.policyOf(t.tenant);
    return new Risk(RiskModel.round(score), factors,
        score >= settings.stepUpScore() && policy.stepsUp());
  }

  static int hour(long time) {
    return Instant.ofEpochSecond(time).atZone(ZoneOffset.UTC).getHour();
  }

  // Incidents, shared by the detectors.

  /** Opens (or returns) the incident of {@code kind} about {@code subject}. */
  Incident open(TenantState t, String kind, String subject, long time, double score,
      Map<String, Object> evidence) {
    Incident i = t.incident(kind, subject);
    if (i != null) {
      i.score = Math.max(i.score, score);
      return i;
    }
    i = new Incident(t.tenant + "-" + kind + "-" + time + "-" + (++sequence), kind, subject,
        time, score);
    i.evidence.putAll(evidence);
    t.incidents.put(kind + "|" + subject, i);
    return i;
  }

  /** Announces a just opened incident (after its first events were covered) and responds. */
  void announce(TenantState t, Incident i, long time) {
    emit(t, i, "open", time, i.score);
    respond(t, i, time);
  }

  /** Blocks what {@code i} names, when the tenant's policy blocks. */
  void respond(TenantState t, Incident i, long time) {
    if (!settings.policyOf(t.tenant).blocks()) {
      return;
    }
    long until = time + settings.blockSeconds();
    if (i.subject.startsWith("account:")) {
      blocks.add(new Block(t.tenant, "account", i.subject.substring(8), until, i.kind, i.id));
    }
    if (i.subject.startsWith("ip:")) {
      blocks.add(new Block(t.tenant, "ip", i.subject.substring(3), until, i.kind, i.id));
    }
    if (i.kind.equals("credential_stuffing") || i.kind.equals("password_spraying")
        || i.kind.equals("brute_force")) {
      Map<String, int[]> perSubnet = new java.util.HashMap<>();
      for (String ip : i.topSources(3, 50)) {
        blocks.add(new Block(t.tenant, "ip", ip, until, i.kind, i.id));
        perSubnet.computeIfAbsent(Network.subnet(ip), k -> new int[1])[0]++;
      }
      perSubnet.forEach((subnet, n) -> {
        if (n[0] >= 3) {
          blocks.add(new Block(t.tenant, "subnet", subnet, until, i.kind, i.id));
        }
      });
    }
  }

  /** Emits a risk assessment of one sign-in event. */
  void assessed(TenantState t, Observation o, Risk r) {
    ResponsePolicy p = settings.policyOf(t.tenant);
    Map<String, Object> evidence = new java.util.LinkedHashMap<>(r.factors());
    evidence.put("threshold", settings.stepUpScore());
    out.accept(new Detection(t.tenant + "-risk-" + (o.id() != null ? o.id() : ++sequence),
        t.tenant, "account_takeover", "assessed", o.time(),
        o.account() == null ? "tenant" : "account:" + o.account(), r.score(),
        r.stepUp() ? "step_up" : p.notifies() ? "notify" : "none", evidence,
        o.id() == null ? List.of() : List.of(o.id())));
  }

  private void emit(TenantState t, Incident i, String status, long time, double score) {
    ResponsePolicy p = settings.policyOf(t.tenant);
    String action = p.blocks() ? "block" : p.stepsUp() ? "step_up" : p.notifies() ? "notify"
        : "none";
    out.accept(new Detection(i.id, t.tenant, i.kind, status, time, i.subject,
        RiskModel.round(score), action, i.evidence(), List.copyOf(i.covers)));
  }
}
