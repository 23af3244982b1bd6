package dev.gatehouse.server.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code gatehouse detect replay}: the detectors over a recorded event stream, one NDJSON
 * detection per line. Input lines are what {@code gatehouse events tail} prints ({@code
 * event_id}, {@code type}, {@code created_at}, {@code payload}; {@code tenant} when present, else
 * the default given); lines that are not JSON objects are counted and skipped.
 */
public final class Replay {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Replay() {}

  /** What a replay read. */
  public record Summary(long events, long skipped, long detections) {}

  /** Replays {@code in} through a fresh engine with {@code settings}, printing to {@code out}. */
  public static Summary run(BufferedReader in, PrintStream out, String defaultTenant,
      DetectSettings settings) throws IOException {
    long[] counts = new long[3];
    long[] last = {0};
    DetectionEngine engine = new DetectionEngine(settings, new InMemoryBlockList(100_000), d -> {
      counts[2]++;
      out.println(line(d));
    });
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      Observation o = parse(line, defaultTenant);
      if (o == null) {
        counts[1]++;
        continue;
      }
      counts[0]++;
      last[0] = Math.max(last[0], o.time());
      engine.accept(o);
    }
    engine.finish(last[0]);
    out.flush();
    return new Summary(counts[0], counts[1], counts[2]);
  }

  /** The observation of one NDJSON event line, or null when no detector reads it or it is bad. */
  public static Observation parse(String line, String defaultTenant) {
    try {
      JsonNode n = JSON.readTree(line);
      if (n == null || !n.isObject() || !n.path("type").isTextual()) {
        return null;
      }
      JsonNode payload = n.path("payload");
      if (payload.isTextual()) {
        payload = JSON.readTree(payload.asText());
      }
      if (payload == null || !payload.isObject()) {
        return null;
      }
      String id = n.path("event_id").isMissingNode() ? null : n.path("event_id").asText();
      String tenant = n.path("tenant").isTextual() ? n.path("tenant").asText() : defaultTenant;
      return Observation.of(id, tenant, n.path("type").asText(), n.path("created_at").asLong(),
          payload);
    } catch (IOException e) {
      return null;
    }
  }

  /** A detection as one JSON line. */
  public static String line(Detection d) {
    try {
      return JSON.writeValueAsString(fields(d));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A detection's fields, as events and NDJSON lines carry them. */
  public static Map<String, Object> fields(Detection d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("detection_id", d.id());
    m.put("tenant", d.tenant());
    m.put("kind", d.kind());
    m.put("status", d.status());
    m.put("time", d.time());
    m.put("subject", d.subject());
    m.put("score", d.score());
    m.put("action", d.action());
    m.put("evidence", d.evidence());
    m.put("event_ids", d.covers());
    return m;
  }

  /** An event line as {@code events tail} prints it, for simulated events. */
  public static String eventLine(LabeledEvent e, boolean withLabel) {
    Observation o = e.event();
    ObjectNode n = JSON.createObjectNode();
    n.put("event_id", o.id());
    n.put("tenant", o.tenant());
    n.put("type", o.type());
    n.put("created_at", o.time());
    ObjectNode p = n.putObject("payload");
    putIf(p, "ip", o.ip());
    putIf(p, "user_agent", o.userAgent());
    putIf(p, "device", o.device());
    putIf(p, "username_hash", o.account());
    putIf(p, "user_id", o.userId());
    putIf(p, "client_id", o.clientId());
    putIf(p, "principal", o.principal());
    putIf(p, "resource", o.resource());
    putIf(p, "sid", o.sid());
    if (o.type().equals("policy.decision")) {
      p.put("decision", o.deny() ? "deny" : "allow");
    }
    if (withLabel) {
      ObjectNode l = n.putObject("label");
      putIf(l, "campaign", e.campaign());
      putIf(l, "kind", e.kind());
      putIf(l, "actor", e.actor());
    }
    return n.toString();
  }

  private static void putIf(ObjectNode n, String k, String v) {
    if (v != null) {
      n.put(k, v);
    }
  }
}
