{{/*
A multi-line comment
with {{ braces }} inside
*/}}text