{{ define "labels" }}app: {{ .name }}
tier: web{{ end }}{{ $l := include "labels" . | fromYaml }}{{ $l.app }} {{ $l | toJson }}