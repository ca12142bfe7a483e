data:
  {{- range $k, $v := .podAnnotations }}
  {{ $k }}: {{ $v | b64enc | quote }}
  {{- end }}
  password: {{ default "changeme" .missing | b64enc | quote }}