// `hashos serve [--listen HOST:PORT]`: answers the IPFS trustless gateway protocol from the data
// directory's block store until SIGTERM or SIGINT, then exits with status 0. Port 0 picks a free
// port. Prints `listening on http://HOST:PORT` once it accepts connections.
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/data_dir.h"
#include "net/gateway_server.h"

#include <fmt/core.h>

#include <charconv>
#include <csignal>
#include <memory>
#include <pthread.h>
#include <thread>

namespace hashos::cli {

namespace {

struct Address {
    std::string host;
    int port;
};

Result<Address> parse_address(const std::string& text)
{
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return Error("'" + text + "' is not HOST:PORT");
    std::string host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    int port = -1;
    auto digits = std::string_view(text).substr(colon + 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (error != std::errc() || end != digits.data() + digits.size() || port < 0 || port > 65535)
        return Error("'" + text + "' has no valid port (0 to 65535)");
    return Address { host, port };
}

Result<void> serve(const std::string& listen)
{
    auto address = TRY(parse_address(listen));
    auto server = std::make_unique<net::GatewayServer>(TRY(open_block_store()));
    int port = TRY(server->bind(address.host, address.port));

    // SIGTERM and SIGINT are blocked in every thread (the server's pool inherits the mask) and
    // taken by one thread with sigwait, which stops the server from outside a signal handler.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    // A client that hangs up mid-response must not kill the server.
    std::signal(SIGPIPE, SIG_IGN);
    std::thread waiter([&] {
        int signal = 0;
        sigwait(&stop_signals, &signal);
        server->stop();
    });

    std::string host = address.host.find(':') != std::string::npos ? "[" + address.host + "]" : address.host;
    fmt::print("listening on http://{}:{}\n", host, port);
    std::fflush(stdout);
    auto result = server->run();
    // If the server stopped on its own, the waiter still waits: wake it.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return result;
}

} // namespace

void add_serve_command(CLI::App& app, int& exit_code)
{
    auto listen = std::make_shared<std::string>();
    auto* command = app.add_subcommand("serve", "Serve the block store over the IPFS trustless gateway protocol");
    command->add_option("--listen", *listen, "HOST:PORT to listen on (default: the config's serve.listen, else 127.0.0.1:8080)");
    command->callback([listen, &exit_code] {
        auto result = [&]() -> Result<void> {
            auto config = TRY(load_config());
            return serve(listen->empty() ? config.listen : *listen);
        }();
        if (result.is_error()) {
            fmt::print(stderr, "hashos serve: {}\n", result.error().message());
            exit_code = 1;
        }
    });
}

} // namespace hashos::cli
