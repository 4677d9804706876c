// The experiment in a URL hash (docs/design.md, contract 6). Short form: TensorFlow Playground's own
// keys and values (`#activation=tanh&dataset=circle&networkShape=4,2&...`), so a Playground link
// opens as the same experiment, plus Liandan's keys in the same style (`optimizer=adam`,
// `epochs=50`, ...). Full form: `#spec=` and the spec's JSON, base64url-encoded (or as plain
// URI-encoded JSON when written by hand). docs/url.md lists every key and what it maps to.
#pragma once
#include <string>

#include "spec.h"

namespace liandan {

// Reads either form, with or without the leading '#'. Keys left out take TensorFlow Playground's
// defaults (not default_spec()'s: an empty hash is Playground's opening experiment). Throws
// Error naming the hash key for an unknown key or a bad value ("noise: 120 is above the maximum 100").
Spec spec_from_url_hash(const std::string &hash);

// The hash for a spec, without '#': the short form when it says the spec exactly (checked by
// reading it back), else the full form. spec_from_url_hash(url_hash_from_spec(s)) gives s back.
std::string url_hash_from_spec(const Spec &spec);

// TensorFlow Playground's seed is any text (it seeds seedrandom); ours is an integer. Whole
// numbers 0 … 2⁵³ are taken as they are, other text is hashed (FNV-1a, 64 bits, top bits cut to 53).
uint64_t seed_from_text(const std::string &text);

std::string base64url_encode(const std::string &bytes); // RFC 4648 §5, no padding
std::string base64url_decode(const std::string &text);  // throws Error("spec", ...) on bad input

} // namespace liandan
