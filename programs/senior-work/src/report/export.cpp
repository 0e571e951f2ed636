// report/export — the report's tables as files: CSV (RFC 4180) and XLSX
// (libxlsxwriter, Debian's libxlsxwriter-dev: a maintained writer of the
// Office Open XML package, so no zip or SpreadsheetML is written by hand).
// Every cell is written as text, exactly as in the CSV: codes such as "01"
// keep their leading zeros and dates stay ISO.
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "xml/xml.h"
#include "yoshiki/senior_work.h"

namespace yoshiki {

namespace {

bool is_number(const std::string& s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  size_t digits = 0, dots = 0;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9')
      ++digits;
    else if (s[i] == '.' && dots++ == 0)
      continue;
    else
      return false;
  }
  return digits > 0;
}

// A text cell that a spreadsheet would take for a formula gets a leading
// apostrophe, so an employer name "=HYPERLINK(...)" typed into a form stays
// text when the labour bureau opens the CSV: one starting with = + - @ (also
// full-width ＝＋－＠ and the small forms ﹦﹢﹣﹫, which spreadsheets fold
// to them), with a tab or carriage return (OWASP's CSV-injection list), or
// with any of those after leading spaces of any kind (ASCII, ideographic,
// no-break, the byte order mark). Numbers such as -1 stay numbers. The XLSX
// needs no such guard: every cell is written as a string.
size_t blank_prefix(std::string_view s) {
  static constexpr std::string_view kBlanks[] = {" ",
                                                 "\xE3\x80\x80",  // U+3000 ideographic space
                                                 "\xC2\xA0",      // U+00A0 no-break space
                                                 "\xEF\xBB\xBF",  // U+FEFF byte order mark
                                                 "\xE2\x80\x8B",  // U+200B zero-width space
                                                 "\xE2\x80\x82",
                                                 "\xE2\x80\x83",
                                                 "\xE2\x80\x89"};
  size_t at = 0;
  for (bool more = true; more;) {
    more = false;
    for (auto b : kBlanks)
      if (s.substr(at, b.size()) == b) {
        at += b.size();
        more = true;
      }
  }
  return at;
}

bool formula_lead(std::string_view s) {
  static constexpr std::string_view kLeads[] = {"=",
                                                "+",
                                                "-",
                                                "@",
                                                "\t",
                                                "\r",
                                                "\xEF\xBC\x9D",
                                                "\xEF\xBC\x8B",
                                                "\xEF\xBC\x8D",
                                                "\xEF\xBC\xA0",  // ＝＋－＠
                                                "\xEF\xB9\xA6",
                                                "\xEF\xB9\xA2",
                                                "\xEF\xB9\xA3",
                                                "\xEF\xB9\xAB"};  // ﹦﹢﹣﹫
  for (auto l : kLeads)
    if (s.substr(0, l.size()) == l) return true;
  return false;
}

std::string csv_text(const std::string& s) {
  const std::string_view rest = std::string_view(s).substr(blank_prefix(s));
  if (!formula_lead(rest) || is_number(std::string(rest)) || s == "-" ||
      s == "+")  // a lone dash is the list's "none"
    return s;
  return "'" + s;
}

std::string csv_field(const std::string& cell) {
  const std::string s = csv_text(cell);
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

void csv_line(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';  // appended, not "," + field: GCC 12 -O3 -Wrestrict false positive
    out += csv_field(cells[i]);
  }
  out += "\r\n";
}

[[noreturn]] void xlsx_failed(lxw_error e) {
  throw Error(ErrorKind::Io, {{Severity::Error, "xlsx.write",
                               std::string("cannot write XLSX: ") + lxw_strerror(e)}});
}

void check(lxw_error e) {
  if (e != LXW_NO_ERROR) xlsx_failed(e);
}

// A private folder for the workbook file libxlsxwriter insists on writing.
struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "yoshiki-xlsx-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
      throw Error(ErrorKind::Io,
                  {{Severity::Error, "xlsx.write", "cannot create a temporary folder"}});
    path = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
};

// Writes `table` from `row` on; returns the next free row.
lxw_row_t write_table(lxw_worksheet* sheet, const ReportTable& table, lxw_row_t row,
                      lxw_format* header) {
  for (size_t c = 0; c < table.columns.size(); ++c)
    check(worksheet_write_string(sheet, row, static_cast<lxw_col_t>(c),
                                 table.columns[c].header.c_str(), header));
  ++row;
  for (const auto& cells : table.rows) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].empty()) continue;
      check(
          worksheet_write_string(sheet, row, static_cast<lxw_col_t>(c), cells[c].c_str(), nullptr));
    }
    ++row;
  }
  return row;
}

}  // namespace

std::string to_csv(const ReportTable& table) {
  std::string out = "\xEF\xBB\xBF";  // BOM: Excel opens the file as UTF-8
  std::vector<std::string> header;
  for (const auto& c : table.columns) header.push_back(c.header);
  csv_line(out, header);
  for (const auto& row : table.rows) csv_line(out, row);
  return out;
}

std::vector<std::uint8_t> to_xlsx(const SeniorReport& report) {
  ScratchDir dir;
  const std::string file = (dir.path / "report.xlsx").string();
  lxw_workbook_options options{};
  options.tmpdir = const_cast<char*>(dir.path.c_str());
  struct Close {
    void operator()(lxw_workbook* wb) const { workbook_close(wb); }
  };
  std::unique_ptr<lxw_workbook, Close> wb(workbook_new_opt(file.c_str(), &options));
  if (!wb)
    throw Error(ErrorKind::Io, {{Severity::Error, "xlsx.write", "cannot create an XLSX workbook"}});
  lxw_format* header = workbook_add_format(wb.get());
  format_set_bold(header);
  lxw_worksheet* list = workbook_add_worksheet(wb.get(), "一覧表");
  if (!list) xlsx_failed(LXW_ERROR_MEMORY_MALLOC_FAILED);
  write_table(list, report.list, 0, header);
  worksheet_freeze_panes(list, 1, 0);
  lxw_worksheet* totals = workbook_add_worksheet(wb.get(), "集計");
  if (!totals) xlsx_failed(LXW_ERROR_MEMORY_MALLOC_FAILED);
  lxw_row_t row = 0;
  for (const auto& t : report.aggregates) {
    check(worksheet_write_string(totals, row++, 0, t.title.c_str(), header));
    row = write_table(totals, t, row, header) + 1;
  }
  lxw_error closed = workbook_close(wb.release());
  if (closed != LXW_NO_ERROR) xlsx_failed(closed);
  std::string bytes = xml::read_file(file, std::size_t{1} << 30);
  return {bytes.begin(), bytes.end()};
}

}  // namespace yoshiki
