// Checks rendered manifests offline: every object against its API schema (the kubernetes-models
// packages carry the Kubernetes OpenAPI schemas and those of the CRDs we use), then a policy lint
// of what a platform team would refuse in review. No cluster needed.
//
//   node validate.mjs rendered/*.yaml      (deploy/kubernetes/validate.sh renders them first)
//
// Exit 1 if any object fails; the last line reads "N passed, M failed".
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseAllDocuments } from "yaml";

// apiVersion group -> the package whose models cover it.
const PACKAGES = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "security.istio.io": "@kubernetes-models/istio",
  "networking.istio.io": "@kubernetes-models/istio",
  "argoproj.io": "@kubernetes-models/argo-rollouts",
  "external-secrets.io": "@kubernetes-models/external-secrets",
};

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = PACKAGES[group] ?? "kubernetes-models";
  const path = group ? `${pkg}/${group}/${version}/${kind}` : `${pkg}/${version}/${kind}`;
  try {
    const mod = await import(path);
    return mod[kind];
  } catch (e) {
    return null;
  }
}

// ---- the policy: what every workload must have ----
function podSpecOf(obj) {
  switch (obj.kind) {
    case "Deployment":
    case "Job":
    case "StatefulSet":
    case "DaemonSet":
      return obj.spec?.template?.spec;
    case "Rollout":
      return obj.spec?.template?.spec; // absent with workloadRef: the Deployment is checked
    default:
      return undefined;
  }
}

function policy(obj, file) {
  const problems = [];
  const spec = podSpecOf(obj);
  if (spec) {
    const psc = spec.securityContext ?? {};
    if (psc.runAsNonRoot !== true) problems.push("pod securityContext.runAsNonRoot is not true");
    if (!(psc.runAsUser > 0)) problems.push("pod securityContext.runAsUser is not a non-root uid");
    if (psc.seccompProfile?.type !== "RuntimeDefault" && psc.seccompProfile?.type !== "Localhost") {
      problems.push("pod seccompProfile is not RuntimeDefault");
    }
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push("uses the host's namespaces");
    if (spec.automountServiceAccountToken !== false) {
      problems.push("automountServiceAccountToken is not false (Gatehouse never calls the API)");
    }
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const where = `container ${c.name}`;
      const sc = c.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
      if (sc.privileged) problems.push(`${where}: privileged`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${where}: capabilities not dropped (ALL)`);
      if ((sc.capabilities?.add ?? []).length) problems.push(`${where}: adds capabilities`);
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) problems.push(`${where}: no cpu/memory requests`);
      if (!c.resources?.limits?.memory) problems.push(`${where}: no memory limit (the heap is sized from it)`);
      if (!c.image || /:latest$/.test(c.image) || !/[:@]/.test(c.image)) problems.push(`${where}: image ${c.image} is not pinned to a tag or digest`);
      if (obj.kind === "Deployment" || obj.kind === "Rollout") {
        for (const p of ["readinessProbe", "livenessProbe", "startupProbe"]) {
          const path = c[p]?.httpGet?.path ?? "";
          if (!path.startsWith("/health/")) problems.push(`${where}: ${p} is not an HTTP probe on /health/*`);
        }
        if (!(c.env ?? []).some((e) => e.name === "GATEHOUSE_MASTER_KEY" && e.valueFrom?.secretKeyRef)) {
          problems.push(`${where}: GATEHOUSE_MASTER_KEY does not come from a Secret`);
        }
      }
      for (const e of c.env ?? []) {
        if (/KEY|PASSWORD|SECRET|TOKEN/.test(e.name) && e.value !== undefined) {
          problems.push(`${where}: ${e.name} has a literal value (use a Secret)`);
        }
      }
    }
    if (obj.kind === "Deployment") {
      const grace = spec.terminationGracePeriodSeconds ?? 30;
      if (grace < 35) problems.push(`terminationGracePeriodSeconds ${grace} is shorter than drain delay + grace`);
      if (obj.spec?.strategy?.rollingUpdate?.maxUnavailable !== 0) problems.push("rolling update may take a pod away before its successor is ready (maxUnavailable != 0)");
      if (!(spec.topologySpreadConstraints ?? []).length) problems.push("no topologySpreadConstraints");
    }
  }
  if (obj.kind === "Secret" && !/dev/.test(file) && !/ci/.test(file)) {
    problems.push("a Secret with values in a non-dev rendering (use External Secrets or an existing Secret)");
  }
  return problems;
}

// ---- run ----
let passed = 0;
let failed = 0;
const kinds = new Map();
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  let count = 0;
  for (const doc of docs) {
    if (doc.errors.length) {
      console.log(`FAIL ${basename(file)}: YAML: ${doc.errors[0].message}`);
      failed++;
      continue;
    }
    const obj = doc.toJS();
    if (!obj) continue;
    count++;
    const name = `${basename(file)}: ${obj.kind}/${obj.metadata?.name}`;
    const problems = [];
    const Model = obj.apiVersion && obj.kind ? await modelFor(obj.apiVersion, obj.kind) : null;
    if (!Model) {
      problems.push(`no schema for ${obj.apiVersion} ${obj.kind}`);
    } else {
      try {
        new Model(obj).validate();
      } catch (e) {
        problems.push(`schema: ${e.message.split("\n").slice(0, 4).join(" ")}`);
      }
    }
    problems.push(...policy(obj, file));
    if (problems.length) {
      failed++;
      console.log(`FAIL ${name}`);
      for (const p of problems) console.log(`     ${p}`);
    } else {
      passed++;
      kinds.set(obj.kind, (kinds.get(obj.kind) ?? 0) + 1);
    }
  }
  if (count === 0) {
    console.log(`FAIL ${basename(file)}: no objects rendered`);
    failed++;
  }
}
console.log(`validated: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
