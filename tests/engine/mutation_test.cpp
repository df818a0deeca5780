// Robustness: thousands of deterministic mutations of the core spec suite's modules go through
// decode, validate, instantiate (imports satisfied by dummies of the declared types) and a call
// of every exported function under a small fuel bound. Nothing may crash or hang; the sanitizers
// of the debug build catch what a plain run would not. Prints how far the inputs got.
//
// Environment: HASHOS_MUTATION_INPUTS (default 50000), HASHOS_MUTATION_SEED, and
// HASHOS_MUTATION_DUMP=FILE to write each input to FILE before it runs (after a crash, FILE holds
// the input that crashed), or only input number HASHOS_MUTATION_DUMP_INDEX.
#include "engine/instance.h"
#include "engine/thread.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace hashos;
using namespace hashos::wasm;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t k_default_seed = 0x68617368'6f73'2021; // "hashos !" in ASCII
constexpr uint32_t k_default_inputs = 50'000;
constexpr uint64_t k_fuel_per_call = 100'000;
// Dummy imports and defined memories stay small so that a mutated limit cannot make one input
// allocate gigabytes; bigger requests are counted as skipped, not failed.
constexpr uint32_t k_memory_page_limit = 16;
constexpr uint32_t k_max_dummy_table_size = 10'000;

uint64_t environment_number(const char* name, uint64_t fallback)
{
    const char* text = std::getenv(name);
    return text && *text ? std::strtoull(text, nullptr, 0) : fallback;
}

// splitmix64: tiny, and the same sequence on every platform (unlike std distributions).
class Random {
public:
    explicit Random(uint64_t seed) : m_state(seed) {}
    uint64_t next()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    // Uniform enough in [0, bound) for fuzzing; bound > 0.
    uint64_t below(uint64_t bound) { return next() % bound; }
    bool one_in(uint64_t n) { return below(n) == 0; }

private:
    uint64_t m_state;
};

// --- The corpus: every binary module wast2json writes for the core suite ------------------------

class Corpus {
public:
    static Corpus& get()
    {
        static Corpus corpus;
        return corpus;
    }
    const std::vector<std::vector<uint8_t>>& modules() const { return m_modules; }
    // Indices of the modules that validate as they are: mutations of those reach further.
    const std::vector<size_t>& valid_modules() const { return m_valid; }
    const std::string& problem() const { return m_problem; }

private:
    Corpus()
    {
        std::string pattern = (fs::temp_directory_path() / "hashos-mutation-XXXXXX").string();
        if (!mkdtemp(pattern.data())) {
            m_problem = "cannot create a temporary directory";
            return;
        }
        fs::path directory = pattern;
        std::vector<fs::path> scripts;
        for (auto& entry : fs::directory_iterator(HASHOS_SPEC_CORE_DIR)) {
            if (entry.path().extension() == ".wast")
                scripts.push_back(entry.path());
        }
        std::sort(scripts.begin(), scripts.end());
        for (auto& script : scripts) {
            auto json = directory / (script.stem().string() + ".json");
            auto command = std::string(HASHOS_WAST2JSON) + " '" + script.string() + "' -o '" + json.string()
                + "' >/dev/null 2>&1";
            if (std::system(command.c_str()) != 0)
                m_problem += "wast2json failed on " + script.filename().string() + "; ";
        }
        std::vector<fs::path> files;
        for (auto& entry : fs::directory_iterator(directory)) {
            if (entry.path().extension() == ".wasm")
                files.push_back(entry.path());
        }
        // Sorted, so the corpus (and with the seed, every input) is the same on every run.
        std::sort(files.begin(), files.end());
        for (auto& file : files) {
            std::ifstream stream(file, std::ios::binary);
            m_modules.emplace_back(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>());
        }
        std::error_code ignored;
        fs::remove_all(directory, ignored);
        for (size_t i = 0; i < m_modules.size(); ++i) {
            auto module = decode(m_modules[i]);
            if (!module.is_error() && !validate(module.release_value()).is_error())
                m_valid.push_back(i);
        }
    }

