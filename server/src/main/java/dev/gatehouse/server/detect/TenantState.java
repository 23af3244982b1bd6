package dev.gatehouse.server.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the detectors learned about one tenant, and its open incidents. Used under the
 * object's lock: one tenant's events are handled one at a time, tenants in parallel.
 */
final class TenantState {

  /** One source address's last hour of sign-in failures. */
  static final class Source {
    long hour = -1;
    int failures;
    int successes;
    int unknownNames;
    final Set<String> accounts = new LinkedHashSet<>();
  }

  /** One account name's failures from networks it has not signed in from. */
  static final class Account {
    // Hourly buckets, a prior of one such failure a week, half-life a week.
    final RateBaseline strangeFailures = new RateBaseline(3600, 2, 0.5, 84, 168);
    final Set<String> sources = new LinkedHashSet<>();
    long sourcesHour = -1;
  }

  /** One OAuth client's token traffic. */
  static final class Client {
    // Tokens a minute, half-life 12 hours; tokens from subnets new to the client, half-life a day.
    final RateBaseline tokens = new RateBaseline(60, 60, 1, 10, 720);
    final RateBaseline strangeTokens = new RateBaseline(60, 60, 0.5, 120, 1440);
    final Sketches.Lru<String, int[]> subnets = new Sketches.Lru<>(64);
    long seen;
  }

  /** One Cedar principal's denies. */
  static final class Principal {
    // Denies on a resource new to the principal, a minute; prior one in two hours; half-life a day.
    final RateBaseline newDenies = new RateBaseline(60, 60, 0.5, 120, 1440);
    final Sketches.Lru<String, Boolean> resources = new Sketches.Lru<>(256);
  }

  final String tenant;
  private final int maxAccounts;
  private final long learnAfter;
  /**
   * The sign-in risk model and the names that signed in, made at the tenant's first sign-in event:
   * together about 150 KiB of sketches, which a tenant that only issues tokens never needs (with
   * thousands of such tenants they filled the heap).
   */
  private RiskModel risk;
  private Sketches.Bloom knownNames;
  // Tenant-wide failures a minute: on unknown names, and on known names from new networks.
  // Priors: one in 30 minutes; half-life 12 hours.
  final RateBaseline unknownFailures = new RateBaseline(60, 60, 1, 30, 720);
  final RateBaseline strangeFailures = new RateBaseline(60, 60, 1, 30, 720);
  /**
   * When each account name last counted towards the tenant-wide failure counts: stuffing and
   * spraying are attacks on many accounts, so one name counts once an hour however often it fails
   * (one person forgetting a password, or one account guessed at, is not a surge of them).
   */
  private final Sketches.Lru<String, Long> countedNames = new Sketches.Lru<>(20_000);
  final RecentKeys unknownAccounts = new RecentKeys(16);
  final RecentKeys strangeAccounts = new RecentKeys(16);
  final RateBaseline refreshReuse = new RateBaseline(60, 60, 0.5, 120, 1440);
  final Sketches.Lru<String, Source> sources = new Sketches.Lru<>(20_000);
  final Sketches.Lru<String, Account> accounts;
  final Sketches.Lru<String, Client> clients = new Sketches.Lru<>(10_000);
  final Sketches.Lru<String, Principal> principals = new Sketches.Lru<>(20_000);
  final Map<String, Incident> incidents = new LinkedHashMap<>();
  /** Sessions whose sign-in is held (not learned yet), to the account: a second factor confirms. */
  final Sketches.Lru<String, String> heldSessions = new Sketches.Lru<>(20_000);

  TenantState(String tenant, int maxAccounts, long learnAfter) {
    this.tenant = tenant;
    this.maxAccounts = maxAccounts;
    this.learnAfter = learnAfter;
    this.accounts = new Sketches.Lru<>(maxAccounts);
  }

  /** The tenant's sign-in risk model, made on first use. */
  RiskModel risk() {
    if (risk == null) {
      risk = new RiskModel(maxAccounts, learnAfter);
    }
    return risk;
  }

  /** The risk model if a sign-in made one, else null: for lookups that must not make it. */
  RiskModel riskIfAny() {
    return risk;
  }

  /** Account names that have signed in successfully (hashes): unknown names are the others. */
  Sketches.Bloom knownNames() {
    if (knownNames == null) {
      knownNames = new Sketches.Bloom(1 << 18);
    }
    return knownNames;
  }

  Source source(String ip, long time) {
    Source s = sources.get(ip == null ? "none" : ip, k -> new Source());
    long hour = Math.floorDiv(time, 3600);
    if (s.hour != hour) {
      s.hour = hour;
      s.failures = 0;
      s.successes = 0;
      s.unknownNames = 0;
      s.accounts.clear();
    }
    return s;
  }

  /**
   * Whether a failure on {@code account} at {@code time} counts towards the tenant-wide counts:
   * the name's first in an hour (a failure without a name always counts).
   */
  boolean countsTenantWide(String account, long time) {
    if (account == null) {
      return true;
    }
    Long last = countedNames.get(account);
    if (last != null && time - last < 3600) {
      return false;
    }
    countedNames.put(account, time);
    return true;
  }

    Account account(String hash) {
    return accounts.get(hash, k -> new Account());
  }

  Incident incident(String kind, String subject) {
    return incidents.get(kind + "|" + subject);
  }

  /** Open incidents with {@code ip} among their sources (at least {@code n} events). */
  boolean attacking(String ip, int n) {
    if (ip == null) {
      return false;
    }
    for (Incident i : incidents.values()) {
      if (i.source(ip, n) || i.subject.equals("ip:" + ip)) {
        return true;
      }
    }
    return false;
  }

  List<Incident> idle(long now, long quiet) {
    List<Incident> out = new ArrayList<>();
    incidents.values().removeIf(i -> {
      if (now - i.last >= quiet) {
        out.add(i);
        return true;
      }
      return false;
    });
    return out;
  }
}
