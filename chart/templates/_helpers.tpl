{{/* Name of the chart, or nameOverride. */}}
{{- define "code-provider.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: fullnameOverride, or <release>-<name> (the release name alone when it already contains the name). */}}
{{- define "code-provider.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "code-provider.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "code-provider.selectorLabels" -}}
app.kubernetes.io/name: {{ include "code-provider.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "code-provider.labels" -}}
helm.sh/chart: {{ include "code-provider.chart" . }}
{{ include "code-provider.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "code-provider.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "code-provider.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "code-provider.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The in-cluster URL of the main port: what the CatalogEntry gives the hub. */}}
{{- define "code-provider.serviceURL" -}}
{{- printf "http://%s.%s.svc.cluster.local:%d" (include "code-provider.fullname" .) .Release.Namespace (int .Values.service.port) }}
{{- end }}

{{/* Claim of the bundle store volume; empty when it is an emptyDir. */}}
{{- define "code-provider.bundleClaim" -}}
{{- if .Values.bundleStore.existingClaim }}
{{- .Values.bundleStore.existingClaim }}
{{- else if and (not .Values.bundleStore.emptyDir) .Values.bundleStore.persistence.enabled }}
{{- printf "%s-commit-bundles" (include "code-provider.fullname" .) }}
{{- end }}
{{- end }}

{{/* Environment both containers share: where kcp is, which workspace, how much to log. */}}
{{- define "code-provider.commonEnv" -}}
- name: KEDGE_PROVIDER_KUBECONFIG
  value: /var/run/secrets/kedge/kedge-provider-kubeconfig
- name: CODE_WORKSPACE_PATH
  value: {{ .Values.workspacePath | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: TMPDIR
  value: /tmp
{{- end }}
