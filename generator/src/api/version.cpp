// The library's version, compiled in from the generated header.
#include "yoshiki/version.h"

namespace yoshiki {

const char* version() { return YOSHIKI_VERSION_STRING; }

}  // namespace yoshiki
