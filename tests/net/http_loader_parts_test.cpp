// The I/O-free parts of programs/http-loader, compiled natively: its own SHA-256 (FIPS 180-4
// vectors, and against the store's hashing on odd sizes fed in odd pieces), its CID parser
// (against the store's CIDs in every spelling it accepts), its gateway addresses and requests,
// and its HTTP/1.1 response parser (Content-Length, chunked, end of connection, limits, lies).
#include "../../programs/http-loader/cid.h"
#include "../../programs/http-loader/gateway.h"
#include "../../programs/http-loader/http_response.h"
#include "../../programs/http-loader/sha256.h"
#include "net_test_support.h"
#include "store/multibase.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace hashos::net {
namespace {

using namespace http_loader;
using namespace testing;

std::string hex(const uint8_t* bytes, size_t size)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    for (size_t i = 0; i < size; ++i) {
        text += digits[bytes[i] >> 4];
        text += digits[bytes[i] & 15];
    }
    return text;
}

std::string sha256_hex(std::string_view text, size_t piece = 0)
{
    Sha256 hash;
    auto const* data = reinterpret_cast<const uint8_t*>(text.data());
    if (piece == 0) {
        hash.update(data, text.size());
    } else {
        for (size_t at = 0; at < text.size(); at += piece)
            hash.update(data + at, std::min(piece, text.size() - at));
    }
    uint8_t digest[k_sha256_size];
    hash.finish(digest);
    return hex(digest, sizeof digest);
}

