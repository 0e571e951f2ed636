// registry — the field types a template may use: yoshiki's own (listed in
// registry.cpp) and any a program registers before it makes an Engine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fields/field_type.h"

namespace yoshiki::fields {

// Every type, yoshiki's own first, then registered ones in order.
std::vector<FieldType> types();

// The type of element `n` where it stands, or null: a type whose
// discriminator attribute matches wins over the element's default type.
const FieldType* find(Placement placement, const xmlNode* n);

// Adds a type (a program's own field type). Call before making an Engine;
// returns true so that a file can register itself from a static initialiser.
bool register_type(FieldType type);

// Literal text of a line or paragraph ("\n" = a <br/> inside a paragraph).
std::shared_ptr<const Item> make_label(std::string text, int line);

// The XSD fragments of every type, as paths (relative ones resolved against
// `dir`, the template schema's folder).
std::vector<std::string> schema_fragments(const std::string& dir);

}  // namespace yoshiki::fields
