{{- $s := lookup "v1" "Secret" "default" "my-secret" }}
{{- if $s }}existing{{ else }}generate{{ end }}