// Helm's function map: Sprig's TxtFuncMap without env/expandenv, then Helm's functions over it (Helm's
// toJson, fromJson, ... replace Sprig's of the same name).
#include "render/helm/funcs/funcs.h"

namespace gl::render::helm {

gotemplate::FuncMap helm_func_map() {
  gotemplate::FuncMap funcs;
  add_sprig_core(funcs);
  add_sprig_extra(funcs);
  funcs.erase("env");
  funcs.erase("expandenv");
  add_helm_functions(funcs);
  return funcs;
}

}  // namespace gl::render::helm
