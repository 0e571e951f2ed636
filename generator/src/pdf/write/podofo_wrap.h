// PoDoFo 0.9.8's headers use std::iterator, deprecated in C++17: silence that
// warning for this include only.
#pragma once
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <podofo.h>
#pragma GCC diagnostic pop