TEST(HttpLoaderSha256, MatchesTheVectorsOfFips180)
{
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    std::string million(1'000'000, 'a');
    EXPECT_EQ(sha256_hex(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    EXPECT_EQ(sha256_hex(million, 7), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(HttpLoaderSha256, AgreesWithTheStoreOnEverySizeAroundTheBlockBoundaries)
{
    auto bytes = pattern_bytes(300);
    for (size_t size = 0; size <= bytes.size(); ++size) {
        std::string_view text(reinterpret_cast<const char*>(bytes.data()), size);
        auto expected = store::Multihash::sha2_256({ bytes.data(), size });
        std::string want = hex(expected.digest().data(), expected.digest().size());
        ASSERT_EQ(sha256_hex(text), want) << size;
        ASSERT_EQ(sha256_hex(text, 1), want) << size;
        ASSERT_EQ(sha256_hex(text, 63), want) << size;
    }
}

TEST(HttpLoaderCid, ReadsEverySpellingOfTheStoresCids)
{
    auto raw = store::Cid::v1(store::Codec::Raw, store::Multihash::sha2_256(as_bytes("hello world\n")));
    auto digest = raw.multihash().digest();
    ContentId cid;
    ASSERT_EQ(parse_cid("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4", cid), nullptr);
    EXPECT_EQ(cid.version, 1);
    EXPECT_EQ(cid.codec, k_codec_raw);
    EXPECT_EQ(hex(cid.digest, 32), hex(digest.data(), digest.size()));

    auto bytes = raw.bytes();
    std::string upper = "B" + store::encode_base32(bytes, store::LetterCase::Upper);
    std::string base58 = "z" + store::encode_base58btc(bytes);
    for (auto const& text : { upper, base58 }) {
        ContentId other;
        ASSERT_EQ(parse_cid(text.c_str(), other), nullptr) << text;
        EXPECT_EQ(other.codec, k_codec_raw);
        EXPECT_EQ(hex(other.digest, 32), hex(digest.data(), digest.size())) << text;
    }

    // CIDv0: a dag-pb block's bare multihash in base58btc.
    auto dag = expect_value(store::Cid::create(store::CidVersion::V0, store::Codec::DagPb, store::Multihash::sha2_256(as_bytes("node"))));
    auto v0 = dag.to_string();
    ASSERT_TRUE(v0.starts_with("Qm")) << v0;
    ContentId node;
    ASSERT_EQ(parse_cid(v0.c_str(), node), nullptr);
    EXPECT_EQ(node.version, 0);
    EXPECT_EQ(node.codec, k_codec_dag_pb);
    auto node_digest = dag.multihash().digest();
    EXPECT_EQ(hex(node.digest, 32), hex(node_digest.data(), node_digest.size()));
    ContentId node_v1;
    ASSERT_EQ(parse_cid(dag.to_v1().to_string().c_str(), node_v1), nullptr);
    EXPECT_EQ(node_v1.codec, k_codec_dag_pb);
}

TEST(HttpLoaderCid, RefusesWhatItCannotVerify)
{
    ContentId cid;
    std::string good = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
    EXPECT_NE(parse_cid("", cid), nullptr);
    EXPECT_NE(parse_cid("hello", cid), nullptr);
    EXPECT_NE(parse_cid(good.substr(0, good.size() - 1).c_str(), cid), nullptr); // truncated digest
    EXPECT_NE(parse_cid((good + "a").c_str(), cid), nullptr);                      // trailing bytes
    EXPECT_NE(parse_cid(("f" + good.substr(1)).c_str(), cid), nullptr);            // base16 prefix
    std::string mixed = good;
    mixed[10] = char(std::toupper(mixed[10]));
    EXPECT_NE(parse_cid(mixed.c_str(), cid), nullptr);
    std::string bad_character = good;
    bad_character[20] = '1';
    EXPECT_NE(parse_cid(bad_character.c_str(), cid), nullptr);
    // An identity multihash (code 0x00) and a dag-cbor codec (0x71) are well-formed CIDs this
    // loader cannot verify.
    std::vector<uint8_t> identity = { 0x01, 0x55, 0x00, 0x03, 'a', 'b', 'c' };
    std::string reason = parse_cid(("b" + store::encode_base32(identity)).c_str(), cid);
    EXPECT_NE(reason.find("sha2-256"), std::string::npos) << reason;
    auto cbor = store::Cid::v1(store::Codec::Raw, store::Multihash::sha2_256(as_bytes("x"))).bytes();
    cbor[1] = 0x71;
    reason = parse_cid(("b" + store::encode_base32(cbor)).c_str(), cid);
    EXPECT_NE(reason.find("codec"), std::string::npos) << reason;
}

TEST(HttpLoaderGateway, ParsesAddressesAndWritesTheTrustlessRequest)
{
    Gateway gateway;
    ASSERT_EQ(parse_gateway("127.0.0.1:8080", gateway), nullptr);
    EXPECT_STREQ(gateway.host, "127.0.0.1");
    EXPECT_EQ(gateway.port, 8080u);
    EXPECT_STREQ(gateway.name, "http://127.0.0.1:8080");

    ASSERT_EQ(parse_gateway("http://gateway.example/base/", gateway), nullptr);
    EXPECT_STREQ(gateway.host, "gateway.example");
    EXPECT_EQ(gateway.port, 80u);
    EXPECT_STREQ(gateway.base_path, "/base");
    char request[1024];
    size_t size = format_block_request(gateway, "bafkreiabc", request, sizeof request);
    ASSERT_GT(size, 0u);
    EXPECT_EQ(std::string(request, size),
        "GET /base/ipfs/bafkreiabc?format=raw HTTP/1.1\r\nHost: gateway.example:80\r\nAccept: application/vnd.ipld.raw\r\n"
        "User-Agent: hashos-http-loader\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(format_block_request(gateway, "bafkreiabc", request, 40), 0u);

    ASSERT_EQ(parse_gateway("http://[::1]:9000", gateway), nullptr);
    EXPECT_STREQ(gateway.host, "::1");
    EXPECT_STREQ(gateway.name, "http://[::1]:9000");

    std::string reason = parse_gateway("https://trustless-gateway.link", gateway);
    EXPECT_NE(reason.find("plain HTTP"), std::string::npos);
    EXPECT_NE(parse_gateway("127.0.0.1:99999", gateway), nullptr);
    EXPECT_NE(parse_gateway("127.0.0.1:", gateway), nullptr);
    EXPECT_NE(parse_gateway("", gateway), nullptr);
    EXPECT_NE(parse_gateway("host name:80", gateway), nullptr);
    EXPECT_NE(parse_gateway("[::1:80", gateway), nullptr);
    EXPECT_NE(parse_gateway("host:80/a b", gateway), nullptr);
}

// A sink that keeps the body as text.
class Collected final : public BodySink {
public:
    bool append(const uint8_t* data, size_t size) override
    {
        body.append(reinterpret_cast<const char*>(data), size);
        return true;
    }
    const char* reason() const override { return "never"; }
    std::string body;
};

struct Parsed {
    Progress progress;
    int status;
    std::string body;
    std::string error;
};

// Feeds `response` in pieces of `piece` bytes (0: at once), then the end of the stream if asked.
Parsed parse(std::string_view response, size_t piece = 0, bool close = true, uint64_t limit = 1 << 20)
{
    auto parser = std::make_unique<ResponseParser>(limit);
    Collected sink;
    Progress progress = Progress::NeedMore;
    size_t step = piece ? piece : std::max<size_t>(response.size(), 1);
    for (size_t at = 0; at < response.size() && progress == Progress::NeedMore; at += step) {
        auto chunk = response.substr(at, step);
        progress = parser->feed(reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size(), sink);
    }
    if (progress == Progress::NeedMore && close)
        progress = parser->end_of_stream();
    return { progress, parser->status(), sink.body, parser->error() ? parser->error() : "" };
}

TEST(HttpLoaderResponse, ReadsBodiesByLengthByChunksAndByTheEndOfTheConnection)
{
    std::string by_length = "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.ipld.raw\r\nContent-Length: 11\r\n\r\nhello world";
    std::string chunked = "HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\nContent-Length: 99\r\n\r\n"
                          "5;name=value\r\nhello\r\n1\r\n \r\nA\r\nworld12345\r\n0\r\nX-Trailer: yes\r\n\r\n";
    std::string until_close = "HTTP/1.0 200 OK\r\n\r\nhello world";
    std::string interim = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\n\nhello";
    for (size_t piece : { 0, 1, 3, 17 }) {
        auto parsed = parse(by_length, piece, false);
        EXPECT_EQ(parsed.progress, Progress::Done) << piece;
        EXPECT_EQ(parsed.body, "hello world");
        parsed = parse(chunked, piece, false);
        EXPECT_EQ(parsed.progress, Progress::Done) << piece << parsed.error;
        EXPECT_EQ(parsed.body, "hello world12345");
        parsed = parse(until_close, piece);
        EXPECT_EQ(parsed.progress, Progress::Done) << piece;
        EXPECT_EQ(parsed.body, "hello world");
        parsed = parse(interim, piece);
        EXPECT_EQ(parsed.progress, Progress::Done) << piece;
        EXPECT_EQ(parsed.status, 200);
        EXPECT_EQ(parsed.body, "hello");
    }
    auto not_found = parse("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found");
    EXPECT_EQ(not_found.progress, Progress::Done);
    EXPECT_EQ(not_found.status, 404);
    EXPECT_EQ(parse("HTTP/1.1 204 No Content\r\n\r\n", 0, false).progress, Progress::Done);
}

TEST(HttpLoaderResponse, RefusesMalformedTruncatedAndOversizedResponses)
{
    EXPECT_EQ(parse("SSH-2.0-OpenSSH\r\n\r\n").progress, Progress::Failed);
    EXPECT_EQ(parse("HTTP/1.1 2000 OK\r\n\r\n").progress, Progress::Failed);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n").progress, Progress::Failed);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab").progress, Progress::Failed);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n").progress, Progress::Failed);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n").progress, Progress::Failed);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n").progress, Progress::Failed);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").progress, Progress::Failed);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n").progress, Progress::Failed);
    EXPECT_EQ(parse("HTTP/1.1 101 Switching Protocols\r\n\r\n").progress, Progress::Failed);
    // Truncated: the connection ends before the head, the body or the last chunk does.
    EXPECT_EQ(parse("").progress, Progress::Failed);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Le").progress, Progress::Failed);
    auto short_body = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
    EXPECT_EQ(short_body.progress, Progress::Failed);
    EXPECT_NE(short_body.error.find("before its body"), std::string::npos);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n").progress, Progress::Failed);
    // Over the limit: refused as soon as the length is known, however it is framed.
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", 0, true, 10).progress, Progress::TooLarge);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n", 0, true, 10).progress,
        Progress::TooLarge);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\n\r\nhello world", 0, true, 10).progress, Progress::TooLarge);
    EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhelloworld", 0, false, 10).progress, Progress::Done);
    // A head that never ends is cut at 16 KiB.
    std::string endless = "HTTP/1.1 200 OK\r\n" + std::string(20'000, 'x');
    EXPECT_EQ(parse(endless, 4096, false).progress, Progress::Failed);
}

} // namespace
} // namespace hashos::net
