// Finding bytes eight at a time: the splitters of sysstat text (parse) and
// of CSV (model/csv) look at each word of a line once instead of branching
// on every byte (fields are short, and a byte loop spent its time on
// branches).  Only on little-endian machines, where the lowest set bit of a
// match is the first byte in memory; elsewhere callers keep their byte loop.
#pragma once

#include <cstdint>
#include <cstring>

namespace clusterp {

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
inline constexpr bool k_byte_scan = true;
#else
inline constexpr bool k_byte_scan = false;
#endif

// The eight bytes at P as one word.
inline std::uint64_t load_word(const char* p) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

// The high bit of every byte of WORD that equals C, and no other bit set.
// A byte of x is zero where C is; the sum below sets the high bit of every
// other byte, with no carry from one byte into the next.
inline std::uint64_t bytes_equal(std::uint64_t word, unsigned char c) {
    constexpr std::uint64_t k_low7 = 0x7f7f7f7f7f7f7f7fULL;
    const std::uint64_t x = word ^ (0x0101010101010101ULL * c);
    return ~(((x & k_low7) + k_low7) | x | k_low7);
}

// The offset in its word of the first byte that MATCHES (bytes_equal's
// result, not zero) marks.
inline unsigned first_byte(std::uint64_t matches) { return unsigned(__builtin_ctzll(matches)) >> 3; }

}  // namespace clusterp
