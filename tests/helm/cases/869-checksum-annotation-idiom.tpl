{{- define "cm" -}}
apiVersion: v1
kind: ConfigMap
data:
  config: {{ .config | quote }}
{{- end -}}
annotations:
  checksum/config: {{ include "cm" . | sha256sum }}