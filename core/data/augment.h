// Random shifts and mirrors of training images (train.augment in spec.h), made as a batch is
// gathered; evaluation rows are never changed. An image moves in its raw pixels' space: the
// uncovered edge is a raw 0 and each pixel keeps the normalization of the place it lands on, as
// torchvision's RandomCrop(padding=shift) and RandomHorizontalFlip before Normalize do.
#pragma once
#include <cstdint>
#include <vector>

#include "data/dataset.h"
#include "spec.h"
#include "util/rng.h"

namespace liandan {

class ImageAugmenter {
public:
    // The network's view of a row: [c, h, w]. Throws Error naming train.augment when augmenting is
    // asked of rows that are not images, or the shift would move an image off itself.
    ImageAugmenter(const AugmentSpec &spec, int c, int h, int w, uint64_t seed);
    bool on() const { return spec_.on(); }
    // Draws the next batch's moves, row after row from one stream: the same batch whatever the
    // number of threads that then apply them.
    void draw(int n);
    // Row r of the batch as drawn: src [F], a row of d (normalized), into dst [F].
    void apply(int r, const Dataset &d, const float *src, float *dst) const;

private:
    struct Move {
        int dx = 0, dy = 0; // the image moves right by dx and down by dy
        bool flip = false;  // mirrored before it moves
    };
    AugmentSpec spec_;
    int c_, h_, w_;
    Rng rng_;
    std::vector<Move> moves_;
};

} // namespace liandan
