{{    .name    }}|{{.name}}|{{
.name
}}