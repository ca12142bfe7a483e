{{ define "helper" }}
line
{{ .nested.svc.name.bad }}
{{ end }}{{ template "helper" . }}