    std::vector<std::vector<uint8_t>> m_modules;
    std::vector<size_t> m_valid;
    std::string m_problem;
};

// --- Mutations -----------------------------------------------------------------------------------

// Bytes that mean something in the binary format: section ids, LEB continuation bits, value and
// reference types, block/end/call/local opcodes, limits flags.
constexpr uint8_t k_interesting_bytes[] = { 0x00, 0x01, 0x02, 0x03, 0x0b, 0x0c, 0x0d, 0x10, 0x11, 0x1c, 0x20, 0x40,
    0x41, 0x60, 0x6f, 0x70, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0xfc, 0xfd, 0xff };

// Whether a position may be the end (where an insertion appends or a truncation keeps all).
enum class End : uint8_t { Excluded, Included };

// A position in [skip, size) (or up to size), now and then anywhere: with skip = 8 that keeps
// most mutations past the header, whose damage stops decoding at once.
size_t position(Random& random, size_t size, size_t skip, End end)
{
    size_t limit = size + (end == End::Included ? 1 : 0);
    if (limit == 0)
        return 0;
    if (size > skip && !random.one_in(20))
        return skip + random.below(limit - skip);
    return random.below(limit);
}

// One byte-level mutation of `bytes` (a whole module, or one section's payload).
void mutate_bytes(Random& random, std::vector<uint8_t>& bytes, size_t skip,
    const std::vector<std::vector<uint8_t>>& corpus)
{
    auto at = [&](End end) { return position(random, bytes.size(), skip, end); };
    switch (random.below(10)) {
    case 0: // flip one bit
        if (!bytes.empty())
            bytes[at(End::Excluded)] ^= uint8_t(1u << random.below(8));
        break;
    case 1: // any byte
        if (!bytes.empty())
            bytes[at(End::Excluded)] = uint8_t(random.next());
        break;
    case 2:
    case 3: // a byte the format gives meaning to
        if (!bytes.empty())
            bytes[at(End::Excluded)] = k_interesting_bytes[random.below(sizeof k_interesting_bytes)];
        break;
    case 4: { // insert 1-4 bytes
        size_t where = at(End::Included);
        size_t count = 1 + random.below(4);
        for (size_t i = 0; i < count; ++i)
            bytes.insert(bytes.begin() + where, uint8_t(random.next()));
        break;
    }
    case 5: { // delete 1-8 bytes
        if (bytes.empty())
            break;
        size_t where = at(End::Excluded);
        size_t count = std::min<size_t>(1 + random.below(8), bytes.size() - where);
        bytes.erase(bytes.begin() + where, bytes.begin() + where + count);
        break;
    }
    case 6: // truncate
        bytes.resize(at(End::Included));
        break;
    case 7: { // lengthen a LEB128: b becomes b|0x80, 0x00 (same value, one more byte)
        if (bytes.empty())
            break;
        size_t where = at(End::Excluded);
        if (bytes[where] < 0x80) {
            bytes[where] |= 0x80;
            bytes.insert(bytes.begin() + where + 1, 0x00);
        }
        break;
    }
    case 8: { // duplicate a range somewhere else
        if (bytes.size() < 2)
            break;
        size_t from = at(End::Excluded);
        size_t count = std::min<size_t>(1 + random.below(32), bytes.size() - from);
        std::vector<uint8_t> chunk(bytes.begin() + from, bytes.begin() + from + count);
        size_t where = at(End::Included);
        bytes.insert(bytes.begin() + where, chunk.begin(), chunk.end());
        break;
    }
    case 9: { // splice in a range of another module
        auto& other = corpus[random.below(corpus.size())];
        if (other.size() <= 8)
            break;
        size_t from = 8 + random.below(other.size() - 8);
        size_t count = std::min<size_t>(1 + random.below(64), other.size() - from);
        size_t where = at(End::Included);
        bytes.insert(bytes.begin() + where, other.begin() + from, other.begin() + from + count);
        break;
    }
    }
}

// A section as the binary lays it out: id byte, LEB128 size, payload.
struct Section {
    size_t begin = 0; // the id byte
    size_t payload_begin = 0;
    size_t end = 0;
    uint8_t id = 0;
};

