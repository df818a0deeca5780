// LoaderHandler: the kernel-native handler of `loader` (interfaces/loader.proto): the bytes of a
// program (or any file) by CID, from the local block store — a raw block, or a UnixFS DAG
// reassembled — every block verified against its hash on the way (store/). When blocks are
// missing and a fetch hook is plugged in (the network fetcher, net::Fetcher), it fetches the DAG
// into the store and reads it again.
//
// The kernel does not call this class: it sends `Load` to whoever handles `loader`, so a wasm
// program the user trusts can take the interface over.
//
// Threads: deliver() from any thread; the reading (disk, network) runs on the event loop's
// blocking pool and the answer is sent from there. load() may be called from any thread and
// blocks.
#pragma once

#include "handlers/event_loop.h"
#include "kernel/handler.h"
#include "store/block_store.h"

#include <functional>
#include <memory>
#include <string_view>
#include <variant>
#include <vector>

namespace hashos::handlers {

// Makes the whole DAG under a root present in the store (net::Fetcher::fetch), or says why not.
using FetchHook = std::function<Result<void>(const store::Cid& root, const store::BlockStore& store)>;

struct LoadFailure {
    kernel::ErrorCode code;
    std::string message;
};

class LoaderHandler final : public kernel::Handler, public std::enable_shared_from_this<LoaderHandler> {
public:
    // The largest content the loader hands out when the request sets no smaller limit.
    static constexpr uint64_t k_default_max_size = 256 * 1024 * 1024;

    LoaderHandler(store::BlockStore store, EventLoop& loop, FetchHook fetch = {}, uint64_t max_size = k_default_max_size);

    kernel::Delivery deliver(kernel::Message&& message) override;
    std::string description() const override { return "the kernel's loader"; }

    // The verified content named by `cid_text`, at most `max_size` bytes (0: the loader's limit).
    // Errors carry the code loader.proto gives them.
    std::variant<std::vector<uint8_t>, LoadFailure> load(std::string_view cid_text, uint64_t max_size) const;

private:
    kernel::Answer answer(std::span<const uint8_t> payload) const;

    store::BlockStore m_store;
    EventLoop& m_loop;
    FetchHook m_fetch;
    uint64_t m_max_size;
};

} // namespace hashos::handlers
