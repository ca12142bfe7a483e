env:
{{- range $k, $v := .labels }}
  - name: {{ $k | upper | replace "." "_" | replace "/" "_" }}
    value: {{ $v | quote }}
{{- end }}