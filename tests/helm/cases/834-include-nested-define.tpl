{{- define "chart.name" -}}{{ default "mychart" .nameOverride | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "chart.fullname" -}}{{ printf "%s-%s" "release" (include "chart.name" .) | trunc 63 | trimSuffix "-" }}{{- end -}}
name: {{ include "chart.fullname" . }}