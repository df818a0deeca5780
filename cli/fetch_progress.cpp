#include "cli/fetch_progress.h"

#include <fmt/core.h>

#include <unistd.h>

namespace hashos::cli {

namespace {

constexpr auto k_redraw_interval = std::chrono::milliseconds(100);
constexpr size_t k_bar_width = 24;

std::string human_bytes(double bytes)
{
    constexpr const char* units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    size_t unit = 0;
    while (bytes >= 1024 && unit + 1 < std::size(units)) {
        bytes /= 1024;
        ++unit;
    }
    return unit == 0 ? fmt::format("{:.0f} {}", bytes, units[unit]) : fmt::format("{:.1f} {}", bytes, units[unit]);
}

} // namespace

FetchProgressBar::FetchProgressBar(std::string label)
    : m_label(std::move(label))
    , m_enabled(::isatty(STDERR_FILENO) == 1)
    , m_start(std::chrono::steady_clock::now())
{
}

void FetchProgressBar::update(const net::FetchProgress& progress)
{
    if (!m_enabled || m_finished)
        return;
    m_latest = progress;
    auto now = std::chrono::steady_clock::now();
    if (m_drawn && now - m_last_draw < k_redraw_interval)
        return;
    m_last_draw = now;
    draw();
}

void FetchProgressBar::draw()
{
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    double rate = seconds > 0 ? double(m_latest.bytes_received) / seconds : 0;
    std::string amount = human_bytes(double(m_latest.bytes_received));
    std::string bar;
    if (m_latest.total_bytes && *m_latest.total_bytes > 0) {
        double fraction = std::min(1.0, double(m_latest.bytes_received) / double(*m_latest.total_bytes));
        size_t filled = size_t(fraction * k_bar_width);
        bar = "[" + std::string(filled, '#') + std::string(k_bar_width - filled, '.') + "] ";
        amount += " / " + human_bytes(double(*m_latest.total_bytes));
    }
    // \r and "erase line" redraw in place.
    fmt::print(stderr, "\r\033[K{} {}{}  {}/s  {} block(s){}", m_label, bar, amount, human_bytes(rate),
        m_latest.blocks_stored, m_latest.peer.empty() ? "" : "  from " + m_latest.peer);
    m_drawn = true;
}

void FetchProgressBar::finish()
{
    if (!m_enabled || m_finished)
        return;
    m_finished = true;
    if (!m_drawn)
        return;
    draw();
    fmt::print(stderr, "\n");
}

} // namespace hashos::cli
