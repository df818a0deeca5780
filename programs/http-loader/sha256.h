// SHA-256 (FIPS 180-4, section 6.2), written for http-loader so that a wasm program can check
// the bytes a gateway sent against their CID without trusting the host: streaming (update() any
// number of times, then finish()), no I/O, no standard library, so the same code is tested
// natively (tests/net/http_loader_parts_test.cpp).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace http_loader {

constexpr size_t k_sha256_size = 32;

class Sha256 {
public:
    Sha256();
    void update(const uint8_t* data, size_t size);
    // The digest of everything given to update(); the object is spent afterwards.
    void finish(uint8_t digest[k_sha256_size]);

private:
    void compress(const uint8_t block[64]);

    uint32_t m_state[8];
    uint8_t m_block[64];
    size_t m_filled = 0;      // bytes waiting in m_block
    uint64_t m_length = 0;    // bytes hashed so far
};

} // namespace http_loader
