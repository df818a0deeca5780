#include "handlers/process.h"

#include "handlers/wire.h"
#include "loader.interface.h"
#include "process.interface.h"
#include "store/cid.h"

#include <pb_decode.h>
#include <pb_encode.h>

#include <algorithm>
#include <cstring>

namespace hashos::handlers {

namespace {

// Program arguments (and environment entries): at most this many, of at most this many bytes each.
constexpr size_t k_max_arguments = 1024;
constexpr size_t k_max_argument_size = 65536;

kernel::Answer error(kernel::ErrorCode code, std::string message)
{
    return kernel::Answer::error(code, "process: " + message);
}

// A repeated string field, each occurrence appended (a nanopb callback).
bool read_argument(pb_istream_t* stream, const pb_field_t*, void** argument)
{
    auto& arguments = *static_cast<std::vector<std::string>*>(*argument);
    if (arguments.size() >= k_max_arguments || stream->bytes_left > k_max_argument_size)
        return false;
    std::string text(stream->bytes_left, '\0');
    if (!pb_read(stream, reinterpret_cast<pb_byte_t*>(text.data()), text.size()))
        return false;
    arguments.push_back(std::move(text));
    return true;
}

// The first entry of `environment` that is not "NAME=value" with a non-empty name, if any.
std::optional<std::string> malformed_variable(const std::vector<std::string>& environment)
{
    for (const auto& entry : environment) {
        auto equals = entry.find('=');
        if (equals == std::string::npos || equals == 0)
            return entry.substr(0, 64);
    }
    return std::nullopt;
}

// Copies `text` into a nanopb char array of `capacity` bytes; false if it does not fit.
bool copy_string(char* destination, size_t capacity, std::string_view text)
{
    if (text.size() >= capacity)
        return false;
    std::memcpy(destination, text.data(), text.size());
    destination[text.size()] = '\0';
    return true;
}

std::string short_cid(const std::string& cid) { return cid.size() > 16 ? cid.substr(0, 14) + "…" : cid; }

kernel::Answer wait_response(const kernel::ExitStatus& status)
{
    hashos_process_WaitResponse response = hashos_process_WaitResponse_init_zero;
    switch (status.kind) {
    case kernel::ExitStatus::Kind::Exited:
        response.termination = hashos_process_Termination_TERMINATION_EXITED;
        response.exit_code = status.code;
        break;
    case kernel::ExitStatus::Kind::Trapped:
        response.termination = hashos_process_Termination_TERMINATION_TRAPPED;
        break;
    case kernel::ExitStatus::Kind::Killed:
        response.termination = hashos_process_Termination_TERMINATION_KILLED;
        break;
    }
    // process.proto: one line of at most 255 bytes.
    copy_string(response.reason, sizeof(response.reason), std::string_view(status.message).substr(0, sizeof(response.reason) - 1));
    return kernel::Answer::ok(encode(hashos_process_WaitResponse_fields, &response));
}

} // namespace

ProcessManager::ProcessManager(kernel::Kernel& kernel, EventLoop& loop, Config config)
    : m_kernel(kernel)
    , m_loop(loop)
    , m_config(std::move(config))
    , m_watcher(std::make_shared<ExitWatcher>(kernel, loop))
{
}

kernel::Delivery ProcessManager::deliver(kernel::Message&& message)
{
    handle(std::move(message));
    return kernel::Delivery::Accepted;
}

void ProcessManager::handle(kernel::Message message)
{
    auto request = split_request(message.body);
    if (!request) {
        answer_message(message, malformed_request("process", "no method number"));
        return;
    }
    auto reply = [message](kernel::Answer answer) { answer_message(message, std::move(answer)); };
    switch (request->method) {
    case hashos_process_Process_METHOD_Spawn: {
        hashos_process_SpawnRequest spawn_request = hashos_process_SpawnRequest_init_zero;
        SpawnSpec spec;
        spawn_request.arguments.funcs.decode = &read_argument;
        spawn_request.arguments.arg = &spec.arguments;
        spawn_request.environment.funcs.decode = &read_argument;
        spawn_request.environment.arg = &spec.environment;
        if (auto decoded = decode(request->payload, hashos_process_SpawnRequest_fields, &spawn_request); decoded.is_error()) {
            reply(malformed_request("process", decoded.error().message()));
            return;
        }
        if (auto bad = malformed_variable(spec.environment)) {
            reply(error(kernel::ErrorCode::InvalidArgument, "environment entry \"" + *bad + "\" is not NAME=value"));
            return;
        }
        spec.cid = spawn_request.cid;
        spec.parent = message.sender;
        spawn(std::move(spec), std::move(reply));
        return;
    }
    case hashos_process_Process_METHOD_Wait: {
        hashos_process_WaitRequest wait_request = hashos_process_WaitRequest_init_zero;
        if (auto decoded = decode(request->payload, hashos_process_WaitRequest_fields, &wait_request); decoded.is_error()) {
            reply(malformed_request("process", decoded.error().message()));
            return;
        }
        add_waiter(kernel::ProcessId(wait_request.process_id), { message.sender, message.id, std::move(reply) });
        return;
    }
    case hashos_process_Process_METHOD_List:
        // Off the worker: a process that lists may be one whose spawn has not been entered yet
        // (see name_of), and waiting for that must not hold a kernel worker.
        m_loop.post_blocking([self = shared_from_this(), reply = std::move(reply)] { reply(self->list()); });
        return;
    default:
        reply(unknown_method("process", request->method));
    }
}

void ProcessManager::spawn(SpawnSpec spec, AnswerCallback done)
{
    auto cid = store::Cid::parse(spec.cid);
    if (cid.is_error()) {
        done(error(kernel::ErrorCode::InvalidArgument, "'" + spec.cid + "' is not a CID: " + cid.error().message()));
        return;
    }
    // One spelling per program, so its permissions and its log prefix do not depend on how the
    // CID was written.
    std::string canonical = cid->to_v1().to_string();
    {
        std::lock_guard lock(m_lock);
        if (m_running + m_starting >= m_config.max_processes) {
            done(error(kernel::ErrorCode::ResourceExhausted,
                "the limit of " + std::to_string(m_config.max_processes) + " processes is reached"));
            return;
        }
        ++m_starting;
    }

    if (spec.program) {
        m_loop.post_blocking([self = shared_from_this(), canonical, spec = std::move(spec), done = std::move(done)] {
            self->start(canonical, spec, *spec.program, done);
        });
        return;
    }

    hashos_loader_LoadRequest load = hashos_loader_LoadRequest_init_zero;
    copy_string(load.cid, sizeof(load.cid), canonical); // a CIDv1 of sha2-256 is 59 characters
    auto body = encode_request(hashos_loader_Loader_METHOD_Load, hashos_loader_LoadRequest_fields, &load);
    auto on_loaded = [self = shared_from_this(), canonical, spec = std::move(spec), done = std::move(done)](kernel::Answer answer) mutable {
        if (answer.kind == kernel::AnswerKind::Error) {
            auto reason = decode_error(answer.body);
            self->release_slot();
            done(kernel::Answer::error(kernel::ErrorCode(reason.code), "process: cannot load " + canonical + ": " + reason.message));
            return;
        }
        // The answer may arrive on a kernel worker (a wasm loader): validating and compiling
        // the program belongs on the blocking pool.
        self->m_loop.post_blocking([self, canonical, spec = std::move(spec), done = std::move(done), answer = std::move(answer)] {
            hashos_loader_LoadResponse response = hashos_loader_LoadResponse_init_zero;
            StringField content(answer.body.size());
            content.attach(response.content);
            if (auto decoded = decode(answer.body, hashos_loader_LoadResponse_fields, &response); decoded.is_error()) {
                self->release_slot();
                done(error(kernel::ErrorCode::Internal, "the loader's answer for " + canonical + " does not decode: " + decoded.error().message()));
                return;
            }
            auto const& bytes = content.value();
            self->start(canonical, spec, { reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size() }, done);
        });
    };
    m_kernel.emit(m_config.loader_interface, std::move(body), kernel::WaitForHandler::No, std::move(on_loaded));
}

void ProcessManager::start(const std::string& cid, const SpawnSpec& spec, std::span<const uint8_t> program, AnswerCallback done)
{
    {
        std::lock_guard lock(m_lock);
        ++m_in_kernel;
    }
    // Humans see a shortened CID for a program without a name; the program itself, its full CID.
    std::string name = spec.name.empty() ? short_cid(cid) : spec.name;
    auto spawned = m_kernel.spawn(program, kernel::ProgramId(cid), name);
    {
        std::lock_guard lock(m_lock);
        --m_in_kernel;
        --m_starting;
        if (!spawned.is_error()) {
            m_entries.emplace(spawned.value(),
                Entry { cid, name, spec.parent, { spec.name.empty() ? cid : spec.name, spec.arguments, spec.environment }, std::nullopt, false, {} });
            ++m_running;
        }
    }
    m_spawned.notify_all();
    if (spawned.is_error()) {
        done(error(kernel::ErrorCode::InvalidArgument, "cannot start " + cid + ": " + spawned.error().message()));
        return;
    }
    kernel::ProcessId process = spawned.value();
    m_watcher->watch(process, [weak = weak_from_this(), process](const kernel::ExitStatus& status) {
        if (auto self = weak.lock())
            self->ended(process, status);
    });
    hashos_process_SpawnResponse response = hashos_process_SpawnResponse_init_zero;
    response.process_id = process.value();
    done(kernel::Answer::ok(encode(hashos_process_SpawnResponse_fields, &response)));
}

void ProcessManager::release_slot()
{
    std::lock_guard lock(m_lock);
    --m_starting;
}

void ProcessManager::ended(kernel::ProcessId process, const kernel::ExitStatus& status)
{
    std::vector<Waiter> waiters;
    {
        std::lock_guard lock(m_lock);
        auto it = m_entries.find(process);
        if (it == m_entries.end())
            return;
        --m_running;
        waiters = std::move(it->second.waiters);
        // Collected once: by the waiters now, or by the first Wait to come; nobody is left to
        // wait when the parent has ended.
        if (!waiters.empty() || it->second.parent_gone)
            m_entries.erase(it);
        else
            it->second.status = status;
    }
    for (auto& waiter : waiters)
        waiter.done(wait_response(status));
}

void ProcessManager::wait(kernel::SenderId waiter, kernel::ProcessId process, AnswerCallback done)
{
    add_waiter(process, { waiter, kernel::MessageId(), std::move(done) });
}

void ProcessManager::add_waiter(kernel::ProcessId process, Waiter waiter)
{
    auto& done = waiter.done;
    std::optional<kernel::ExitStatus> status;
    {
        std::lock_guard lock(m_lock);
        auto it = m_entries.find(process);
        if (it == m_entries.end()) {
            done(error(kernel::ErrorCode::NotFound, "no process " + std::to_string(process.value()) + " to wait for"));
            return;
        }
        if (it->second.parent != waiter.sender) {
            done(error(kernel::ErrorCode::PermissionDenied, "process " + std::to_string(process.value()) + " is not a child of the sender"));
            return;
        }
        if (!it->second.status) {
            it->second.waiters.push_back(std::move(waiter));
            return;
        }
        status = std::move(it->second.status);
        m_entries.erase(it);
    }
    done(wait_response(*status));
}

void ProcessManager::cancel(kernel::MessageId id)
{
    std::lock_guard lock(m_lock);
    for (auto& [process, entry] : m_entries)
        std::erase_if(entry.waiters, [&](const Waiter& waiter) { return waiter.message == id && !id.is_null(); });
}

void ProcessManager::sender_exited(kernel::SenderId sender)
{
    std::lock_guard lock(m_lock);
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        auto& entry = it->second;
        std::erase_if(entry.waiters, [&](const Waiter& waiter) { return waiter.sender == sender; });
        if (entry.parent == sender && entry.status) {
            it = m_entries.erase(it);
            continue;
        }
        if (entry.parent == sender)
            entry.parent_gone = true;
        ++it;
    }
}

