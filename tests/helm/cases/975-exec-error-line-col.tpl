apiVersion: v1
kind: ConfigMap
data:
  x: {{ .a.b.c }}