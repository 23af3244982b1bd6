package dev.gatehouse.server.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Labelled identity traffic for measuring the detectors (docs/attack-protection.md, "How it was
 * measured"): a week of benign habits to learn from, then a day of benign traffic with attack
 * campaigns of every kind at several intensities, as the events the server would write.
 *
 * <p>Benign users have a home network (whose address moves to another subnet of the same ISP now
 * and then), some a shared office address on weekdays, many a mobile carrier (a new address and
 * often a new /24 each time), one to three devices whose browser versions update, habitual hours
 * in their own time zone, and make typos (a wrong password, sometimes a wrong username), forget
 * passwords, travel, and buy new devices. Clients fetch tokens at their own diurnal rate from
 * their own subnets; principals ask for decisions about their usual resources.
 *
 * <p>The server's own lockout is modelled (10 failures of a name in 15 minutes lock it for 15
 * minutes, 100 failures of an address in 10 minutes cap it): refused attempts write no event, as
 * on the server. Deterministic for a seed.
 */
public final class TrafficSimulator {

  /** The size of the simulation. */
  public record Size(int users, int warmupDays, int clients, int principals, long seed) {
    public static final Size DEFAULT = new Size(1000, 7, 20, 100, 42);
  }

  static final String TENANT = "acme";
  static final long START = 1_793_491_200L;  // 2026-11-01T00:00:00Z, a Sunday

  private final Size size;
  private final SplittableRandom rnd;
  private final List<LabeledEvent> out = new ArrayList<>();
  private final List<User> users = new ArrayList<>();
  private final Map<String, long[]> nameFailures = new HashMap<>();
  private final Map<String, long[]> ipFailures = new HashMap<>();
  private long seq;
  private final long evalStart;
  private final long evalEnd;

