{{- $fullname := printf "%s-%s" "rel" .name | trunc 63 | trimSuffix "-" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $fullname }}
  labels:
    {{- with .labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- if .podAnnotations }}
  annotations:
    {{- range $k, $v := .podAnnotations }}
    {{ $k }}: {{ $v | quote }}
    {{- end }}
  {{- end }}
spec:
  replicas: {{ .replicas }}
  template:
    spec:
      containers:
        - name: {{ .name }}
          image: "{{ .image.registry }}/{{ .image.repository }}:{{ .image.tag | default "latest" }}"
          imagePullPolicy: {{ .image.pullPolicy }}
          ports:
            {{- range $name, $port := .service.ports }}
            - name: {{ $name }}
              containerPort: {{ $port }}
            {{- end }}
          {{- if .persistence.enabled }}
          volumeMounts: []
          {{- end }}