{{- range .ingress.extraHosts }}
- host: {{ .name }}
  paths:
    {{- toYaml (list (dict "path" .path "pathType" "Prefix")) | nindent 4 }}
{{- end }}