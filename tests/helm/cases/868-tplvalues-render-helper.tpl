{{- define "common.tplvalues.render" -}}
{{- $value := typeIs "string" .value | ternary .value (.value | toYaml) }}
{{- if contains "{{" (toJson .value) }}
  {{- tpl $value .context }}
{{- else }}
    {{- $value }}
{{- end }}
{{- end -}}
a: {{ include "common.tplvalues.render" (dict "value" .tpl_text "context" .) }}
b:
{{ include "common.tplvalues.render" (dict "value" .tpl_map "context" .) | indent 2 }}
c: {{ include "common.tplvalues.render" (dict "value" "plain" "context" .) }}