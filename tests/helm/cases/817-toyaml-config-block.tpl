config.conf: |
{{ .config | indent 2 }}
{{ toYaml (dict "config" .config) }}