{{ toYaml .labels }}
{{ toYaml .podAnnotations }}