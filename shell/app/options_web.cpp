// The page's arguments: web/liandan.js passes its URL hash (--url HASH), --embed and --fresh; the other options
// are for native runs (options_native.cpp). Reading that one pair here keeps CLI11's parser, about
// 40 KB gzip, out of what the page downloads before its first frame.
#include "options.h"

#include <string_view>

AppOptions parse_options(int argc, char **argv) {
    AppOptions o;
    for (int i = 1; i < argc; i += 2) {
        if (std::string_view(argv[i]) == "--fresh") { // ?keep=0: nothing restored or kept
            o.fresh = true;
            --i;
            continue;
        }
        const std::string_view name = argv[i];
        if ((name != "--url" && name != "--embed" && name != "--lang") || i + 1 >= argc) {
            o.error = std::string("the page takes only --url HASH, --embed LAYOUT, --lang LANGUAGE and --fresh, not '") + argv[i] + "'";
            break;
        }
        (name == "--url" ? o.url : name == "--embed" ? o.embed : o.lang) = argv[i + 1];
    }
    return o;
}
