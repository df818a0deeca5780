// FetchProgressBar: one line on stderr that follows a fetch (bytes, rate, peer) when stderr is a
// terminal, and prints nothing otherwise, so scripts and logs stay quiet. Redraws at most ten
// times a second. Used by `hashos fetch` (and by `hashos run` when it fetches); one thread.
#pragma once

#include "net/fetcher.h"

#include <chrono>
#include <string>

namespace hashos::cli {

class FetchProgressBar {
public:
    explicit FetchProgressBar(std::string label);
    ~FetchProgressBar() { finish(); }

    void update(const net::FetchProgress& progress);
    // Draws the final state and ends the line; later updates are ignored.
    void finish();

    net::ProgressCallback callback()
    {
        return [this](const net::FetchProgress& progress) { update(progress); };
    }

private:
    void draw();

    std::string m_label;
    bool m_enabled;
    bool m_drawn = false;
    bool m_finished = false;
    net::FetchProgress m_latest;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last_draw;
};

} // namespace hashos::cli
