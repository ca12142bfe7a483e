#include "drift/json_tree.h"

#include <string>

namespace gl::drift {

nlohmann::json to_json(const yaml::Node& node) {
  switch (node.type) {
    case yaml::NodeType::kNull:
      return nullptr;
    case yaml::NodeType::kSequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node.items()) out.push_back(to_json(item));
      return out;
    }
    case yaml::NodeType::kMapping: {
      nlohmann::json out = nlohmann::json::object();
      for (size_t i = 0; i < node.keys().size(); ++i)
        out[std::string(node.keys()[i].value())] = to_json(node.items()[i]);
      return out;
    }
    case yaml::NodeType::kScalar:
      break;
  }
  const std::string_view kind = node.resolved_kind();
  if (kind == "bool") return *node.as_bool();
  if (kind == "int") return *node.as_int();
  if (kind == "float") return *node.as_number();
  if (kind == "null") return nullptr;
  return std::string(node.value());
}

}  // namespace gl::drift
