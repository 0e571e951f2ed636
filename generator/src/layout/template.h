// template — the form layout vocabulary (schemas/template.xsd) as value
// types: pages holding absolutely placed boxes, ruled grids and page-level
// fields; grids hold rows of cells; a cell holds either nested rows or
// content blocks (lines of inline items, wrapped paragraphs, block fields).
// Each field element is parsed by its field type (fields/registry.h); data
// bindings are XPath expressions compiled once at load time. A loaded Template is
// immutable and shared between threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fields/field_type.h"
#include "layout/page.h"
#include "xml/xml.h"

namespace yoshiki::layout {

// A block of a cell: a line of inline items, a wrapped paragraph of printed
// text, or a block-level field (a multi-line area) taking the cell's rest.
struct Block {
  enum class Kind { Line, Para, Field };
  Kind kind = Kind::Line;
  std::vector<std::shared_ptr<const fields::Item>> items;  // Line / Para content
  std::shared_ptr<const fields::Item> field;               // Field
  int line = 0;
};

struct Row;

struct Cell {
  double w_mm = 0;  // 0 = the row's remaining width
  std::vector<Row> rows;
  std::vector<Block> blocks;
  Style style;
  bool border = true;
  int line = 0;
};

struct Row {
  double h_mm = 0;  // 0 = share of the remaining height
  std::vector<Cell> cells;
  int line = 0;
};

// <rows>: one template row repeated for the items of a repeated element
// (the consultation log of the 導入支援票). Paths inside its cells are relative
// to the item; fields are named path[index]/relative-path, index 1-based.
struct RowRepeat {
  std::string path;                   // the repeated element, e.g. consultations/consultation
  std::shared_ptr<xml::XPath> items;  // the same path, compiled
  int from = 0;                       // index of the first row; 0 = the flowing page's next index
  int count = 0;                      // rows drawn
  Row row;
};

struct RowGroup {          // rows, optionally inside a thick frame (太枠)
  double frame_width = 0;  // points; 0 = no frame
  std::vector<Row> rows;
  std::shared_ptr<const RowRepeat> repeat;  // set: this group is one repeated row
};

struct Grid {
  double x_mm = 0, y_mm = 0, w_mm = 0;
  std::vector<RowGroup> groups;
  Style style;
  int line = 0;
};

struct Box {  // an absolutely placed cell
  double x_mm = 0, y_mm = 0;
  Cell cell;
  double h_mm = 0;
};

// A page printed as many times as the items of `path` from index `from` on
// need, `per_page` items a page, at least `min_pages` times (the 続き pages).
struct PageFlow {
  std::string path;
  std::shared_ptr<xml::XPath> items;
  int from = 1, per_page = 1, min_pages = 1;
};

struct TemplatePage {
  double w_mm = 210, h_mm = 297;
  std::vector<Grid> grids;
  std::vector<Box> boxes;
  std::vector<std::shared_ptr<const fields::Item>> fields;  // page-level fields (calendars)
  std::shared_ptr<const PageFlow> flow;                     // set: a continuation page
};

struct Template {
  std::string path;  // the file it came from, for diagnostics
  // The form's, from the catalogue (set by the engine: a template names no form).
  std::string id, version, title, data_root;
  std::vector<TemplatePage> pages;
};

// The template vocabulary: `xsd` (the catalogue's template schema) plus
// every registered field type's XSD fragment (fields/registry.h), found
// beside it.
std::unique_ptr<xml::Schema> template_schema(const std::string& xsd, const Io& io = *system_io());

// Loads and checks a template: XSD (schemas/template.xsd) first, then the
// XPath bindings, compiled with `functions` (e.g. the form's y: rule
// functions and dated parameters; null = plain XPath). Throws Error naming
// file and line.
Template load_template(const std::string& path, const xml::Schema& template_schema,
                       const xml::XPathEnv* functions = nullptr, const Io& io = *system_io());

}  // namespace yoshiki::layout
