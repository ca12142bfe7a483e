a
{{/* drop me */}}
b
{{- /* and me */}}
c