{{ .name }}
{{ .name }}