{{- define "svc.labels" -}}
{{- range $k, $v := .labels }}
{{ $k }}: {{ $v }}
{{- end }}
{{- end -}}
labels:{{ include "svc.labels" . | indent 2 }}