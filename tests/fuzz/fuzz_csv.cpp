// Fuzzes the CSV reader as the app uses it: the header, the column survey, then the data set with
// the last column as the target, as classes and as values. Bad files must give an Error.
#include "data/csv.h"
#include "fuzz_input.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string &path = liandan::fuzz::file_of(data, size);
    try {
        const std::vector<std::string> header = liandan::read_csv_header(path);
        liandan::read_csv_columns(path);
        if (header.empty()) return 0;
        liandan::DataSpec spec;
        spec.source = liandan::DataSource::csv;
        spec.path = path;
        spec.target = header.back();
        spec.features.clear();
        for (bool classification : {true, false}) {
            try {
                const liandan::CsvData csv = liandan::read_csv_dataset(spec, classification);
                if (csv.x.size() != size_t(csv.n) * csv.feature_names.size() || csv.y.size() != size_t(csv.n)) __builtin_trap();
            } catch (const liandan::Error &) {
            }
        }
    } catch (const liandan::Error &) {
    }
    return 0;
}
