apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .name }}-cm
  labels:
    {{- range $k, $v := .labels }}
    {{ $k }}: {{ $v | quote }}
    {{- end }}
data:
  key: value