package dev.gatehouse.server.detect;

import java.util.List;
import java.util.Map;

/**
 * What a detector found: an incident it opened or closed, or a sign-in it scored as risky. The
 * same record is an {@code anomaly.detected} / {@code risk.assessed} event online and one NDJSON
 * line of {@code gatehouse detect replay}.
 *
 * @param id stable for an incident: its opening and closing lines share it
 * @param kind {@code credential_stuffing}, {@code password_spraying}, {@code brute_force},
 *     {@code account_takeover}, {@code token_abuse}, {@code refresh_reuse_burst} or
 *     {@code authorization_probing}
 * @param status {@code open}, {@code closed} (an incident) or {@code assessed} (a sign-in's risk)
 * @param time epoch seconds of the event that caused this line
 * @param subject what it is about: {@code tenant}, {@code ip:..}, {@code account:<hash>},
 *     {@code client:..}, {@code principal:..}
 * @param score the evidence's strength: -log10 of the probability under the baseline, or the
 *     sign-in's log10 likelihood ratio
 * @param action what the tenant's policy did: {@code none}, {@code notify}, {@code step_up},
 *     {@code block}
 * @param covers ids of the events it covers (at most {@link Incident#MAX_COVERS})
 */
public record Detection(String id, String tenant, String kind, String status, long time,
    String subject, double score, String action, Map<String, Object> evidence,
    List<String> covers) {}
