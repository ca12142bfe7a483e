a:
{{ if true }}
  b: 1
{{ end }}
c: 2