// What a data file holds, told from its bytes rather than its name: IDX images or labels (the
// MNIST format, plain or gzip) or CSV text with a header row. Reading the data is left to idx.h
// and csv.h; pointing a spec at the files is fit_spec.h.
#pragma once
#include <string>
#include <vector>

namespace liandan {

enum class DataFileKind { csv, idx_images, idx_labels, weights, spec };

struct DataFileInfo {
    DataFileKind kind = DataFileKind::csv;
    std::string path;
    bool gzip = false;                // the bytes on disk are gzip-compressed
    std::vector<std::string> columns; // csv: the header row
    std::vector<int> dims;            // idx: [N] for labels, [N, ...] for images (or rows of features)
};

// Looks at the start of the file: a spec by its JSON object's '{', safetensors weights by their 8-byte header length and '{', IDX by its magic (two zero bytes, type, dimension count) after
// an optional gzip layer, with one dimension meaning labels and more meaning samples; CSV when
// the text's first row has at least two comma-separated names. Throws Error naming the file
// when it is neither, or when an IDX header is malformed.
DataFileInfo detect_data_file(const std::string &path);

const char *data_file_kind_name(DataFileKind kind); // "CSV", "IDX images", "IDX labels", "safetensors weights", "spec"

} // namespace liandan
