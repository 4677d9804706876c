// The error the core throws for bad user input: it names the key, file or line at fault.
// Programming errors are asserts, not this.
#pragma once
#include <stdexcept>
#include <string>

namespace liandan {

class Error : public std::runtime_error {
public:
    // where: the spec key ("model.layers[2].units"), file name or "file:line" at fault.
    Error(std::string where, const std::string &what)
        : std::runtime_error(where.empty() ? what : where + ": " + what), where_(std::move(where)) {}
    const std::string &where() const { return where_; }

private:
    std::string where_;
};

} // namespace liandan
