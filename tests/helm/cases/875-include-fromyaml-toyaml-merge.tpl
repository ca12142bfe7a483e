{{- define "base" }}
a: 1
nested:
  x: 1
{{- end }}
{{- define "override" }}
nested:
  y: 2
b: [1, 2]
{{- end }}
{{- $m := mergeOverwrite (include "base" . | fromYaml) (include "override" . | fromYaml) }}
{{- toYaml $m }}