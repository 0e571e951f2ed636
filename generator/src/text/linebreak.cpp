#include "text/linebreak.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <memory>
#include <string>

#include "yoshiki/yoshiki.h"

namespace yoshiki::text {
namespace {

// ICU break iterators are expensive to create and not thread-safe to share:
// one per thread. Without one (ICU's data missing) no text can be broken by
// the rules: an error, never text laid out unbroken.
icu::BreakIterator& thread_line_iterator() {
  thread_local std::unique_ptr<icu::BreakIterator> it = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> bi(
        icu::BreakIterator::createLineInstance(icu::Locale("ja@lb=strict"), status));
    if (U_FAILURE(status) || !bi) {
      status = U_ZERO_ERROR;
      bi.reset(icu::BreakIterator::createLineInstance(icu::Locale::getRoot(), status));
    }
    if (U_FAILURE(status)) bi.reset();
    return bi;
  }();
  if (!it)
    throw Error(ErrorKind::Io, {{Severity::Error, "text.linebreak",
                                 "ICU has no line break iterator (is its data, libicu72, "
                                 "installed?)"}});
  return *it;
}

// Leaves the iterator on an empty text: setText() keeps a shallow clone of
// the UText, which would otherwise point into the caller's string after it
// is gone (a document's value, until the next setText()).
void release_text(icu::BreakIterator& bi) {
  static const char empty[] = "";
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, empty, 0, &status);
  if (U_SUCCESS(status)) bi.setText(ut, status);
  utext_close(ut);
}

bool is_trailing_space(std::string_view s, size_t end) {
  return end > 0 &&
         (s[end - 1] == ' ' || s[end - 1] == '\n' || s[end - 1] == '\r' || s[end - 1] == '\t');
}

size_t trim_end(std::string_view s, size_t begin, size_t end) {
  while (end > begin && is_trailing_space(s, end)) --end;
  return end;
}

bool is_utf8_start(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

}  // namespace

namespace {

std::vector<BreakOpportunity> icu_line_breaks(std::string_view utf8) {
  std::vector<BreakOpportunity> out;
  icu::BreakIterator& bi = thread_line_iterator();
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, utf8.data(), static_cast<int64_t>(utf8.size()), &status);
  if (U_FAILURE(status)) {
    out.push_back({utf8.size(), false});
    return out;
  }
  bi.setText(ut, status);
  for (int32_t p = bi.next(); p != icu::BreakIterator::DONE; p = bi.next()) {
    bool hard = bi.getRuleStatus() >= UBRK_LINE_HARD && bi.getRuleStatus() < UBRK_LINE_HARD_LIMIT;
    out.push_back({static_cast<size_t>(p), hard});
  }
  release_text(bi);
  utext_close(ut);
  if (out.empty() || out.back().offset != utf8.size()) out.push_back({utf8.size(), false});
  return out;
}

// Forms wrap the same notes in every document, and fitting tries one text
// at several sizes: ICU's answer is looked up and kept in the current
// TextScope (template texts across documents, values for one document).
// `local` holds the answer when nothing keeps it.
const std::vector<BreakOpportunity>& breaks_of(std::string_view utf8,
                                               std::vector<BreakOpportunity>& local) {
  TextScope* scope = TextScope::current();
  if (!scope) return local = icu_line_breaks(utf8);
  if (const auto* b = scope->breaks(utf8)) return *b;
  std::vector<BreakOpportunity> computed = icu_line_breaks(utf8);
  if (const auto* kept = scope->keep(utf8, computed)) return *kept;
  return local = std::move(computed);
}

}  // namespace

std::vector<BreakOpportunity> line_breaks(std::string_view utf8) {
  std::vector<BreakOpportunity> local;
  return breaks_of(utf8, local);
}

namespace {

// Advance accumulated up to each byte offset (glyphs count at their cluster).
std::vector<std::int64_t> advance_prefix(const ShapedRun& run, std::string_view utf8) {
  std::vector<std::int64_t> prefix(utf8.size() + 1, 0);
  for (const auto& g : run.glyphs)
    if (g.cluster < utf8.size()) prefix[g.cluster + 1] += g.advance;
  for (size_t i = 0; i < utf8.size(); ++i) prefix[i + 1] += prefix[i];
  return prefix;
}

std::vector<LineSpan> wrap_uncached(const ShapedRun& run, std::string_view utf8, double size,
                                    double max_width, const std::vector<std::int64_t>& prefix,
                                    const std::vector<BreakOpportunity>& breaks) {
  const double scale = size / run.font->metrics().units_per_em;
  auto width = [&](size_t a, size_t b) { return (prefix[b] - prefix[a]) * scale; };
  const double limit = max_width + 1e-6;

  std::vector<LineSpan> lines;
  auto emit = [&](size_t a, size_t b) { lines.push_back({a, trim_end(utf8, a, b)}); };

  size_t start = 0, last_fit = 0;
  for (size_t i = 0; i < breaks.size(); ++i) {
    size_t b = breaks[i].offset;
    if (width(start, trim_end(utf8, start, b)) <= limit) {
      last_fit = b;
      if (breaks[i].hard) {
        emit(start, b);
        start = last_fit = b;
      }
      continue;
    }
    if (last_fit > start) {  // break at the last opportunity that fitted
      emit(start, last_fit);
      start = last_fit;
      --i;  // reconsider this opportunity on the new line
      continue;
    }
    // One segment wider than the line: break between characters.
    size_t a = start;
    while (a < b) {
      size_t cut = a;
      for (size_t p = a + 1; p <= b; ++p) {
        if (p < b && !is_utf8_start(utf8[p])) continue;
        if (width(a, p) > limit) break;
        cut = p;
      }
      if (cut == a) {  // not even one character fits: take it anyway
        cut = a + 1;
        while (cut < b && !is_utf8_start(utf8[cut])) ++cut;
      }
      if (cut >= b || width(cut, trim_end(utf8, cut, b)) <= 0) {
        start = a;
        break;
      }
      emit(a, cut);
      a = cut;
      start = a;
    }
    last_fit = b;
    if (width(start, trim_end(utf8, start, b)) <= limit && breaks[i].hard) {
      emit(start, b);
      start = last_fit = b;
    }
  }
  if (start < utf8.size() && trim_end(utf8, start, utf8.size()) > start) emit(start, utf8.size());
  return lines;
}

}  // namespace

