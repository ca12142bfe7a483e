{{- range .env }}
- name: {{ .name }}
  value: {{ .value | quote }}
{{- end }}