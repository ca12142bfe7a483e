some output before {{ .name }}
{{ fail "late" }}