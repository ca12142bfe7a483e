{{- define "r" }}{{ if gt (int .) 0 }}{{ include "r" (sub (int .) 1) }}{{ end }}{{ . }}{{ end -}}
{{ include "r" 5 }}