// A form's notes wrap the same way in every document, and fitting wraps a
// value at several sizes: kept in the current TextScope like shaped runs.
// What wrapping one run needs at every size, found at the first wrap that
// needs it: fitting wraps one run at many sizes.
namespace {
struct WrapState {
  std::vector<std::int64_t> prefix;  // the run's advance_prefix()
  const std::vector<BreakOpportunity>* breaks = nullptr;
  std::vector<BreakOpportunity> local;  // the breaks when no scope keeps them
};

std::vector<LineSpan> wrap_with(const ShapedRun& run, std::string_view utf8, double size,
                                double max_width, WrapState& state) {
  auto uncached = [&] {
    if (state.prefix.empty()) state.prefix = advance_prefix(run, utf8);
    if (!state.breaks) state.breaks = &breaks_of(utf8, state.local);
    return wrap_uncached(run, utf8, size, max_width, state.prefix, *state.breaks);
  };
  TextScope* scope = TextScope::current();
  if (!scope || !run.font) return uncached();
  if (const auto* lines = scope->lines(*run.font, size, max_width, utf8)) return *lines;
  auto lines = uncached();
  scope->keep_lines(*run.font, size, max_width, utf8, lines);
  return lines;
}
}  // namespace

std::vector<LineSpan> wrap_spans(const ShapedRun& run, std::string_view utf8, double size,
                                 double max_width) {
  WrapState state;
  return wrap_with(run, utf8, size, max_width, state);
}

std::vector<std::string> wrap(const ShapedRun& run, std::string_view utf8, double size,
                              double max_width) {
  std::vector<std::string> lines;
  for (const LineSpan& l : wrap_spans(run, utf8, size, max_width))
    lines.emplace_back(utf8.substr(l.begin, l.end - l.begin));
  return lines;
}

namespace {
constexpr double kSizeStep = 0.5;

double line_height(const FitBox& box, double size) { return size * box.leading; }

FitResult try_wrapped(const ShapedRun& run, std::string_view utf8, const FitBox& box, double size,
                      WrapState& state) {
  FitResult r;
  r.size = size;
  const std::vector<LineSpan> spans = wrap_with(run, utf8, size, box.width, state);
  // n lines need (n-1) leadings plus one em.
  double needed = spans.empty() ? 0 : (spans.size() - 1) * line_height(box, size) + size;
  // Each line shaped on its own only when the height allows: shaping is
  // what fitting a long value at many sizes costs. A line's run is mostly
  // a slice of the whole's, and kept in the TextScope for its drawing.
  r.fits = needed <= box.height + 1e-6;
  for (size_t i = 0; r.fits && i < spans.size(); ++i)
    r.fits = shape_part(run, utf8, spans[i].begin, spans[i].end).width(size) <= box.width + 1e-6;
  r.lines.reserve(spans.size());
  for (const LineSpan& l : spans) r.lines.emplace_back(utf8.substr(l.begin, l.end - l.begin));
  return r;
}
}  // namespace

FitResult fit_shrink_then_wrap(const Font& font, std::string_view utf8, const FitBox& box) {
  ShapedRun run = shape(font, utf8);
  bool has_newline = utf8.find('\n') != std::string_view::npos;
  if (!has_newline) {
    for (double s = box.size; s >= std::min(box.min_size, box.size) - 1e-9; s -= kSizeStep) {
      if (run.width(s) <= box.width + 1e-6 && s <= box.height + 1e-6)
        return FitResult{true, s, {std::string(utf8)}};
    }
  }
  return fit_wrapped(font, utf8, box);
}

FitResult fit_wrapped(const Font& font, std::string_view utf8, const FitBox& box) {
  ShapedRun run = shape(font, utf8);
  FitResult last;
  WrapState state;
  // A box whose nominal size is already below the minimum is tried at its size.
  for (double s = box.size; s >= std::min(box.min_size, box.size) - 1e-9; s -= kSizeStep) {
    last = try_wrapped(run, utf8, box, s, state);
    if (last.fits) return last;
  }
  return last;
}

}  // namespace yoshiki::text
