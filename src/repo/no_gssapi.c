/* libgit2's HTTP "Negotiate" (Kerberos/SPNEGO) authentication calls these nine GSSAPI functions. gitops-lint
 * reads local repositories only and never opens a remote through libgit2, so with libgit2 linked statically
 * they are replaced by functions that report failure (GSS_S_FAILURE): the static binary then does not load
 * libgssapi_krb5 and the six Kerberos libraries it needs at every start (measured in tests/bench/README.md).
 * The build links this file only when it links libgit2 statically and GL_NO_GSSAPI is ON. */
#include <stddef.h>
#include <stdint.h>

typedef uint32_t gl_gss_status;
#define GL_GSS_S_FAILURE ((gl_gss_status)13 << 16)

static gl_gss_status gl_gss_fail(gl_gss_status* minor) {
  if (minor != NULL) *minor = 0;
  return GL_GSS_S_FAILURE;
}

void* GSS_C_NT_HOSTBASED_SERVICE = NULL;

gl_gss_status gss_delete_sec_context(gl_gss_status* minor, void* context, void* output) {
  (void)context;
  (void)output;
  return gl_gss_fail(minor);
}
gl_gss_status gss_display_status(gl_gss_status* minor, gl_gss_status status, int type, void* mech,
                                 gl_gss_status* message_context, void* text) {
  (void)status;
  (void)type;
  (void)mech;
  (void)text;
  if (message_context != NULL) *message_context = 0;
  return gl_gss_fail(minor);
}
gl_gss_status gss_import_name(gl_gss_status* minor, void* name, void* type, void* output) {
  (void)name;
  (void)type;
  (void)output;
  return gl_gss_fail(minor);
}
gl_gss_status gss_indicate_mechs(gl_gss_status* minor, void** mechs) {
  if (mechs != NULL) *mechs = NULL;
  return gl_gss_fail(minor);
}
gl_gss_status gss_init_sec_context(gl_gss_status* minor, void* cred, void* context, void* target, void* mech,
                                   gl_gss_status flags, gl_gss_status time, void* bindings, void* input,
                                   void* actual_mech, void* output, gl_gss_status* ret_flags, gl_gss_status* ret_time) {
  (void)cred;
  (void)context;
  (void)target;
  (void)mech;
  (void)flags;
  (void)time;
  (void)bindings;
  (void)input;
  (void)actual_mech;
  (void)output;
  if (ret_flags != NULL) *ret_flags = 0;
  if (ret_time != NULL) *ret_time = 0;
  return gl_gss_fail(minor);
}
/* Releasing never fails: nothing was ever allocated. */
gl_gss_status gss_release_buffer(gl_gss_status* minor, void* buffer) {
  (void)buffer;
  if (minor != NULL) *minor = 0;
  return 0;
}
gl_gss_status gss_release_name(gl_gss_status* minor, void* name) {
  (void)name;
  if (minor != NULL) *minor = 0;
  return 0;
}
gl_gss_status gss_release_oid_set(gl_gss_status* minor, void* set) {
  (void)set;
  if (minor != NULL) *minor = 0;
  return 0;
}