kernel::Answer ProcessManager::list() const
{
    std::vector<hashos_process_ProcessInfo> processes;
    {
        std::unique_lock lock(m_lock);
        m_spawned.wait_for(lock, std::chrono::seconds(1), [&] { return m_in_kernel == 0; });
        for (auto const& [id, entry] : m_entries) {
            if (entry.status)
                continue;
            hashos_process_ProcessInfo info = hashos_process_ProcessInfo_init_zero;
            info.process_id = id.value();
            info.parent_process_id = entry.parent.value();
            copy_string(info.cid, sizeof(info.cid), entry.cid);
            if (auto usage = m_kernel.usage(id)) {
                info.thread_count = usage->threads;
                info.memory_bytes = usage->memory_bytes;
            }
            processes.push_back(info);
        }
    }
    hashos_process_ListResponse response = hashos_process_ListResponse_init_zero;
    response.processes.funcs.encode = [](pb_ostream_t* stream, const pb_field_t* field, void* const* argument) {
        for (auto const& info : *static_cast<const std::vector<hashos_process_ProcessInfo>*>(*argument)) {
            if (!pb_encode_tag_for_field(stream, field) || !pb_encode_submessage(stream, hashos_process_ProcessInfo_fields, &info))
                return false;
        }
        return true;
    };
    response.processes.arg = &processes;
    return kernel::Answer::ok(encode(hashos_process_ListResponse_fields, &response));
}

