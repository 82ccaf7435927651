#include "integration/kind.h"

#include <stdexcept>

namespace portico::integration {

void Kinds::add(std::unique_ptr<Kind> kind) {
  std::string name = kind->name();
  if (!kinds_.emplace(name, std::move(kind)).second) {
    throw std::logic_error("integration kind registered twice: " + name);
  }
}

Kind* Kinds::find(std::string_view name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : it->second.get();
}

std::vector<std::string> Kinds::names() const {
  std::vector<std::string> out;
  for (const auto& [name, kind] : kinds_) out.push_back(name);
  return out;
}

}  // namespace portico::integration
