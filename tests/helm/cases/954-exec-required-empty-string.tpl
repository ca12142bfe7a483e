line one
{{ required "name must be set" .empty }}