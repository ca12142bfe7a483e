resources:
{{- with .resources }}
  {{- toYaml . | nindent 2 }}
{{- end }}