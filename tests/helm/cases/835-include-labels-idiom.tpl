{{- define "chart.labels" -}}
app.kubernetes.io/name: {{ .name }}
helm.sh/chart: {{ printf "%s-%s" "chart" "1.0.0" | replace "+" "_" }}
{{- end }}
metadata:
  labels:
    {{- include "chart.labels" . | nindent 4 }}