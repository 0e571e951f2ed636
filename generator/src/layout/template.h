// template — the form layout vocabulary (schemas/template.xsd) as value
// types: pages holding absolutely placed boxes and ruled grids; grids hold
// rows of cells; a cell holds either nested rows or content blocks (lines of
// inline items, wrapped paragraphs, multi-line data areas). Data bindings are
// XPath expressions compiled once at load time. A loaded Template is
// immutable and shared between threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "xml/xml.h"

namespace yoshiki::layout {

enum class Align { Left, Center, Right };

struct Inline {
  enum class Kind { Text, Option, Value, Date, Digits, Gap, Setting, FiscalYear, Box };
  Kind kind = Kind::Text;
  std::string text;                  // Text/Option label; Setting key
  std::string fallback = "〇〇〇";   // Setting: printed when the key is not set
  std::shared_ptr<xml::XPath> path;  // data binding (Value, Date, Digits, FiscalYear)
  std::shared_ptr<xml::XPath> test;  // Option: selected when true
  double width_mm = 0;               // Value/Gap/Box: fixed width; 0 = natural
  bool fill = false;                 // width="*": takes the line's free width
  int count = 0;                     // Digits: number of boxes
  std::string split;                 // Digits: separator splitting the value
  int part = 0;                      // Digits: 1-based part after splitting
  std::string blank_era;             // Date: era printed on a blank form
  int offset = 0;                    // FiscalYear: years after the date's FY
  double min_size = 0;               // Value: smallest size when shrinking
  Align align = Align::Left;         // Value inside its box
  std::string label;                 // the field's tooltip (/TU) in fillable PDFs
  std::string field;                 // Option: path it sets when ticked ("" = display only)
  std::string on;                    // Option: value it sets
  bool multi = false;                // Option: check box of a repeated element
  int line = 0;                      // template line, for diagnostics
  bool month_day = false;            // Date: printed as month/day ("6/10"), as log rows are
};

struct Block {
  enum class Kind { Line, Para, Area };
  Kind kind = Kind::Line;
  std::vector<Inline> items;         // Line / Para content
  std::shared_ptr<xml::XPath> path;  // Area binding
  std::string label;                 // Area: field tooltip
  double min_size = 0;
  int line = 0;
};

struct Row;

struct Style {
  std::string font = "gothic";
  double size = 9;   // points
  double pad = 1.0;  // mm, horizontal; vertical is half of it
  double leading = 1.3;
  Align align = Align::Center;
  bool valign_top = false;
};

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

// A calendar of a period (<calendar>): a ruled week-by-week grid (Sunday
// first) from the week holding the period's first day, one cell per day,
// where the mark of each day in the data (○, ×) is printed. Cells outside
// the period are struck through. In fillable output every cell is a text
// field named "<days>#<n>" (n = 1-based cell from the grid's first Sunday),
// so that a blank form's cells can be typed before the period is known.
struct Calendar {
  double x_mm = 0, y_mm = 0, w_mm = 0, h_mm = 0;
  int weeks = 5;
  std::shared_ptr<xml::XPath> from, to;  // the period's first and last day (ISO)
  std::shared_ptr<xml::XPath> days;      // the day elements, from the root: a simple path
  std::shared_ptr<xml::XPath> date;      // from a day: its ISO date
  std::shared_ptr<xml::XPath> mark;      // from a day: its mark, derived or explicit
  std::string set;                       // child of a day a typed mark goes to
  std::string label;                     // tooltip prefix of the cells' fields
  Style style;
  int line = 0;
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
  std::vector<Calendar> calendars;
  std::shared_ptr<const PageFlow> flow;  // set: a continuation page
};

struct Template {
  std::string path;  // the file it came from, for diagnostics
  // The form's, from the catalogue (set by the engine: a template names no form).
  std::string id, version, title, data_root;
  std::vector<TemplatePage> pages;
};

// What a fillable PDF's fields mean: one entry per data-bound item, in
// template order, as the layout names the fields.
struct Binding {
  enum class Kind { Text, Date, Comb, Radio, CheckBox };
  Kind kind = Kind::Text;
  std::string field;             // PDF field name
  std::string path;              // data path the value goes to
  std::string split;             // Comb parts: the separator joining them
  int part = 0;                  // Comb parts: 1-based index
  std::string on;                // CheckBox: the value it stands for
  std::vector<std::string> ons;  // Radio: the values its options set
  // A field of a repeated row: `field` and `path` hold "[#]" where the row's
  // index goes (consultations/consultation[#]/date); extraction expands it
  // for every index the PDF's fields carry.
  bool indexed() const { return field.find(kRowIndex) != std::string::npos; }
  static constexpr const char* kRowIndex = "[#]";
};
std::vector<Binding> bindings(const Template& t);

// What a calendar's fields mean (their names are "<days>#<n>"): extraction
// turns typed marks back into day elements with these.
struct CalendarBinding {
  std::string days;  // simple path of the day elements, e.g. work/day
  int cells = 0;     // fields <days>#1 … <days>#cells
  std::shared_ptr<xml::XPath> from, date, mark;
  std::string date_child, set;  // element names: a day's date, its typed mark
};
std::vector<CalendarBinding> calendar_bindings(const Template& t);

// Loads and checks a template: XSD (schemas/template.xsd) first, then the
// XPath bindings, compiled with `functions` (e.g. the form's y: rule
// functions and dated parameters; null = plain XPath). Throws Error naming
// file and line.
Template load_template(const std::string& path, const xml::Schema& template_schema,
                       const xml::XPathEnv* functions = nullptr, const Io& io = *system_io());

}  // namespace yoshiki::layout
