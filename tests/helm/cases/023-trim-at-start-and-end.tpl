{{- "start" }}
middle
{{ "end" -}}