  private static final String[] DESKTOP = {
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/%d.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/%d.1 Safari/605.1.15",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%d.0) Gecko/20100101 Firefox/%d.0",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/%d.0.0.0 Safari/537.36"};
  private static final String[] MOBILE = {
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/%d.0.0.0 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 Chrome/%d.0.0.0 Mobile Safari/537.36"};
  private static final String[] TOOLS = {"python-requests/2.%d.0", "curl/8.%d.0",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/%d.0.0.0 Safari/537.36",
      "Go-http-client/1.1", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_%d like Mac OS X)"};

  private final class User {
    final int n;
    final String name;
    final int isp;
    String home;
    final String office;
    final int carrier;
    final List<String[]> devices = new ArrayList<>();  // {ua template, device id, is mobile}
    final double rate;
    final int zone;
    final double mobileShare;
    boolean travelling;
    String hotelSubnet;

    User(int n) {
      this.n = n;
      this.name = hash("user-" + n);
      this.isp = rnd.nextInt(40);
      this.home = "81." + isp + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
      this.office = rnd.nextDouble() < 0.4 ? "198.51." + (100 + rnd.nextInt(12)) + ".10" : null;
      this.carrier = rnd.nextInt(3);
      this.rate = 0.3 + rnd.nextDouble() * 2.5;
      this.zone = -8 + rnd.nextInt(11);
      this.mobileShare = rnd.nextDouble() < 0.5 ? 0.1 + rnd.nextDouble() * 0.5 : 0;
      devices.add(new String[] {DESKTOP[rnd.nextInt(DESKTOP.length)], id(), "0"});
      if (mobileShare > 0 || rnd.nextDouble() < 0.5) {
        devices.add(new String[] {MOBILE[rnd.nextInt(MOBILE.length)], id(), "1"});
      }
    }
  }

  public TrafficSimulator(Size size) {
    this.size = size;
    this.rnd = new SplittableRandom(size.seed());
    this.evalStart = START + size.warmupDays() * 86_400L;
    this.evalEnd = evalStart + 86_400L;
  }

  /** All events, in time order. */
  public List<LabeledEvent> run() {
    for (int i = 0; i < size.users(); i++) {
      users.add(new User(i));
    }
    // Evaluation-day habits that look new: travel and new devices.
    for (User u : users) {
      if (rnd.nextDouble() < 0.03) {
        u.travelling = true;
        u.hotelSubnet = (150 + rnd.nextInt(50)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
      }
    }
    List<long[]> logins = new ArrayList<>();
    for (User u : users) {
      for (long day = START; day < evalEnd; day += 86_400) {
        int count = poisson(u.rate);
        for (int k = 0; k < count; k++) {
          logins.add(new long[] {day + habitualSecond(u), u.n});
        }
      }
    }
    logins.sort(Comparator.comparingLong(a -> a[0]));
    for (long[] l : logins) {
      benignLogin(users.get((int) l[1]), l[0]);
    }
    clients();
    principals();
    campaigns();
    out.sort(Comparator.comparingLong(e -> e.event().time()));
    return out;
  }

  public long evalStart() {
    return evalStart;
  }

  /** The benign users' account names (hashed), by user number: to create them on a server. */
  public List<String> userNames() {
    return users.stream().map(u -> u.name).toList();
  }

  // Benign sign-ins.

  private long habitualSecond(User u) {
    double r = rnd.nextDouble();
    double localHour = r < 0.35 ? 7 + rnd.nextDouble() * 3 : r < 0.6 ? 12 + rnd.nextDouble() * 2
        : r < 0.95 ? 18 + rnd.nextDouble() * 4.5 : rnd.nextDouble() * 24;
    double utc = ((localHour - u.zone) % 24 + 24) % 24;
    return (long) (utc * 3600);
  }

  private void benignLogin(User u, long t) {
    boolean eval = t >= evalStart;
    if (eval && u.n % 10 == 0 && rnd.nextDouble() < 0.3) {
      // A new phone or a new laptop: new device cookie, maybe another browser family.
      u.devices.add(new String[] {rnd.nextBoolean() ? MOBILE[rnd.nextInt(MOBILE.length)]
          : DESKTOP[rnd.nextInt(DESKTOP.length)], id(), "1"});
    }
    if (rnd.nextDouble() < 0.01) {
      // The home address moved within the ISP.
      u.home = "81." + u.isp + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
    }
    String[] dev = u.devices.get(rnd.nextInt(u.devices.size()));
    if (eval && u.devices.size() > 2 && rnd.nextDouble() < 0.7) {
      dev = u.devices.get(u.devices.size() - 1);
    }
    long day = (t - START) / 86_400;
    boolean weekday = (day % 7) >= 1 && (day % 7) <= 5;
    String ip;
    if (eval && u.travelling) {
      ip = u.hotelSubnet + "." + (1 + rnd.nextInt(254));
    } else if (dev[2].equals("1") && rnd.nextDouble() < Math.max(u.mobileShare, 0.3)) {
      ip = "100." + (64 + u.carrier) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
    } else if (u.office != null && weekday && rnd.nextDouble() < 0.6) {
      ip = u.office;
    } else {
      ip = u.home;
    }
    String device = rnd.nextDouble() < 0.02 ? id() : dev[1];  // cookies cleared now and then
    String ua = agent(dev[0], (int) (100 + day / 30 + rnd.nextInt(2)));
    String actor = "user-" + u.n;
    double r = rnd.nextDouble();
    long at = t;
    if (r < 0.002) {
      // Forgot the password: many tries, then the right one.
      int tries = 6 + rnd.nextInt(7);
      for (int i = 0; i < tries; i++) {
        at += 5 + rnd.nextInt(40);
        attempt(at, ip, ua, device, u.name, false, null, null, actor);
      }
    } else if (r < 0.10) {
      attempt(at, ip, ua, device, u.name, false, null, null, actor);
      at += 5 + rnd.nextInt(20);
      if (r < 0.02) {
        attempt(at, ip, ua, device, u.name, false, null, null, actor);
        at += 5 + rnd.nextInt(20);
      }
    } else if (r < 0.106) {
      // A typo in the username: an unknown name.
      attempt(at, ip, ua, device, hash("typo-" + u.n + "-" + rnd.nextInt(1000)), false, null,
          null, actor);
      at += 5 + rnd.nextInt(20);
    }
    attempt(at + 3, ip, ua, device, u.name, true, null, null, actor);
  }

  /**
   * One password attempt through the modelled lockout: writes login.failed / login.succeeded
   * (and account.locked), or nothing when refused.
   */
  private void attempt(long t, String ip, String ua, String device, String name, boolean ok,
      String campaign, String kind, String actor) {
    long[] nf = nameFailures.computeIfAbsent(name, k -> new long[3]);  // window start, count, lock
    long[] ipf = ipFailures.computeIfAbsent(ip, k -> new long[2]);
    if (nf[2] > t || (t - ipf[0] < 600 && ipf[1] >= 100)) {
      return;
    }
    if (ok) {
      nf[1] = 0;
      emit(t, "login.succeeded", ip, ua, device, name, null, null, false, campaign, kind, actor);
      return;
    }
    if (t - nf[0] > 900) {
      nf[0] = t;
      nf[1] = 0;
    }
    if (t - ipf[0] > 600) {
      ipf[0] = t;
      ipf[1] = 0;
    }
    nf[1]++;
    ipf[1]++;
    emit(t, "login.failed", ip, ua, device, name, null, null, false, campaign, kind, actor);
    if (nf[1] >= 10) {
      nf[2] = t + 900;
      nf[1] = 0;
      emit(t, "account.locked", ip, null, null, name, null, null, false, campaign, kind, actor);
    }
  }

  // Benign clients and principals.

  private void clients() {
    for (int c = 0; c < size.clients(); c++) {
      double perMinute = 0.1 + rnd.nextDouble() * 3;
      String[] subnets = new String[1 + rnd.nextInt(3)];
      for (int i = 0; i < subnets.length; i++) {
        subnets[i] = "203.0." + (c * 4 + i) % 256;
      }
      for (long m = START; m < evalEnd; m += 60) {
        double hour = ((m - START) % 86_400) / 3600.0;
        double diurnal = 0.5 + 0.5 * Math.sin((hour - 8) / 24 * 2 * Math.PI) + 0.2;
        int n = poisson(perMinute * diurnal);
        for (int k = 0; k < n; k++) {
          String ip = subnets[rnd.nextInt(subnets.length)] + "." + (1 + rnd.nextInt(20));
          emit(m + rnd.nextInt(60), "token.issued", ip, null, null, null, "client-" + c, null,
              false, null, null, "client-" + c);
        }
      }
    }
    for (long m = START; m < evalEnd; m += 3600) {
      if (rnd.nextDouble() < 0.03) {
        emit(m + rnd.nextInt(3600), "refresh.reused", "81.1.1." + rnd.nextInt(255), null, null,
            null, "client-" + rnd.nextInt(size.clients()), null, false, null, null, "refresh");
      }
    }
  }

  private void principals() {
    for (int p = 0; p < size.principals(); p++) {
      int usual = 10 + rnd.nextInt(40);
      double perHour = 0.5 + rnd.nextDouble() * 4;
      for (long h = START; h < evalEnd; h += 3600) {
        int n = poisson(perHour);
        for (int k = 0; k < n; k++) {
          boolean explore = rnd.nextDouble() < 0.03;
          String res = explore ? "Doc::\"d" + rnd.nextInt(100_000) + "\""
              : "Doc::\"p" + p + "-" + rnd.nextInt(usual) + "\"";
          boolean deny = rnd.nextDouble() < (explore ? 0.5 : 0.05);
          emit(h + rnd.nextInt(3600), "policy.decision", null, null, null, null, null,
              "User::\"u" + p + "\"|" + res, deny, null, null, "principal-" + p);
        }
      }
    }
  }

  // Attack campaigns.

  private void campaigns() {
    long t = evalStart + 1800;
    long gap = 86_400 / 24;
    stuffing("stuffing-fast", t, 2000, 0.1, 20, true);
    stuffing("stuffing-medium", t += gap, 600, 1, 200, false);
    stuffing("stuffing-slow-distributed", t += gap, 300, 20, 0, false);
    spraying("spraying-fast", t += gap, 400, 0.33, 5);
    spraying("spraying-slow", t += gap, 250, 60, 50);
    spraying("spraying-slow-distributed", t += gap, 200, 30, 0);
    bruteForce("bruteforce-single-ip", t += gap, 540, 10, true);
    bruteForce("bruteforce-distributed", t += gap, 400, 5, false);
    bruteForce("bruteforce-slow-distributed", t += gap, 180, 60, false);
    for (int i = 0; i < 12; i++) {
      takeover("takeover-" + i, t + gap + i * 1500L);
    }
    t += 2 * gap;
    tokenAbuse("token-abuse-fast", t += gap, 3000, 0.2, 3);
    tokenAbuse("token-abuse-slow", t += gap, 200, 30, 20);
    refreshBurst("refresh-reuse-burst", t += gap, 30, 4);
    refreshBurst("refresh-reuse-slow", t += gap, 15, 120);
    probing("probing-fast", t += gap, 200, 0.5);
    probing("probing-slow", t += gap, 80, 30);
  }

  private String attackerIp(String campaign, int pool, int i) {
    if (pool == 0) {
      // Residential proxies: a fresh address in a random subnet every time.
      return (20 + rnd.nextInt(180)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "."
          + (1 + rnd.nextInt(254));
    }
    int k = i % pool;
    return "45." + (Math.abs(campaign.hashCode()) % 200) + "." + (k / 50) + "." + (10 + k % 50);
  }

  private void stuffing(String id, long t0, int attempts, double every, int pool,
      boolean sameTool) {
    String ua = agent(TOOLS[rnd.nextInt(TOOLS.length)], 120);
    for (int i = 0; i < attempts; i++) {
      long t = t0 + (long) (i * every);
      String name;
      boolean real = rnd.nextDouble() < 0.15;
      name = real ? users.get(rnd.nextInt(users.size())).name : hash(id + "-" + i);
      boolean ok = real && rnd.nextDouble() < 0.02;
      attempt(t, attackerIp(id, pool, i), sameTool ? ua : agent(TOOLS[rnd.nextInt(TOOLS.length)],
          110 + rnd.nextInt(20)), null, name, ok, id, "credential_stuffing", null);
    }
  }

  private void spraying(String id, long t0, int accounts, double every, int pool) {
    String ua = agent(DESKTOP[rnd.nextInt(DESKTOP.length)], 118);
    int i = 0;
    for (int round = 0; round < 2; round++) {
      for (int a = 0; a < accounts / 2; a++, i++) {
        User u = users.get((a * 7 + 3) % users.size());
        long t = t0 + (long) (i * every);
        attempt(t, attackerIp(id, pool, i), ua, null, u.name, rnd.nextDouble() < 0.01, id,
            "password_spraying", null);
      }
    }
  }

  private void bruteForce(String id, long t0, int attempts, double every, boolean oneIp) {
    User victim = users.get(rnd.nextInt(users.size()));
    String ua = agent(TOOLS[rnd.nextInt(TOOLS.length)], 120);
    for (int i = 0; i < attempts; i++) {
      attempt(t0 + (long) (i * every), oneIp ? attackerIp(id, 1, 0) : attackerIp(id, 0, i), ua,
          null, victim.name, false, id, "brute_force", null);
    }
  }

  private void takeover(String id, long t0) {
    User victim = users.get(rnd.nextInt(users.size()));
    String ip = rnd.nextBoolean() ? attackerIp(id, 1, 0) : attackerIp(id, 0, 0);
    // Half the attackers copy the victim's browser family; none has its device cookie.
    String ua = rnd.nextBoolean() ? agent(victim.devices.get(0)[0], 130)
        : agent(DESKTOP[rnd.nextInt(DESKTOP.length)], 125);
    long t = t0 + rnd.nextInt(3600);
    int logins = 1 + rnd.nextInt(2);
    for (int i = 0; i < logins; i++) {
      attempt(t + i * 600L, ip, ua, id(), victim.name, true, id, "account_takeover", null);
    }
  }

  private void tokenAbuse(String id, long t0, int tokens, double every, int subnets) {
    String client = "client-" + rnd.nextInt(size.clients());
    for (int i = 0; i < tokens; i++) {
      String ip = "185." + (10 + i % subnets) + "." + (Math.abs(id.hashCode()) % 250) + "."
          + (1 + rnd.nextInt(250));
      emit(t0 + (long) (i * every), "token.issued", ip, null, null, null, client, null, false,
          id, "token_abuse", null);
    }
  }

  private void refreshBurst(String id, long t0, int reuses, double every) {
    for (int i = 0; i < reuses; i++) {
      emit(t0 + (long) (i * every), "refresh.reused", "45.9.9." + (i % 200), null, null, null,
          "client-" + rnd.nextInt(size.clients()), null, false, id, "token_abuse", null);
    }
  }

  private void probing(String id, long t0, int denies, double every) {
    String principal = "User::\"u" + rnd.nextInt(size.principals()) + "\"";
    for (int i = 0; i < denies; i++) {
      emit(t0 + (long) (i * every), "policy.decision", null, null, null, null, null,
          principal + "|Doc::\"secret-" + i + "\"", true, id, "authorization_probing", null);
    }
  }

  // Helpers.

  private void emit(long t, String type, String ip, String ua, String device, String account,
      String client, String principalResource, boolean deny, String campaign, String kind,
      String actor) {
    String principal = null;
    String resource = null;
    if (principalResource != null) {
      int bar = principalResource.indexOf('|');
      principal = principalResource.substring(0, bar);
      resource = principalResource.substring(bar + 1);
    }
    Observation o = new Observation("sim-" + (++seq), TENANT, type, t, ip, ua, device, account,
        null, client, principal, resource, deny);
    out.add(new LabeledEvent(o, campaign, kind, actor));
  }

  private String agent(String template, int version) {
    return template.replace("%d", Integer.toString(version));
  }

  private String id() {
    return Long.toHexString(rnd.nextLong());
  }

  private static String hash(String s) {
    return Long.toHexString(Sketches.hash("name:" + s)) + Long.toHexString(Sketches.hash(s));
  }

  private int poisson(double lambda) {
    double l = Math.exp(-lambda);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l);
    return k - 1;
  }
}
