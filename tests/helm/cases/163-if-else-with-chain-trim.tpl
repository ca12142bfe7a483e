{{- if .persistence.enabled }}
pvc
{{- else if .ingress.enabled }}
ingress
{{- else }}
none
{{- end }}