line1
line2 {{ .ok }}
line3 {{ .a | nosuch }}