#include "text/shape.h"

#include <algorithm>
#include <chrono>
#include <mutex>

namespace yoshiki::text {

double& thread_shaping_seconds() {
  thread_local double seconds = 0;
  return seconds;
}

namespace {
struct ShapeTimer {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  ~ShapeTimer() {
    thread_shaping_seconds() +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};
}  // namespace

namespace {

ShapedRun shape_uncached(const Font& font, std::string_view utf8) {
  ShapedRun run;
  run.font = &font;
  if (utf8.empty()) return run;
  hb_buffer_t* buf = hb_buffer_create();
  hb_buffer_add_utf8(buf, utf8.data(), static_cast<int>(utf8.size()), 0,
                     static_cast<int>(utf8.size()));
  hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
  hb_buffer_set_language(buf, hb_language_from_string("ja", 2));
  hb_buffer_guess_segment_properties(buf);
  hb_shape(font.hb(), buf, nullptr, 0);
  unsigned n = 0;
  hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
  hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &n);
  run.glyphs.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    Glyph g;
    g.gid = info[i].codepoint;
    g.advance = pos[i].x_advance;
    g.cluster = info[i].cluster;
    run.advance += g.advance;
    run.glyphs.push_back(std::move(g));
  }
  hb_buffer_destroy(buf);
  // The text of a cluster goes to its first glyph: from its cluster offset
  // to the next larger cluster offset (LTR, so clusters never decrease).
  for (size_t i = 0; i < run.glyphs.size(); ++i) {
    if (i > 0 && run.glyphs[i].cluster == run.glyphs[i - 1].cluster) continue;
    size_t end = utf8.size();
    for (size_t j = i + 1; j < run.glyphs.size(); ++j) {
      if (run.glyphs[j].cluster != run.glyphs[i].cluster) {
        end = run.glyphs[j].cluster;
        break;
      }
    }
    run.glyphs[i].text =
        std::string(utf8.substr(run.glyphs[i].cluster, end - run.glyphs[i].cluster));
  }
  return run;
}

}  // namespace

ShapedRun shape(const Font& font, std::string_view utf8) {
  ShapeTimer timer;
  Font::ShapeCache& cache = font.shape_cache();
  const std::string key(utf8);
  {
    std::shared_lock lock(cache.mu);
    auto it = cache.runs.find(key);
    if (it != cache.runs.end()) return it->second;
  }
  ShapedRun run = shape_uncached(font, utf8);
  std::unique_lock lock(cache.mu);
  if (cache.runs.size() < Font::ShapeCache::kMaxEntries) cache.runs.emplace(key, run);
  return run;
}

}  // namespace yoshiki::text
