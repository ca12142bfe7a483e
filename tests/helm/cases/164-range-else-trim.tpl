items:
{{- range .empty_list }}
  - {{ . }}
{{- else }}
  []
{{- end }}