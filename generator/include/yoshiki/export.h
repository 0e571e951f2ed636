// yoshiki/export.h — YOSHIKI_EXPORT marks the public API: the shared library
// is built with hidden visibility, and only what carries this mark is
// exported from it.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define YOSHIKI_EXPORT __attribute__((visibility("default")))
#else
#define YOSHIKI_EXPORT
#endif