// The sections that parse, in order; stops at the first one that does not.
std::vector<Section> sections_of(const std::vector<uint8_t>& bytes)
{
    std::vector<Section> sections;
    size_t offset = 8;
    while (offset < bytes.size()) {
        Section section;
        section.begin = offset;
        section.id = bytes[offset++];
        uint64_t size = 0;
        int shift = 0;
        for (;;) {
            if (offset >= bytes.size() || shift > 28)
                return sections;
            uint8_t byte = bytes[offset++];
            size |= uint64_t(byte & 0x7f) << shift;
            shift += 7;
            if (!(byte & 0x80))
                break;
        }
        if (size > bytes.size() - offset)
            return sections;
        section.payload_begin = offset;
        section.end = offset + size;
        sections.push_back(section);
        offset = section.end;
    }
    return sections;
}

bool read_leb(const std::vector<uint8_t>& bytes, size_t& offset, uint64_t& value)
{
    value = 0;
    for (int shift = 0; shift <= 28; shift += 7) {
        if (offset >= bytes.size())
            return false;
        uint8_t byte = bytes[offset++];
        value |= uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

void write_leb(std::vector<uint8_t>& bytes, uint64_t value)
{
    do {
        uint8_t byte = value & 0x7f;
        value >>= 7;
        bytes.push_back(value ? byte | 0x80 : byte);
    } while (value);
}

std::vector<uint8_t> encode_section(uint8_t id, const std::vector<uint8_t>& payload)
{
    std::vector<uint8_t> bytes { id };
    write_leb(bytes, payload.size());
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    return bytes;
}

// Mutates one function body of a code section payload and fixes its size, so that the damage
// is to instructions and locals, which is where the validator and the compiler do their work.
bool mutate_function_body(Random& random, std::vector<uint8_t>& payload, const std::vector<std::vector<uint8_t>>& corpus)
{
    size_t offset = 0;
    uint64_t count = 0;
    if (!read_leb(payload, offset, count) || count == 0)
        return false;
    uint64_t chosen = random.below(count);
    for (uint64_t i = 0;; ++i) {
        size_t size_at = offset;
        uint64_t size = 0;
        if (!read_leb(payload, offset, size) || size > payload.size() - offset)
            return false;
        if (i == chosen) {
            std::vector<uint8_t> body(payload.begin() + offset, payload.begin() + offset + size);
            mutate_bytes(random, body, 0, corpus);
            std::vector<uint8_t> encoded;
            write_leb(encoded, body.size());
            encoded.insert(encoded.end(), body.begin(), body.end());
            payload.erase(payload.begin() + size_at, payload.begin() + offset + size);
            payload.insert(payload.begin() + size_at, encoded.begin(), encoded.end());
            return true;
        }
        offset += size;
    }
}

// Mutations that keep section sizes right, so that most inputs get past the section framing
// and exercise what is inside: a byte mutation within one payload, or a whole section dropped,
// duplicated, moved or taken from another module.
bool mutate_section(Random& random, std::vector<uint8_t>& bytes, const std::vector<std::vector<uint8_t>>& corpus)
{
    auto sections = sections_of(bytes);
    if (sections.empty())
        return false;
    // Code sections (id 10) are where most of a module is; give them extra weight.
    size_t index = random.below(sections.size());
    if (random.one_in(2)) {
        for (size_t i = 0; i < sections.size(); ++i) {
            if (sections[i].id == 10)
                index = i;
        }
    }
    auto& section = sections[index];
    std::vector<uint8_t> whole(bytes.begin() + section.begin, bytes.begin() + section.end);
    std::vector<uint8_t> replacement;
    size_t insert_at = section.begin;
    // Section-level changes are rarer: nearly all of them end in the same few decoder errors.
    switch (random.below(32)) {
    case 0:
    case 1: // drop it
        break;
    case 2: // duplicate it
        replacement = whole;
        replacement.insert(replacement.end(), whole.begin(), whole.end());
        break;
    case 3: { // move it elsewhere
        bytes.erase(bytes.begin() + section.begin, bytes.begin() + section.end);
        auto& other = sections[random.below(sections.size())];
        insert_at = other.begin <= section.begin ? other.begin : other.begin - whole.size();
        if (insert_at > bytes.size())
            insert_at = bytes.size();
        bytes.insert(bytes.begin() + insert_at, whole.begin(), whole.end());
        return true;
    }
    case 4:
    case 5: { // replace it with a section of another module
        auto& other = corpus[random.below(corpus.size())];
        auto other_sections = sections_of(other);
        if (other_sections.empty())
            return false;
        auto& taken = other_sections[random.below(other_sections.size())];
        replacement.assign(other.begin() + taken.begin, other.begin() + taken.end);
        break;
    }
    default: { // a byte mutation inside the payload (inside one function body for code), sizes fixed up
        std::vector<uint8_t> payload(bytes.begin() + section.payload_begin, bytes.begin() + section.end);
        if (section.id != 10 || random.one_in(4) || !mutate_function_body(random, payload, corpus))
            mutate_bytes(random, payload, 0, corpus);
        replacement = encode_section(section.id, payload);
        break;
    }
    }
    bytes.erase(bytes.begin() + section.begin, bytes.begin() + section.end);
    bytes.insert(bytes.begin() + insert_at, replacement.begin(), replacement.end());
    return true;
}

void mutate_once(Random& random, std::vector<uint8_t>& bytes, const std::vector<std::vector<uint8_t>>& corpus)
{
    if (random.below(10) < 7 && mutate_section(random, bytes, corpus))
        return;
    mutate_bytes(random, bytes, 8, corpus);
}

// --- The pipeline --------------------------------------------------------------------------------

struct Stats {
    uint64_t inputs = 0;
    uint64_t decoded = 0;
    uint64_t validated = 0;
    uint64_t imports_too_large = 0;
    uint64_t instantiated = 0;
    uint64_t started = 0; // instantiated and the start function (if any) finished
    uint64_t calls = 0;
    uint64_t calls_finished = 0;
    uint64_t calls_trapped = 0;
    uint64_t calls_out_of_fuel = 0;
    uint64_t calls_waiting = 0; // suspended in memory.atomic.wait on a shared memory
    // Rejections by message (details after the spec's words cut off), to show what got tested.
    std::map<std::string, uint64_t> decode_errors;
    std::map<std::string, uint64_t> validation_errors;
    std::map<std::string, uint64_t> instantiation_errors;
};

// "unexpected end at offset 12" → "unexpected end": the spec's words, without where.
std::string error_kind(const std::string& message)
{
    size_t cut = message.size();
    for (const char* marker : { " at offset", " (", ":", " in " }) {
        size_t at = message.find(marker);
        if (at != std::string::npos)
            cut = std::min(cut, at);
    }
    return message.substr(0, cut);
}

void print_top(const char* what, const std::map<std::string, uint64_t>& counts, size_t limit)
{
    std::vector<std::pair<uint64_t, std::string>> sorted;
    for (auto& [message, count] : counts)
        sorted.emplace_back(count, message);
    std::sort(sorted.rbegin(), sorted.rend());
    std::printf("mutation: %s (%zu kinds):", what, sorted.size());
    for (size_t i = 0; i < sorted.size() && i < limit; ++i)
        std::printf("%s %llu \"%s\"", i ? "," : "", (unsigned long long)sorted[i].first, sorted[i].second.c_str());
    std::printf("\n");
}

Value zero_of(ValType) { return Value {}; } // 0, 0.0, +0.0 and null are all the zero slot

// Imports of exactly the declared types, so that mutated modules get as far as possible.
std::optional<std::vector<Extern>> dummy_imports(Store& store, const Module& module)
{
    std::vector<Extern> externs;
    for (auto& import : module.imports) {
        switch (import.kind) {
        case ExternKind::Function: {
            if (import.type_index >= module.types.size())
                return std::nullopt; // the validator would have refused; be safe anyway
            auto type = module.types[import.type_index];
            externs.push_back(Extern::from(store.create_host_function(type, [](HostCall& call) {
                for (auto& result : call.results)
                    result = Value {};
                return HostOutcome::Return;
            })));
            break;
        }
        case ExternKind::Table: {
            if (import.table.limits.min > k_max_dummy_table_size)
                return std::nullopt;
            auto table = store.create_table(import.table);
            if (table.is_error())
                return std::nullopt;
            externs.push_back(Extern::from(table.value()));
            break;
        }
        case ExternKind::Memory: {
            if (import.memory.limits.min > k_memory_page_limit)
                return std::nullopt;
            auto memory = store.create_memory(import.memory);
            if (memory.is_error())
                return std::nullopt;
            externs.push_back(Extern::from(memory.value()));
            break;
        }
        case ExternKind::Global:
            externs.push_back(Extern::from(store.create_global(import.global, zero_of(import.global.type))));
            break;
        }
    }
    return externs;
}

class Pipeline {
public:
    explicit Pipeline(Stats& stats) : m_stats(stats) {}

    void run(std::span<const uint8_t> bytes)
    {
        ++m_stats.inputs;
        auto module = decode(bytes);
        if (module.is_error()) {
            ++m_stats.decode_errors[error_kind(module.error().message())];
            return;
        }
        ++m_stats.decoded;
        auto valid = validate(module.release_value());
        if (valid.is_error()) {
            ++m_stats.validation_errors[error_kind(valid.error().message())];
            return;
        }
        ++m_stats.validated;

        Store store;
        store.set_memory_page_limit(k_memory_page_limit);
        auto imports = dummy_imports(store, valid.value().module());
        if (!imports) {
            ++m_stats.imports_too_large;
            return;
        }
        auto instance = store.instantiate(valid.value(), *imports);
        if (instance.is_error()) {
            ++m_stats.instantiation_errors[error_kind(instance.error().message())];
            return;
        }
        ++m_stats.instantiated;
        // Functions compile on their first call; compile them all, so the compiler meets every
        // validated body, not only those the calls below reach.
        if (auto compiled = instance.value()->compile_all(); compiled.is_error()) {
            ++m_stats.instantiation_errors[error_kind(compiled.error().message())];
            return;
        }

        // Small stacks: recursion still reaches its limit, and each Thread is cheap to make.
        ThreadLimits limits;
        limits.max_value_stack_slots = 1 << 16;
        limits.max_call_depth = 10'000;
        auto thread = std::make_unique<Thread>(store, limits);
        if (auto* start = instance.value()->start_function()) {
            if (!call(store, thread, limits, start))
                return;
        }
        ++m_stats.started;
        for (auto& export_ : valid.value().module().exports) {
            auto found = instance.value()->find_export(export_.name);
            if (found && found->kind == ExternKind::Function)
                call(store, thread, limits, found->function);
        }
    }

private:
    // Returns whether the call finished.
    bool call(Store& store, std::unique_ptr<Thread>& thread, const ThreadLimits& limits, Function* function)
    {
        ++m_stats.calls;
        std::vector<Value> args;
        for (auto type : function->type().params)
            args.push_back(zero_of(type));
        if (thread->start(function, args).is_error()) {
            ADD_FAILURE() << "start() refused zero arguments of the right types";
            return false;
        }
        switch (thread->run(k_fuel_per_call)) {
        case RunState::Finished:
            ++m_stats.calls_finished;
            EXPECT_EQ(thread->results().size(), function->type().results.size());
            return true;
        case RunState::Trapped:
            ++m_stats.calls_trapped;
            return false;
        case RunState::OutOfFuel:
            ++m_stats.calls_out_of_fuel;
            // Abandoned in the middle: a fresh thread for the next call.
            thread = std::make_unique<Thread>(store, limits);
            return false;
        case RunState::Suspended:
            // Only memory.atomic.wait can suspend here (the dummy imports return): nobody will
            // notify, so the thread is abandoned like one out of fuel.
            EXPECT_TRUE(thread->suspended_wait().has_value()) << "suspended outside a wait";
            ++m_stats.calls_waiting;
            thread = std::make_unique<Thread>(store, limits);
            return false;
        default:
            ADD_FAILURE() << "unexpected run state " << int(thread->state());
            thread = std::make_unique<Thread>(store, limits);
            return false;
        }
    }

    Stats& m_stats;
};

TEST(Mutation, MutatedSpecModulesNeverCrashOrHang)
{
    auto& corpus = Corpus::get();
    ASSERT_TRUE(corpus.problem().empty()) << corpus.problem();
    ASSERT_GT(corpus.modules().size(), 1000u) << "the core suite should give thousands of modules";
    ASSERT_GT(corpus.valid_modules().size(), 500u) << "most modules of the suite's module commands should validate";

    uint64_t seed = environment_number("HASHOS_MUTATION_SEED", k_default_seed);
    uint64_t inputs = environment_number("HASHOS_MUTATION_INPUTS", k_default_inputs);
    const char* dump = std::getenv("HASHOS_MUTATION_DUMP");
    uint64_t dump_index = environment_number("HASHOS_MUTATION_DUMP_INDEX", UINT64_MAX);

    Random random(seed);
    Stats stats;
    Pipeline pipeline(stats);
    auto begin = std::chrono::steady_clock::now();
    double slowest_seconds = 0;
    uint64_t slowest_input = 0;
    for (uint64_t i = 0; i < inputs; ++i) {
        // Mostly valid modules, so that mutations get past the decoder often; now and then the
        // malformed and invalid ones of the suite, which start out on the error paths.
        size_t index = random.below(4) != 0 ? corpus.valid_modules()[random.below(corpus.valid_modules().size())]
                                            : random.below(corpus.modules().size());
        auto bytes = corpus.modules()[index];
        // Usually one mutation, sometimes two or three.
        uint64_t roll = random.below(20);
        uint64_t mutations = roll < 12 ? 1 : roll < 17 ? 2 : 3;
        for (uint64_t m = 0; m < mutations; ++m)
            mutate_once(random, bytes, corpus.modules());
        if (dump && (dump_index == UINT64_MAX || dump_index == i)) {
            std::ofstream out(dump, std::ios::binary | std::ios::trunc);
            out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        }
        auto input_begin = std::chrono::steady_clock::now();
        pipeline.run(bytes);
        double input_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - input_begin).count();
        if (input_seconds > slowest_seconds) {
            slowest_seconds = input_seconds;
            slowest_input = i;
        }
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();

    std::printf("mutation: corpus %zu modules (%zu valid), seed 0x%llx, %.1f s\n", corpus.modules().size(),
        corpus.valid_modules().size(), static_cast<unsigned long long>(seed), seconds);
    std::printf("mutation: %llu inputs, %llu decoded, %llu validated, %llu instantiated (%llu skipped: imports too "
                "large), %llu started\n",
        (unsigned long long)stats.inputs, (unsigned long long)stats.decoded, (unsigned long long)stats.validated,
        (unsigned long long)stats.instantiated, (unsigned long long)stats.imports_too_large,
        (unsigned long long)stats.started);
    std::printf("mutation: %llu calls: %llu finished, %llu trapped, %llu out of fuel, %llu waiting\n",
        (unsigned long long)stats.calls, (unsigned long long)stats.calls_finished,
        (unsigned long long)stats.calls_trapped, (unsigned long long)stats.calls_out_of_fuel,
        (unsigned long long)stats.calls_waiting);

    std::printf("mutation: slowest input #%llu took %.3f s\n", (unsigned long long)slowest_input, slowest_seconds);
    print_top("decoder rejections", stats.decode_errors, 8);
    print_top("validator rejections", stats.validation_errors, 8);
    print_top("instantiation failures", stats.instantiation_errors, 4);

    // The mutations must reach every stage, or this test proves little.
    EXPECT_EQ(stats.inputs, inputs);
    EXPECT_GT(stats.decoded, 0u);
    EXPECT_GT(stats.validated, 0u);
    EXPECT_GT(stats.instantiated, 0u);
    EXPECT_GT(stats.calls_finished, 0u);
}

} // namespace
