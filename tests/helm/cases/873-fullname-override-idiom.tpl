{{- $name := default "chart" .nameOverride -}}
{{- if contains $name "release-chart" -}}
{{ "release-chart" | trunc 63 | trimSuffix "-" }}
{{- else -}}
{{ printf "%s-%s" "release" $name | trunc 63 | trimSuffix "-" }}
{{- end -}}