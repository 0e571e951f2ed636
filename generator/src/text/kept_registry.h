// kept_registry — every live cache object of one type that keeps text
// across documents (text::StaticText, layout::StaticDrawing), so that a test
// can ask whether any of them holds a given value (text_is_kept,
// drawing_is_kept): personal values must never be kept.
#pragma once

#include <mutex>
#include <set>
#include <string_view>

namespace yoshiki::text {

// T has `bool holds(std::string_view utf8) const`. Objects add themselves
// when built and remove themselves when destroyed.
template <class T>
class KeptRegistry {
 public:
  static void add(const T* t) {
    std::lock_guard lock(mu());
    all().insert(t);
  }
  static void remove(const T* t) {
    std::lock_guard lock(mu());
    all().erase(t);
  }
  static bool any_holds(std::string_view utf8) {
    std::lock_guard lock(mu());
    for (const T* t : all())
      if (t->holds(utf8)) return true;
    return false;
  }

 private:
  // Never destroyed: a static Engine's objects remove themselves at exit,
  // after function statics made later than the Engine are gone.
  static std::mutex& mu() {
    static auto* m = new std::mutex;
    return *m;
  }
  static std::set<const T*>& all() {
    static auto* s = new std::set<const T*>;
    return *s;
  }
};

}  // namespace yoshiki::text