const ProcessManager::Entry* ProcessManager::entry_of(kernel::ProcessId process, NameWait wait,
    std::unique_lock<std::mutex>& lock) const
{
    // A process runs as soon as Kernel::spawn queues it, a moment before it is entered here:
    // its first message may beat its entry. Then wait for the spawns in the kernel to finish.
    auto known = [&] { return m_entries.contains(process) || m_in_kernel == 0; };
    if (!known()) {
        if (wait == NameWait::No)
            return nullptr;
        m_spawned.wait_for(lock, std::chrono::seconds(1), known);
    }
    auto it = m_entries.find(process);
    return it == m_entries.end() ? nullptr : &it->second;
}

std::optional<ProcessManager::StartupContext> ProcessManager::startup_context(kernel::SenderId sender, NameWait wait) const
{
    std::unique_lock lock(m_lock);
    if (const Entry* entry = entry_of(kernel::ProcessId(sender.value()), wait, lock))
        return entry->startup;
    return std::nullopt;
}

std::optional<std::string> ProcessManager::name_of(kernel::SenderId sender, NameWait wait) const
{
    kernel::ProcessId process(sender.value());
    std::unique_lock lock(m_lock);
    if (const Entry* entry = entry_of(process, wait, lock))
        return entry->name;
    // Not entered yet and not waited for: the caller says so.
    if (wait == NameWait::No && !(m_entries.contains(process) || m_in_kernel == 0))
        return std::nullopt;
    return sender.is_null() ? "kernel" : "process " + std::to_string(sender.value());
}

std::optional<kernel::ProgramId> ProcessManager::program_of(kernel::SenderId sender, NameWait wait) const
{
    std::unique_lock lock(m_lock);
    if (const Entry* entry = entry_of(kernel::ProcessId(sender.value()), wait, lock))
        return kernel::ProgramId(entry->cid);
    return std::nullopt;
}

} // namespace hashos::handlers
