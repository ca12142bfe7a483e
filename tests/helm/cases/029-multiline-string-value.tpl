[{{ .multiline }}]
[{{ .multiline_strip }}]
[{{ .folded }}]