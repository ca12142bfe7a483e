a{{ "b" }}c
d