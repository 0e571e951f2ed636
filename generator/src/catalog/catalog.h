// catalog — the versioned list of forms (schemas/catalog.xml, checked against
// schemas/catalog.xsd): for each form id and version, its title, data root
// element, data XSD, business rules, layout template and samples; the shared
// resources (template and rules schemas, font map); and the programs that read
// several forms together. It is the only owner of these: templates and code
// name no form and no resource path. Adding a form is adding data here.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "yoshiki/yoshiki.h"

namespace yoshiki::catalog {

// A program over several forms (the Senior Work Program report) and its files.
struct Program {
  std::string id, title;
  std::vector<std::string> forms;                // ids of the forms it uses
  std::map<std::string, std::string> resources;  // role → absolute path
  // The path of `role`; Error (Io) naming the catalogue when there is none.
  const std::string& resource(const std::string& role) const;
  std::string catalog_path;
};

struct Catalog {
  std::string path;  // the catalogue file
  // Shared by every form; absolute paths.
  std::string template_schema, rules_schema, font_map;
  std::vector<FormInfo> forms;  // in catalogue order
  std::vector<Program> programs;
  // The program `id`; Error (Usage) when the catalogue has none.
  const Program& program(const std::string& id) const;
};

// The catalogue's path under a resource root (the one place it is named).
std::string catalog_path(const std::string& root);

// Reads (through `io`) and checks <root>/schemas/catalog.xml against
// schemas/catalog.xsd (safe parsing; violations name the file and line);
// paths in the result are absolute (resolved against `root`).
Catalog load(const std::string& root, const Io& io = *system_io());

}  // namespace yoshiki::catalog
