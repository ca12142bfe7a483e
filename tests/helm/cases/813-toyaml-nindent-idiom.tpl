spec:
  template:
    spec:
      containers:
        - name: app
          env:
            {{- toYaml .env | nindent 12 }}
          resources: {{- toYaml .resources | nindent 12 }}