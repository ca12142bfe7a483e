{{- define "lbl" -}}
app: {{ .name }}
{{- end -}}
{{ template "lbl" . }}