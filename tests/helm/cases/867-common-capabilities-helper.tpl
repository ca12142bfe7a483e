{{- define "kubeVersion" -}}{{ default "v1.29.0" .kube }}{{- end -}}
{{- define "ingress.apiVersion" -}}
{{- if semverCompare "<1.14-0" (include "kubeVersion" .) -}}
extensions/v1beta1
{{- else if semverCompare "<1.19-0" (include "kubeVersion" .) -}}
networking.k8s.io/v1beta1
{{- else -}}
networking.k8s.io/v1
{{- end }}
{{- end -}}
apiVersion: {{ include "ingress.apiVersion" . }}